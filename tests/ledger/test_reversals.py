"""Reversing a shipment posted by mistake: a compensating, audited entry that gives back exactly
what the shipment drew and never edits or deletes it; refused (and audited) for an unknown
shipment, a second reversal or no reason; keyed like a post; replayed by ``audit verify``."""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal

import pytest
import sqlalchemy as sa
from ledger_helpers import dsp5, ship

from exportcheck.errors import InvalidInput, LedgerError
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.reversals import ReversalRefused

TWO_LINES = [{"classification": "I(a)", "description": "pistols", "quantity": 100,
              "value": "100000.00"},
             {"classification": "XI(c)", "description": "radios", "unit_basis": "value",
              "value": "5000.00"}]


def _rows(ledger: Ledger, sql: str, **params: object) -> list[tuple]:
    with ledger.engine.connect() as c:
        return [tuple(r) for r in c.execute(sa.text(sql), params)]


def _raw(ledger: Ledger, sql: str, **params: object) -> None:
    with ledger.engine.begin() as c:
        c.execute(sa.text(sql), params)


def _drawn(ledger: Ledger, number: str = "DSP5-T-1") -> list[tuple[Decimal, Decimal]]:
    return [(ln.shipped_quantity, ln.shipped_value)
            for ln in ledger.get_licence(number).lines]


def _two_line_spec(key: str) -> dict:
    spec = ship(key, value="1000.00", quantity=2)
    spec["lines"] += [{"classification": "XI(c)", "value": "250.50"},
                      {"classification": "I (a)", "quantity": 1, "value": "5.25"}]
    return spec


@pytest.fixture
def posted(ledger: Ledger) -> Ledger:
    """A licence of two lines and two shipments on it: ``keep`` and ``oops`` (to reverse)."""
    ledger.add_licence(dsp5(lines=TWO_LINES))
    ledger.post_shipment(ship("keep", value="300.00", quantity=1))
    ledger.post_shipment(_two_line_spec("oops"))
    assert _drawn(ledger) == [(Decimal(4), Decimal("1305.25")), (Decimal(0), Decimal("250.50"))]
    return ledger


def test_a_reversal_gives_back_exactly_what_the_shipment_drew(posted: Ledger) -> None:
    before = _rows(posted, "SELECT * FROM ledger_shipment ORDER BY id")
    lines_before = _rows(posted, "SELECT * FROM ledger_shipment_line ORDER BY id")
    out = posted.reverse_shipment("oops", reason="posted against the wrong licence",
                                  idempotency_key="rev-oops", reference="AES X2024-1",
                                  actor="officer:alice")
    assert out.created and out.shipment_key == "oops" and out.licence_number == "DSP5-T-1"
    assert [(r.line_no, r.classification, r.quantity, r.value) for r in out.returned] == [
        (1, "I(a)", Decimal(3), Decimal("1005.25")), (2, "XI(c)", Decimal(0), Decimal("250.50"))]
    assert out.returned_value == Decimal("1255.75")
    # only what "keep" drew is left; the shipment and its lines are untouched
    assert _drawn(posted) == [(Decimal(1), Decimal("300.00")), (Decimal(0), Decimal("0.00"))]
    assert _rows(posted, "SELECT * FROM ledger_shipment ORDER BY id") == before
    assert _rows(posted, "SELECT * FROM ledger_shipment_line ORDER BY id") == lines_before
    (kind, actor, payload), = _rows(
        posted, "SELECT kind, actor, payload FROM audit_log WHERE seq = :s", s=out.audit_seq)
    payload = json.loads(payload)
    assert (kind, actor) == ("shipment.reversed", "officer:alice")
    assert payload["shipment"]["idempotency_key"] == "oops"
    assert payload["shipment"]["licence"] == {"agency": "DDTC", "number": "DSP5-T-1",
                                              "kind": "DSP5"}
    assert payload["request"] == {"shipment_key": "oops", "idempotency_key": "rev-oops",
                                  "reason": "posted against the wrong licence",
                                  "reference": "AES X2024-1"}
    assert [(r["line_no"], r["value"], r["remaining_value"]) for r in payload["returned"]] == [
        (1, "1005.25", "99700.00"), (2, "250.50", "5000.00")]
    check = posted.verify_audit()
    assert check.ok and check.state_checked and not check.unverifiable, check.problem
    assert posted.balance_mismatches() == []


