"""Policy events over many licences, the balance report, and the HK seed scenario."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from ledger_helpers import bis, dsp5, ship
from rich.console import Console

from exportcheck.ledger import demo, seed
from exportcheck.ledger.shipments import ShipmentRefused

HK_EVENT = {"key": "hk", "title": "HK", "action": "suspended", "effective": "2020-06-30",
            "citation": "EO 13936, 85 FR 43413", "filter": {"agency": "DDTC",
                                                            "destinations": ["HK"]}}


def test_policy_event_hits_only_matching_licences(ledger):
    ledger.add_licence(dsp5("HK-1"))
    ledger.add_licence(dsp5("HK-2", lines=[{"classification": "III(a)", "quantity": 5,
                                            "value": "10"}]))
    ledger.add_licence(dsp5("SG-1", destination="SG"))
    ledger.add_licence(dsp5("HK-NEW", valid_from="2020-09-01"))  # approved after the event
    ledger.add_licence(bis("B-1", destination="HK"))
    result = ledger.apply_policy_event(HK_EVENT)
    assert result.created and result.affected == ["DDTC HK-1", "DDTC HK-2"]
    again = ledger.apply_policy_event(HK_EVENT)
    assert not again.created and again.affected == ["DDTC HK-1", "DDTC HK-2"]
    assert ledger.get_licence("SG-1", as_of=dt.date(2021, 1, 1)).status == "approved"
    assert ledger.get_licence("HK-NEW", as_of=dt.date(2021, 1, 1)).status == "approved"


def test_licence_added_after_the_event_is_covered_by_it(ledger):
    ledger.apply_policy_event(HK_EVENT)
    ledger.add_licence(dsp5("HK-OLD"))  # back-filled 2019 licence
    ledger.add_licence(dsp5("SG-OLD", destination="SG"))
    assert ledger.get_licence("HK-OLD", as_of=dt.date(2020, 7, 1)).status == "suspended"
    assert ledger.get_licence("SG-OLD", as_of=dt.date(2020, 7, 1)).status == "approved"
    with pytest.raises(ShipmentRefused, match="suspended"):
        ledger.post_shipment(ship("x", "HK-OLD", date="2020-07-01"))
    assert ledger.post_shipment(ship("y", "HK-OLD", date="2020-06-01")).created


def test_policy_event_with_classification_filter_and_late_shipments(ledger):
    ledger.add_licence(dsp5("HK-1"))
    ledger.add_licence(dsp5("HK-2", lines=[{"classification": "III(a)", "quantity": 5,
                                            "value": "10"}]))
    ledger.post_shipment(ship("late", "HK-1", date="2020-07-02"))
    event = HK_EVENT | {"key": "hk-cat-i", "filter": {"classification_prefixes": ["I("]}}
    result = ledger.apply_policy_event(event)
    assert result.affected == ["DDTC HK-1"]
    assert result.shipments_on_or_after == ["late"]  # flagged for review, not deleted
    with pytest.raises(ShipmentRefused, match="suspended"):
        ledger.post_shipment(ship("later", "HK-1", date="2020-07-03"))


def test_report_totals_and_blocked_balances(ledger):
    ledger.add_licence(dsp5("A", value="1000.00"))
    ledger.add_licence(dsp5("B", value="500.00", destination="SG"))
    ledger.post_shipment(ship("a1", "A", value="400.00"))
    ledger.apply_policy_event(HK_EVENT)
    rep = ledger.report(as_of=dt.date(2021, 1, 1))
    rows = {r.number: r for r in rep.rows}
    assert (rows["A"].status, rows["A"].blocked, rows["A"].available) == (
        "suspended", Decimal("600.00"), Decimal("0.00"))
    assert (rows["B"].status, rows["B"].blocked, rows["B"].available) == (
        "approved", Decimal("0.00"), Decimal("500.00"))
    assert (rep.approved, rep.shipped, rep.remaining, rep.blocked, rep.available) == (
        Decimal("1500.00"), Decimal("400.00"), Decimal("1100.00"), Decimal("600.00"),
        Decimal("500.00"))
    assert ledger.report(as_of=dt.date(2024, 1, 1)).rows[1].status == "expired"


def test_hk_seed_scenario_gives_the_issue_numbers(ledger):
    seed.seed(ledger)
    seed.seed(ledger)  # idempotent
    rep = ledger.report(agency="DDTC", destination="HK")
    assert (rep.approved, rep.shipped, rep.blocked) == (
        seed.EXPECTED["approved"], seed.EXPECTED["shipped"], seed.EXPECTED["blocked"])
    with pytest.raises(ShipmentRefused, match="suspended with effect from 2020-06-30"):
        ledger.post_shipment(seed.LATE_SHIPMENT)
    assert ledger.verify_audit().ok and ledger.balance_mismatches() == []


def test_demo_runs_twice_and_prints_the_balance(db_url):
    console = Console(record=True, width=160)
    demo.run(console, db_url)
    demo.run(console, db_url)
    text = console.export_text()
    assert "$2,400,000.00" in text and "$1,400,000.00" in text and "$1,000,000.00" in text
    assert "refused" in text and "chain verifies" in text


def test_report_as_of_counts_only_shipments_up_to_that_day(ledger):
    ledger.add_licence(dsp5("A", value="1000.00"))
    ledger.add_licence(dsp5("B", value="500.00", destination="SG"))
    ledger.post_shipment(ship("a1", "A", value="100.00", date="2019-06-01"))
    ledger.post_shipment(ship("a2", "A", value="200.00", date="2019-09-01"))
    ledger.post_shipment(ship("a3", "A", value="300.00", date="2020-06-29"))
    ledger.post_shipment(ship("b1", "B", value="50.00", date="2019-09-01", destination="SG"))
    ledger.apply_policy_event(HK_EVENT)

    def shipped(day: dt.date) -> tuple[Decimal, Decimal, Decimal]:
        rep = ledger.report(as_of=day)
        rows = {r.number: r for r in rep.rows}
        return rows["A"].shipped, rows["B"].shipped, rep.shipped

    assert shipped(dt.date(2019, 5, 31)) == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    assert shipped(dt.date(2019, 6, 1)) == (Decimal("100.00"), Decimal("0.00"),
                                            Decimal("100.00"))
    assert shipped(dt.date(2019, 9, 1)) == (Decimal("300.00"), Decimal("50.00"),
                                            Decimal("350.00"))
    mid = ledger.report(as_of=dt.date(2019, 9, 1)).rows[0]
    assert (mid.remaining, mid.available, mid.blocked) == (
        Decimal("700.00"), Decimal("700.00"), Decimal("0.00"))
    late = ledger.report(as_of=dt.date(2020, 7, 1)).rows[0]  # suspended: the rest is blocked
    assert (late.shipped, late.remaining, late.blocked) == (
        Decimal("600.00"), Decimal("400.00"), Decimal("400.00"))
    assert ledger.report().shipped == Decimal("650.00")  # no --as-of: everything drawn


def test_cli_demo_never_touches_the_real_ledger(tmp_path, monkeypatch):
    import sqlalchemy as sa
    import typer
    from typer.testing import CliRunner

    from exportcheck.cli import ledger_cmds
    from exportcheck.settings import get_settings

    real = tmp_path / "real.db"
    monkeypatch.setenv("EXPORTCHECK_DATABASE_URL", f"sqlite:///{real}")
    app = typer.Typer()
    ledger_cmds.register(app)
    runner = CliRunner()
    for _ in range(2):  # recreated each run: the second run starts from scratch again
        out = runner.invoke(app, ["licences", "demo"])
        assert out.exit_code == 0, (out.output, out.exception)
        demo_db = get_settings().data_dir / "demo.db"
        assert f"ledger database: sqlite:///{demo_db}" in out.output
        assert "added: DDTC" in out.output and "present:" not in out.output
        assert "chain verifies" in out.output
    assert not real.exists()  # the configured (real) ledger was never opened
    engine = sa.create_engine(f"sqlite:///{demo_db}")
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT count(*) FROM ledger_licence")).scalar() > 0
    engine.dispose()


def test_cli_demo_with_db_uses_that_database(db_url):
    import typer
    from typer.testing import CliRunner

    from exportcheck.cli import ledger_cmds
    from exportcheck.ledger.api import Ledger

    app = typer.Typer()
    ledger_cmds.register(app)
    out = CliRunner().invoke(app, ["licences", "demo", "--db", db_url])
    assert out.exit_code == 0, (out.output, out.exception)
    assert "ledger database: " in out.output and "demo.db" not in out.output
    assert Ledger(db_url).list_licences()
