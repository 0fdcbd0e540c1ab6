"""The licence-ledger demo: Hong Kong 2019-2020 (issue #5), end to end."""

from __future__ import annotations

from alembic import command
from rich.console import Console

from exportcheck.db.engine import dispose_engine, get_engine, masked_url
from exportcheck.db.migrate import alembic_config
from exportcheck.errors import LedgerError
from exportcheck.ledger import seed
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.render import report_table, usd
from exportcheck.settings import get_settings


def fresh_demo_database() -> str:
    """URL of the demo's own SQLite file, ``demo.db`` in the data directory, deleted and
    recreated on every call: the made-up licences never reach the user's real (append-only)
    ledger, and a second run does not meet the first run's records."""
    path = get_settings().data_dir / "demo.db"
    url = f"sqlite:///{path}"
    dispose_engine(url)  # no connection of this process may keep the old file alive
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (path, path.with_name("demo.db-wal"), path.with_name("demo.db-shm")):
        leftover.unlink(missing_ok=True)
    engine = get_engine(url)
    # migrate.upgrade() remembers engines it has upgraded; this file is new, so always migrate
    cfg = alembic_config()
    cfg.attributes["engine"] = engine
    command.upgrade(cfg, "heads")
    return url


def run(console: Console, database_url: str | None = None) -> None:
    """Seed the HK scenario (idempotently), post its shipments, apply the 30 June 2020
    suspension, show a late shipment being refused, and print the balance report.

    Without ``database_url`` it uses a fresh demo database (:func:`fresh_demo_database`),
    never the configured ledger; either way it prints which database it used."""
    if database_url is None:
        database_url = fresh_demo_database()
        console.print(f"ledger database: {masked_url(database_url)} (demo only, recreated "
                      "each run; give --db to use another)", soft_wrap=True)
    else:
        console.print(f"ledger database: {masked_url(database_url)}", soft_wrap=True)
    ledger = Ledger(database_url)
    versions = {"scenario": "hk-2019"}
    console.rule("[bold]Licence ledger: Hong Kong 2019-2020")
    for spec in seed.LICENCES:
        lic, created = ledger.add_licence(spec, actor=seed.ACTOR, versions=versions)
        total = sum(line.value for line in lic.lines)
        console.print(f"{'added' if created else 'present'}: {lic.agency} {lic.kind} "
                      f"{lic.number}, {usd(total)}, valid {lic.valid_from} to {lic.valid_to}")
    for spec in seed.shipment_specs():
        shp = ledger.post_shipment(spec, actor=seed.ACTOR, versions=versions)
        console.print(f"{'shipped' if shp.created else 'already recorded'}: {shp.ship_date} "
                      f"{spec['licence_number']} {usd(shp.total_value)} "
                      f"(audit #{shp.audit_seq})")
    result = ledger.apply_policy_event(seed.HK_2020_EVENT, actor=seed.ACTOR, versions=versions)
    console.print(f"policy event {result.key}: {seed.HK_2020_EVENT['action']} "
                  f"{', '.join(result.affected) or 'nothing'} with effect from "
                  f"{seed.HK_2020_EVENT['effective']}"
                  + ("" if result.created else " (already applied)"))
    try:
        ledger.post_shipment(seed.LATE_SHIPMENT, actor=seed.ACTOR, versions=versions)
        console.print("[red]unexpected: the post-suspension shipment was accepted")
    except LedgerError as exc:
        console.print(f"[yellow]refused[/]: shipment of 15 Jul 2020: {exc}")
    report = ledger.report(destination="HK", agency="DDTC")
    console.print(report_table(report))
    console.print(f"Approved {usd(report.approved)}, shipped {usd(report.shipped)}, "
                  f"blocked by the 2020 suspension {usd(report.blocked)}.")
    check = ledger.verify_audit()
    console.print(f"audit trail: {check.checked} entries, chain "
                  f"{'verifies' if check.ok else 'BROKEN: ' + check.problem}; head "
                  f"#{check.head_seq} {check.head_hash[:16]}...")