def test_reports_show_balances_after_a_reversal(posted: Ledger) -> None:
    posted.reverse_shipment("oops", reason="duplicate", idempotency_key="r1")
    for as_of in (None, dt.date(2019, 12, 31)):  # today's balances, and as on a date
        row, = posted.report(as_of=as_of).rows
        assert (row.shipped, row.remaining) == (Decimal("300.00"), Decimal("104700.00"))
    lic, = posted.list_licences()
    assert [ln.remaining_value for ln in lic.lines] == [Decimal("99700.00"), Decimal("5000.00")]


def test_the_balance_given_back_can_be_drawn_again(ledger: Ledger) -> None:
    ledger.add_licence(dsp5(value="1000.00", quantity=10))
    ledger.post_shipment(ship("wrong", value="1000.00", quantity=10))
    with pytest.raises(LedgerError, match="already been shipped"):
        ledger.post_shipment(ship("right", value="1000.00", quantity=10))
    ledger.reverse_shipment("wrong", reason="wrong quantity keyed", idempotency_key="r-wrong")
    assert ledger.post_shipment(ship("right", value="1000.00", quantity=10)).created
    assert ledger.verify_audit().ok and ledger.balance_mismatches() == []


@pytest.mark.parametrize(("key", "reason", "rule", "message"), [
    ("nope", "typo", "shipment_unknown", "no shipment with idempotency key 'nope'"),
    ("oops", "   ", "reason_missing", "give a reason"),
    ("oops", "", "reason_missing", "give a reason"),
])
def test_a_refused_reversal_writes_only_its_audited_refusal(posted: Ledger, key: str,
                                                           reason: str, rule: str,
                                                           message: str) -> None:
    entries = _rows(posted, "SELECT count(*) FROM audit_log")[0][0]
    with pytest.raises(ReversalRefused, match=message) as info:
        posted.reverse_shipment(key, reason=reason, idempotency_key="r-x")
    assert info.value.rule == rule and "\n" not in str(info.value)
    assert _drawn(posted)[0] == (Decimal(4), Decimal("1305.25"))
    assert _rows(posted, "SELECT count(*) FROM ledger_shipment_reversal") == [(0,)]
    (count,), = _rows(posted, "SELECT count(*) FROM audit_log")
    assert count == entries + 1
    refusal, = posted.audit_entries(kind="shipment.reversal_refused")[0]
    assert json.loads(refusal.payload)["rule"] == rule
    assert posted.verify_audit().ok


def test_a_shipment_is_reversed_once(posted: Ledger) -> None:
    first = posted.reverse_shipment("oops", reason="duplicate", idempotency_key="r1")
    with pytest.raises(ReversalRefused, match=r"already reversed .*'r1'") as info:
        posted.reverse_shipment("oops", reason="duplicate again", idempotency_key="r2")
    assert info.value.rule == "already_reversed"
    assert f"#{first.audit_seq}" in str(info.value)
    assert _drawn(posted) == [(Decimal(1), Decimal("300.00")), (Decimal(0), Decimal("0.00"))]
    assert posted.verify_audit().ok


def test_the_reversal_key_is_idempotent(posted: Ledger) -> None:
    first = posted.reverse_shipment("oops", reason="duplicate", idempotency_key="r1")
    again = posted.reverse_shipment("oops", reason="duplicate", idempotency_key="r1")
    assert not again.created
    assert (again.id, again.audit_seq, again.returned) == (first.id, first.audit_seq,
                                                           first.returned)
    assert _drawn(posted)[0] == (Decimal(1), Decimal("300.00"))  # given back once
    with pytest.raises(LedgerError, match="'r1' was already used for a different reversal"):
        posted.reverse_shipment("oops", reason="another reason", idempotency_key="r1")
    with pytest.raises(LedgerError, match="different reversal"):
        posted.reverse_shipment("keep", reason="duplicate", idempotency_key="r1")
    assert _rows(posted, "SELECT count(*) FROM ledger_shipment_reversal") == [(1,)]


