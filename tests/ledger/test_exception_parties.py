"""A shipment under a licence exception screens its consignee and end user when given a
screener (the CLI, REST and web interfaces give the process's): a listed party refuses it, a
potential match holds it until an officer clears or confirms the match.

Real screening on the bundled sample lists; dispositions go through the screening store on
the ledger's own SQLite database, as in a deployment.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from exportcheck.ledger.api import Ledger
from exportcheck.ledger.exception_check import ExceptionRefused
from exportcheck.screen import Screener, store
from exportcheck.screen.service import SAMPLES_DIR

#: an Entity List entry of the samples (HK) and a name that only partly matches it
ACTEAM = ("EL", "f04aff3fcb77")
ACTEAM_PARTIAL = "ACTeam Logistics Hong Kong Ltd"


def _spec(key: str, end_user: str, consignee: str = "Kowloon Forwarding Ltd") -> dict:
    # 9A610.x to Hong Kong on 29 June 2020: LVS still available (suspended the next day)
    return {"idempotency_key": key, "licence_exception": "LVS", "ship_date": "2020-06-29",
            "destination": "HK", "consignee": consignee, "end_user": end_user,
            "lines": [{"classification": "9A610.x", "quantity": 1, "value": "100.00"}]}


@pytest.fixture(scope="module")
def samples() -> Screener:
    return Screener.from_samples()


def _shipments(ledger: Ledger) -> int:
    with ledger.engine.connect() as c:
        return c.execute(sa.text("SELECT count(*) FROM ledger_shipment")).scalar_one()


def _refused(ledger: Ledger, spec: dict, screener: object, **kw: object) -> ExceptionRefused:
    before = _shipments(ledger)
    with pytest.raises(ExceptionRefused) as info:
        ledger.post_shipment(spec, screener=screener, **kw)  # type: ignore[arg-type]
    assert _shipments(ledger) == before
    (entry,) = ledger.audit_entries(kind="shipment.refused", limit=1)[0]
    payload = json.loads(entry.payload)
    assert payload["rule"] == info.value.rule and payload["determination"]
    return info.value


def test_an_unlisted_party_passes_and_the_record_says_it_was_screened(
        ledger: Ledger, samples: Screener) -> None:
    out = ledger.post_shipment(_spec("ok", "Kowloon Avionics Ltd"), screener=samples)
    assert out.created and out.licence_exception == "LVS"
    line = out.determination[0]
    assert line["parties_screened"] is True and line["exception"]["symbol"] == "LVS"


def test_a_blocked_party_is_refused_and_no_override_lifts_it(ledger: Ledger,
                                                            samples: Screener) -> None:
    # an SDN of Hong Kong since 2008 as consignee: every line PROHIBITED (not Carrie Lam: on
    # the shipment's date, 29 Jun 2020, she was not designated yet)
    spec = _spec("sdn", "Kowloon Avionics Ltd", consignee="SHUEN WAI HOLDING LIMITED")
    exc = _refused(ledger, spec, samples)
    assert exc.rule == "prohibited" and "PROHIBITED" in str(exc)
    exc = _refused(ledger, spec, samples, override_reason="advisory opinion 2020-01")
    assert "an override does not lift a PROHIBITED outcome" in str(exc)


def test_a_potential_match_holds_the_shipment_and_names_the_entry(ledger: Ledger,
                                                                 samples: Screener) -> None:
    exc = _refused(ledger, _spec("held", ACTEAM_PARTIAL), samples)
    assert exc.rule == "party_held"
    assert str(exc).startswith(f"line 1 (9A610.x): held for review: end user "
                               f"{ACTEAM_PARTIAL!r} may be EL {ACTEAM[1]} ")
    assert "clear or confirm the potential match" in str(exc)
    (match,) = exc.determination[0]["party_matches"]
    assert (match["list"], match["entry_id"], match["role"]) == (*ACTEAM, "end user")
    # an officer who has checked the party posts it with a reason, which is recorded
    out = ledger.post_shipment(_spec("held", ACTEAM_PARTIAL), screener=samples,
                               override_reason="HK registry 123: another company")
    assert out.created and out.override_reason == "HK registry 123: another company"


def test_a_held_shipment_names_first_why_the_exception_fails_anyway(
        ledger: Ledger, samples: Screener) -> None:
    # a fortnight later LVS is suspended for Hong Kong (740.2(a)(23)): clearing the match
    # would not help, so the refusal says that first, then the hold
    spec = _spec("held-late", ACTEAM_PARTIAL) | {"ship_date": "2020-07-15"}
    exc = _refused(ledger, spec, samples)
    assert exc.rule == "exception_not_available"
    text = str(exc)
    assert text.startswith("line 1 (9A610.x): LVS is not available to HK on 2020-07-15: "
                           "LICENSE_REQUIRED")
    assert text.index("740.2(a)(23)") < text.index("; also held for review: end user")
    assert exc.determination[0]["party_matches"][0]["entry_id"] == ACTEAM[1]


def test_a_disposition_resolves_the_hold(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = Ledger(url)
    store.load_lists([SAMPLES_DIR], engine=ledger.engine, user="test")
    spec = _spec("d1", ACTEAM_PARTIAL)
    assert _refused(ledger, spec, store.load_screener(ledger.engine)).rule == "party_held"
    store.record_disposition(ACTEAM_PARTIAL, *ACTEAM, user="officer", country="HK",
                             reason="different company: HK registry no. 123",
                             engine=ledger.engine)
    out = ledger.post_shipment(spec, screener=store.load_screener(ledger.engine))
    assert out.created and not out.determination[0].get("party_matches")
    # confirmed instead: the Entity List licence is required, and LVS is refused
    store.record_disposition(ACTEAM_PARTIAL, *ACTEAM, user="officer", country="HK",
                             reason="same company", decision="confirmed",
                             engine=ledger.engine)
    exc = _refused(ledger, _spec("d2", ACTEAM_PARTIAL), store.load_screener(ledger.engine))
    assert exc.rule == "exception_not_available" and "LICENSE_REQUIRED" in str(exc)
    assert "EL" in exc.determination[0]["reasons"]


def test_cli_ship_refuses_a_held_party(cli: Callable[[list[str]], tuple[int, str, str]],
                                       tmp_path: Path) -> None:
    """No list loaded: the CLI screens against the bundled samples, and says so."""
    db = f"sqlite:///{tmp_path / 'l.db'}"
    args = ["ship", "--db", db, "--exception", "LVS", "--date", "2020-06-29", "--to", "HK",
            "--consignee", "Kowloon Forwarding Ltd", "--end-user", ACTEAM_PARTIAL,
            "--item", "9A610.x=1@100.00", "--key", "k"]
    code, _, err = cli(args)
    warning, error = err.splitlines()
    assert warning.startswith("warning: screened against the bundled SAMPLE lists")
    assert code == 3 and error.startswith("error: line 1 (9A610.x): held for review: end user")
    code, out, _ = cli([*args, "--override-reason", "HK registry 123: another company"])
    assert code == 0 and "shipment k recorded" in out
    # the end use it states is checked too: a military end user in China needs the MEU licence
    code, _, err = cli(["ship", "--db", db, "--exception", "NLR", "--date", "2024-06-01",
                        "--to", "CN", "--consignee", "C", "--end-user", "Shenzhen Trading Ltd",
                        "--end-user-type", "military", "--item", "3A991=1@100.00",
                        "--key", "k2"])
    assert code == 3 and "NLR claimed but a licence is required" in err.splitlines()[-1]


def test_a_military_end_user_by_name_needs_the_licence_nlr_would_skip(ledger: Ledger) -> None:
    """The end user's name goes into the determination even unscreened: a PLA unit is a
    military end user (15 CFR 744.21(g)), so NLR for 3A991 to China is refused."""
    spec = {**_spec("meu", "PLA Unit 61398"), "licence_exception": "NLR",
            "destination": "CN", "ship_date": "2024-06-01",
            "lines": [{"classification": "3A991", "quantity": 1, "value": "100.00"}]}
    exc = _refused(ledger, spec, None)
    assert exc.rule == "licence_required" and "MEU" in exc.determination[0]["reasons"]
    assert ledger.post_shipment({**spec, "idempotency_key": "civil",
                                 "end_user": "Shenzhen Trading Ltd"}).created


@pytest.mark.parametrize(("stated", "refused"), [
    ({}, False),                                            # none stated: a civil end user
    ({"end_user_type": "military"}, True),                  # 744.21: the MEU licence
    ({"end_use": "military aircraft maintenance"}, True),   # a military end use, 744.21(a)
    ({"end_user_type": "government"}, False),
])
def test_the_end_use_a_shipment_states_is_what_its_exception_is_checked_with(
        ledger: Ledger, stated: dict, refused: bool) -> None:
    spec = {**_spec(f"eu-{len(stated)}-{refused}", "Shenzhen Trading Ltd"),
            "licence_exception": "NLR", "destination": "CN", "ship_date": "2024-06-01",
            "lines": [{"classification": "3A991", "quantity": 1, "value": "100.00"}], **stated}
    if refused:
        exc = _refused(ledger, spec, None)
        assert exc.rule == "licence_required" and "MEU" in exc.determination[0]["reasons"]
        assert "15 CFR 744.21(a)" in str(exc)
    else:
        line = ledger.post_shipment(spec).determination[0]
        assert line["outcome"] == "NLR"
        assert line["end_user_type"] == stated.get("end_user_type", "assumed civil")


def test_a_bad_end_user_type_is_refused_before_anything_is_written(ledger: Ledger) -> None:
    from exportcheck.errors import InvalidInput

    with pytest.raises(InvalidInput, match="end_user_type"):
        ledger.post_shipment({**_spec("bad", "A"), "end_user_type": "pirate"})
    assert _shipments(ledger) == 0
