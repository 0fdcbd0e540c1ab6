"""Stored data under bad input (review 34): a NUL byte in a licence number, party name,
idempotency key, status reason or actor crashed PostgreSQL's driver (a ``DataError``, a 500
from the REST API) while SQLite stored it; a licence number with a look-alike letter (Cyrillic
'Р', full-width 'Ｄ', a zero-width space) registered a second licence beside the first; a
licence valid from 9999-12-31 failed with a bare ``ValueError`` and one from 0001-01-01 was
stored; the Python API's status change stored a 10 MB reason. Each is now refused with an
error naming the field, and nothing is written.

Every test runs on SQLite and on PostgreSQL (the ``db_url`` fixture; PostgreSQL is skipped
when its server binaries are absent).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from ledger_helpers import POLICE, dsp5, ship

from exportcheck.errors import InvalidInput
from exportcheck.ledger.api import Ledger

TABLES = ("ledger_licence", "ledger_licence_line", "ledger_licence_party",
          "ledger_licence_status", "ledger_shipment", "ledger_shipment_line",
          "ledger_shipment_reversal", "audit_log")


def _stored(ledger: Ledger) -> dict[str, list[tuple[Any, ...]]]:
    with ledger.engine.connect() as c:
        return {t: [tuple(r) for r in c.execute(sa.text(f"SELECT * FROM {t} ORDER BY 1"))]
                for t in TABLES}


@pytest.fixture
def stocked(db_url: str) -> Ledger:
    ledger = Ledger(db_url)
    ledger.add_licence(dsp5())
    ledger.post_shipment(ship("s-1", value="100.00"))
    return ledger


def _refused(ledger: Ledger, write: Any, *words: str) -> None:
    before = _stored(ledger)
    with pytest.raises(InvalidInput) as err:
        write()
    for word in words:
        assert word in str(err.value), str(err.value)
    assert _stored(ledger) == before
    assert ledger.verify_audit().ok


def _party(name: str) -> dict:
    return dsp5("DSP5-T-2", parties=[{"role": "applicant", "name": name},
                                     {"role": "consignee", "name": POLICE},
                                     {"role": "end_user", "name": POLICE}])


@pytest.mark.parametrize(("spec", "field"), [
    (dsp5("DSP5\x00T-2"), "number"),
    (_party("Acme\x00Arms"), "parties.0.name"),
    (dsp5("DSP5-T-2", provisos=["no re-transfer\x07"]), "provisos"),
])
def test_a_licence_with_a_control_character_is_refused_naming_the_field(stocked, spec, field):
    _refused(stocked, lambda: stocked.add_licence(spec), field, "U+00")


@pytest.mark.parametrize(("change", "field"), [
    ({"idempotency_key": "s\x00-2"}, "idempotency_key"),
    ({"reference": "ITN\x00X20190601"}, "reference"),
    ({"consignee": "Hong Kong\x00Police Force"}, "consignee"),
])
def test_a_shipment_with_a_nul_byte_is_refused_naming_the_field(stocked, change, field):
    spec = ship("s-2") | change
    _refused(stocked, lambda: stocked.post_shipment(spec), field, "U+0000 (NUL)")


def test_a_reversal_reason_with_a_nul_byte_is_refused(stocked):
    _refused(stocked, lambda: stocked.reverse_shipment("s-1", reason="keyed\x00twice",
                                                       idempotency_key="rev-1"), "reason", "NUL")


@pytest.mark.parametrize(("named", "words"), [
    ({"reason": "end-use\x00check"}, ("reason", "NUL")),
    ({"citation": "22 CFR\x00126.7"}, ("citation", "NUL")),
    ({"reason": "r" * 10_000_000}, ("reason", "at most 2,000")),
    ({"citation": "c" * 600}, ("citation", "at most 500")),
    ({"effective": dt.date(1, 1, 1)}, ("effective", "0001-01-01")),
    ({"effective": dt.date(9999, 12, 31)}, ("effective", "9999-12-31")),
])
def test_a_status_change_from_python_is_checked_as_the_rest_api_checks_it(stocked, named,
                                                                          words):
    args = {"effective": dt.date(2020, 1, 1), "reason": "end-use check",
            "citation": "22 CFR 126.7(a)(3)"} | named
    _refused(stocked, lambda: stocked.set_status("DSP5-T-1", "suspended", **args), *words)


@pytest.mark.parametrize(("actor", "words"), [
    ("clerk\x00", ("actor", "NUL")),
    ("c" * 200, ("actor", "at most 128")),
])
def test_an_actor_the_audit_trail_cannot_hold_is_refused_on_every_write(stocked, actor, words):
    _refused(stocked, lambda: stocked.post_shipment(ship("s-2"), actor=actor), *words)
    _refused(stocked, lambda: stocked.add_licence(dsp5("DSP5-T-2"), actor=actor), *words)
    _refused(stocked, lambda: stocked.reverse_shipment(
        "s-1", reason="keyed twice", idempotency_key="rev-1", actor=actor), *words)


@pytest.mark.parametrize(("number", "words"), [
    ("DS\u0420" + "5-T-1", ("U+0420", "CYRILLIC CAPITAL LETTER ER")),
    ("\uff24SP5-T-1", ("U+FF24", "did you mean 'DSP5-T-1'")),
    ("DSP5-T\u200b-1", ("U+200B", "ZERO WIDTH SPACE")),
])
def test_a_look_alike_of_a_stored_licence_number_is_not_a_second_licence(stocked, number,
                                                                          words):
    _refused(stocked, lambda: stocked.add_licence(dsp5(number)), "licence number", *words)
    assert [lic.number for lic in stocked.list_licences()] == ["DSP5-T-1"]


@pytest.mark.parametrize(("spec", "words"), [
    (dsp5("DSP5-T-2", valid_from="9999-12-31"), ("valid_from", "9999-12-31")),
    (dsp5("DSP5-T-2", valid_from="0001-01-01"), ("valid_from", "0001-01-01")),
    (dsp5("DSP5-T-2", valid_to="0019-03-01"), ("valid_to", "0019-03-01")),
])
def test_a_licence_dated_far_outside_any_licence_is_refused_naming_the_date(stocked, spec,
                                                                            words):
    _refused(stocked, lambda: stocked.add_licence(spec), *words)


def test_a_shipment_dated_in_year_one_is_refused_as_a_date_not_audited_as_a_refusal(stocked):
    _refused(stocked, lambda: stocked.post_shipment(ship("s-2", date="0001-06-01")),
             "ship_date", "0001-06-01")


def test_a_licence_number_in_plain_ascii_with_punctuation_is_still_accepted(stocked):
    out, created = stocked.add_licence(dsp5("050-123/456 (A)"))
    assert created and out.number == "050-123/456 (A)"