def test_a_shipment_under_a_licence_exception_is_marked_reversed(ledger: Ledger) -> None:
    ledger.post_shipment({"idempotency_key": "lvs-1", "licence_exception": "LVS",
                          "ship_date": "2022-05-01", "destination": "GB",
                          "consignee": "UK Importer Ltd", "end_user": "UK Importer Ltd",
                          "lines": [{"classification": "0A501.x", "quantity": 2,
                                     "value": "300"}]})
    out = ledger.reverse_shipment("lvs-1", reason="not shipped", idempotency_key="r-lvs")
    assert out.created and out.returned == [] and out.returned_value == Decimal("0.00")
    assert (out.licence_number, out.licence_exception) == (None, "LVS")
    with pytest.raises(ReversalRefused, match="already reversed"):
        ledger.reverse_shipment("lvs-1", reason="again", idempotency_key="r-lvs-2")
    assert ledger.verify_audit().ok


def test_a_shipment_on_a_suspended_licence_can_still_be_reversed(posted: Ledger) -> None:
    posted.set_status("DSP5-T-1", "suspended", effective=dt.date(2020, 6, 30), reason="HK",
                      citation="22 CFR 126.7")
    posted.reverse_shipment("oops", reason="duplicate", idempotency_key="r1")
    assert _drawn(posted)[0] == (Decimal(1), Decimal("300.00"))
    assert posted.verify_audit().ok


def test_a_reversed_shipment_is_not_listed_for_review_by_a_policy_event(posted: Ledger) -> None:
    posted.reverse_shipment("oops", reason="duplicate", idempotency_key="r1")
    result = posted.apply_policy_event({
        "key": "hk", "title": "HK", "action": "suspended", "effective": "2019-05-01",
        "citation": "22 CFR 126.7", "filter": {"destinations": ["HK"]}})
    assert result.shipments_on_or_after == ["keep"]


