"""Rich tables for licences, shipments and the balance report (shared by the CLI and the
demo)."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Group
from rich.table import Table
from rich.text import Text

from exportcheck.ledger.records import ShipmentRecord
from exportcheck.ledger.report import Report
from exportcheck.ledger.schemas import LicenceOut


def usd(value: Decimal) -> str:
    return f"${value:,.2f}"


def report_table(report: Report) -> Table:
    table = Table(title=f"Licence balances as of {report.as_of}", show_footer=True)
    table.add_column("Licence", footer="Total")
    table.add_column("Kind")
    table.add_column("Dest.")
    table.add_column("Status")
    for name, attr in (("Approved", "approved"), ("Shipped", "shipped"),
                       ("Remaining", "remaining"), ("Blocked", "blocked"),
                       ("Available", "available")):
        table.add_column(name, justify="right", footer=usd(getattr(report, attr)))
    for r in report.rows:
        status = r.status + (f" {r.status_since}" if r.status_citation else "")
        table.add_row(f"{r.agency} {r.number}", r.kind, r.destination, status, usd(r.approved),
                      usd(r.shipped), usd(r.remaining), usd(r.blocked), usd(r.available))
    return table


def licence_table(lic: LicenceOut) -> Table:
    table = Table(title=f"{lic.agency} {lic.kind} {lic.number} -> {lic.destination}, "
                        f"valid {lic.valid_from} to {lic.valid_to}, {lic.status}")
    for col in ("Line", "Item", "Licensed", "Shipped", "Remaining", "Tolerance"):
        table.add_column(col, justify="right" if col in {"Licensed", "Shipped",
                                                         "Remaining"} else "left")
    for ln in lic.lines:
        qty = "" if ln.quantity is None else f"{ln.quantity} {ln.unit} / "
        sq = "" if ln.quantity is None else f"{ln.shipped_quantity} {ln.unit} / "
        rq = "" if ln.remaining_quantity is None else f"{ln.remaining_quantity} {ln.unit} / "
        table.add_row(str(ln.line_no), f"{ln.classification} {ln.description}".strip(),
                      qty + usd(ln.value), sq + usd(ln.shipped_value),
                      rq + usd(ln.remaining_value),
                      f"value +{ln.value_tolerance * 100:.0f}% ({ln.tolerance_citation})")
    return table


def history_table(lic: LicenceOut) -> Table:
    table = Table(title="Status history")
    for col in ("Effective", "Status", "Reason", "Citation"):
        table.add_column(col)
    for ev in lic.history:
        table.add_row(str(ev.effective), ev.status, ev.reason, ev.citation)
    return table


def shipments_table(records: list[ShipmentRecord], total: int) -> Group:
    """Posted shipments, newest first; each reversed one is marked, with who reversed it and
    why below the table (``shipments show KEY`` has the lines and parties)."""
    shown = f"{len(records)} of {total}" if len(records) < total else f"{total}"
    table = Table(title=f"{shown} shipments")
    for col in ("Key", "Shipped", "Authority", "Value", "Posted by"):
        table.add_column(col, no_wrap=col in ("Shipped", "Value"), overflow="fold")
    notes = []
    for r in records:
        authority = f"{r.licence_number or 'exception ' + str(r.licence_exception)} → " \
                    f"{r.destination}"
        key = Text(r.idempotency_key)
        if r.reversal:
            rev = r.reversal
            key.append(" reversed", style="bold red")
            notes.append(Text(f"{r.idempotency_key} reversed {rev.recorded_at:%Y-%m-%d} by "
                              f"{rev.actor}: {rev.reason}"))
        table.add_row(key, str(r.ship_date), authority, usd(r.total_value), r.actor)
    return Group(table, *notes)