def test_concurrent_reversals_of_one_shipment_give_back_once(posted: Ledger) -> None:
    results: list[object] = []

    def reverse(n: int) -> None:
        try:
            results.append(posted.reverse_shipment("oops", reason=f"dup {n}",
                                                   idempotency_key=f"r{n}"))
        except ReversalRefused as exc:
            results.append(exc.rule)

    threads = [threading.Thread(target=reverse, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r if isinstance(r, str) else "ok" for r in results) == [
        "already_reversed"] * 3 + ["ok"]
    assert _drawn(posted)[0] == (Decimal(1), Decimal("300.00"))
    assert posted.verify_audit().ok and posted.balance_mismatches() == []


# -- audit verify: the tables against the trail ---------------------------------------------
@pytest.fixture
def reversed_(posted: Ledger) -> Ledger:
    posted.reverse_shipment("oops", reason="duplicate", idempotency_key="r1")
    return posted


def _tampered(ledger: Ledger) -> str:
    check = ledger.verify_audit()
    assert not check.ok and check.table is not None
    return check.problem


def test_an_edited_reversal_row_is_detected(reversed_: Ledger) -> None:
    _raw(reversed_, "UPDATE ledger_shipment_reversal SET reason = 'something else'")
    problem = _tampered(reversed_)
    assert "ledger_shipment_reversal" in problem and "reason" in problem


def test_a_deleted_reversal_row_is_detected(reversed_: Ledger) -> None:
    _raw(reversed_, "DELETE FROM ledger_shipment_reversal")
    problem = _tampered(reversed_)
    assert "ledger_shipment_reversal" in problem and "missing" in problem
    assert reversed_.balance_mismatches()  # its shipment counts as drawn again


def test_a_reversal_row_without_an_audit_entry_is_detected(posted: Ledger) -> None:
    (ship_id, seq), = _rows(posted, "SELECT id, audit_seq FROM ledger_shipment "
                                    "WHERE idempotency_key = 'keep'")
    _raw(posted, "INSERT INTO ledger_shipment_reversal (shipment_id, idempotency_key, "
                 "request_hash, reason, reference, actor, recorded_at, audit_seq) VALUES "
                 "(:s, 'forged', '', 'x', '', 'mallory', :t, :q)",
         s=ship_id, t=dt.datetime.now(dt.UTC), q=seq)
    problem = _tampered(posted)
    assert "no shipment.reversed entry" in problem


def test_a_balance_not_given_back_is_detected(reversed_: Ledger) -> None:
    _raw(reversed_, "UPDATE ledger_licence_line SET shipped_value_cents = 130525 "
                    "WHERE line_no = 1")
    problem = _tampered(reversed_)
    assert "ledger_licence_line" in problem and "audited shipments draw 30000" in problem


# -- CLI --------------------------------------------------------------------------------------
def test_cli_reverses_and_refuses_in_one_line(cli, tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    ledger = Ledger(db)
    ledger.add_licence(dsp5())
    ledger.post_shipment(ship("INV-1", value="1000.00", quantity=2))
    code, out, _ = cli(["reverse", "INV-1", "--reason", "keyed twice", "--key", "REV-1",
                        "--db", db])
    assert code == 0 and "shipment INV-1 reversed by REV-1" in out
    assert "$1,000.00 given back to licence DSP5-T-1" in out
    code, out, _ = cli(["reverse", "INV-1", "--reason", "keyed twice", "--key", "REV-1",
                        "--db", db, "--json"])
    assert code == 0 and json.loads(out)["created"] is False
    code, _, err = cli(["reverse", "INV-1", "--reason", "again", "--key", "REV-2", "--db", db])
    assert code == 3 and err.startswith("error: ") and "already reversed" in err
    assert err.count("\n") == 1
    code, _, err = cli(["reverse", "INV-9", "--reason", "x", "--key", "REV-3", "--db", db])
    assert code == 3 and "no shipment with idempotency key 'INV-9'" in err
    assert Ledger(db).get_licence("DSP5-T-1").lines[0].shipped_value == Decimal("0.00")


def test_reverse_input_errors_name_the_problem(ledger: Ledger) -> None:
    with pytest.raises(InvalidInput, match="idempotency_key"):
        ledger.reverse_shipment("oops", reason="r", idempotency_key="")
    with pytest.raises(InvalidInput, match="reason"):
        ledger.reverse_shipment("oops", reason="x" * 2001, idempotency_key="r")


def test_posts_after_a_reversal_draw_from_the_balance_given_back(ledger: Ledger) -> None:
    """On PostgreSQL the next posts may run on the terms this process cached before the
    reversal: their write states the balance it was checked on, so they fall back to reading
    it under the lock, and the licence is drawn exactly to its limit."""
    ledger.add_licence(dsp5(value="1000.00", quantity=10))
    for n in range(4):  # the licence becomes quiet: later posts use the cached terms
        ledger.post_shipment(ship(f"s{n}", value="200.00", quantity=2))
    ledger.reverse_shipment("s1", reason="duplicate", idempotency_key="r1")
    ledger.reverse_shipment("s2", reason="duplicate", idempotency_key="r2")
    assert ledger.post_shipment(ship("s4", value="500.00", quantity=5)).created
    with pytest.raises(LedgerError, match="exceed the remaining"):
        ledger.post_shipment(ship("s5", value="600.00", quantity=1))
    assert ledger.post_shipment(ship("s6", value="100.00", quantity=1)).created
    assert _drawn(ledger) == [(Decimal(10), Decimal("1000.00"))]
    assert ledger.verify_audit().ok and ledger.balance_mismatches() == []
