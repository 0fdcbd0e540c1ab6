"""``exportcheck licences ...``, ``ship``, ``reverse``, ``shipments ...`` and ``audit ...``: the
licence ledger on the command line.

Parses input, calls :class:`exportcheck.ledger.api.Ledger`, formats the answer. The database is
``--db`` or ``EXPORTCHECK_DATABASE_URL`` (default: SQLite in the user data directory).
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import typer

from exportcheck.cli.common import (
    CONDITIONS_MET_OPTION,
    FACT_OPTION,
    HEADQUARTERS_OPTION,
    NAC_NOTIFIED_OPTION,
    cli_actor,
    configured_database_exists,
    console,
    existing_database,
    parse_date,
    recording_database,
    transaction_facts,
)
from exportcheck.cli.spec_files import read_spec_file
from exportcheck.errors import REFUSED, InvalidInput, LedgerError

licences_app = typer.Typer(help="Licences: add, show, list, report, suspend/revoke, policy events.",
                           no_args_is_help=True)
shipments_app = typer.Typer(help="Posted shipments: list and show (with their reversals).",
                            no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit trail: verify, seal and export.",
                        no_args_is_help=True)

DB = typer.Option(None, "--db", help="database URL (default: EXPORTCHECK_DATABASE_URL or SQLite)")
AS_JSON = typer.Option(False, "--json", help="print JSON")
ACTOR = typer.Option(None, "--actor", help="who is acting (default: cli:<login name>)")
AGENCY = typer.Option(None, "--agency", help="BIS or DDTC (default: either)")
DESTINATION = typer.Option(None, "--destination", help="only this destination (ISO code)")
AS_OF_HELP = ("status, and what is shipped by then, on this date, YYYY-MM-DD (--on: as "
              "`rules show` names it)")
_ITEM = re.compile(r"^(?P<cls>[^=]+)=(?P<qty>[0-9.,]+)@(?P<value>[0-9.,]+)$")


def _ledger(db: str | None, *, create: bool = False) -> Any:
    """The ledger on ``--db``; only commands that record (``create``) may start a new SQLite
    file, so a mistyped path is an error rather than an empty ledger."""
    from exportcheck.ledger.api import Ledger

    if not create and db is None:
        configured_database_exists("`exportcheck licences add FILE` (or `ship --exception`, "
                                   "`check --record`)")
    return Ledger(recording_database(db) if create else existing_database(db))


def _versions() -> dict[str, str]:
    """Rule-base version for the audit entry; the rules package is optional here."""
    try:
        from exportcheck.rules import load_ruleset

        return {"rule_base": str(load_ruleset().version)}
    except Exception as exc:  # rules not built yet or unreadable: say so in the record
        return {"rule_base": f"unavailable ({type(exc).__name__})"}


def _load(path: Path) -> Any:
    return read_spec_file(path)


def _dump(obj: Any) -> None:
    typer.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def _dump_refusal(exc: LedgerError, as_json: bool) -> None:
    """With ``--json``, a refusal the ledger audited is JSON on stdout too (the rule, the
    message and what each line's determination said), so a script reads why as it reads an
    acceptance; the ``error:`` line and exit code 3 follow."""
    if as_json and exc.exit_code == REFUSED:
        _dump({"refused": True, "rule": getattr(exc, "rule", None), "message": str(exc),
               "determination": getattr(exc, "determination", [])})


@licences_app.command("add")
def add(file: Path = typer.Argument(..., help="YAML/JSON licence (or list of licences)"),
        db: str | None = DB, actor: str | None = ACTOR, as_json: bool = AS_JSON) -> None:
    """Register licences from a file (agency, number, kind, destination, parties, lines...).
    A list is added all or none: an invalid entry is named and nothing is written."""
    data = _load(file)
    if data is None or data == []:
        raise InvalidInput(f"no licence found in {file}: give one licence (a mapping) or a "
                           "list of them")
    ledger, out = _ledger(db, create=True), []
    if isinstance(data, list):
        added = ledger.add_licences(data, actor=cli_actor(actor), versions=_versions())
    else:
        added = [ledger.add_licence(data, actor=cli_actor(actor), versions=_versions())]
    for lic, created in added:
        out.append({"licence": lic.model_dump(mode="json"), "created": created})
        if not as_json:
            console.print(f"{'added' if created else 'already present'}: {lic.agency} "
                          f"{lic.kind} {lic.number} -> {lic.destination}, valid "
                          f"{lic.valid_from} to {lic.valid_to}")
    if as_json:
        _dump(out)


@licences_app.command("show")
def show(number: str, agency: str | None = AGENCY,
         as_of: str | None = typer.Option(
             None, "--as-of", "--on", help=AS_OF_HELP),
         db: str | None = DB, as_json: bool = AS_JSON) -> None:
    """One licence: lines with shipped and remaining amounts, parties, status history."""
    from exportcheck.ledger.render import history_table, licence_table

    lic = _ledger(db).get_licence(number, agency, parse_date(as_of) if as_of else None)
    if as_json:
        _dump(lic.model_dump(mode="json"))
        return
    console.print(licence_table(lic))
    console.print("Parties: " + "; ".join(f"{p.role}: {p.name}" for p in lic.parties))
    for proviso in lic.provisos:
        console.print(f"Proviso: {proviso}")
    console.print(history_table(lic))


@licences_app.command("list")
def list_(agency: str | None = AGENCY,
          destination: str | None = DESTINATION,
          as_of: str | None = typer.Option(
              None, "--as-of", "--on", help=AS_OF_HELP),
          db: str | None = DB, as_json: bool = AS_JSON) -> None:
    """All licences with their status."""
    from rich.table import Table

    from exportcheck.ledger.render import usd

    rows = _ledger(db).list_licences(agency=agency, destination=destination,
                                     as_of=parse_date(as_of) if as_of else None)
    if as_json:
        _dump([r.model_dump(mode="json") for r in rows])
        return
    table = Table(title=f"{len(rows)} licences")
    for col in ("Agency", "Number", "Kind", "Dest.", "Valid", "Status", "Remaining"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.agency, r.number, r.kind, r.destination, f"{r.valid_from}..{r.valid_to}",
                      r.status, usd(sum((ln.remaining_value for ln in r.lines), Decimal(0))))
    console.print(table)


@licences_app.command("report")
def report(as_of: str | None = typer.Option(
               None, "--as-of", "--on", help=AS_OF_HELP + " (default: today)"),
           agency: str | None = AGENCY,
           destination: str | None = DESTINATION,
           db: str | None = DB, as_json: bool = AS_JSON) -> None:
    """Approved vs shipped vs remaining (and blocked), per licence and in total."""
    from exportcheck.ledger.render import report_table

    rep = _ledger(db).report(as_of=parse_date(as_of) if as_of else None, agency=agency,
                             destination=destination)
    if as_json:
        _dump(rep.model_dump(mode="json"))
    else:
        console.print(report_table(rep))


def _status(number: str, status: str, effective: str, reason: str, citation: str,
            agency: str | None, db: str | None, actor: str | None,
            lifts: str | None = None) -> None:
    lic = _ledger(db).set_status(number, status, effective=parse_date(effective), reason=reason,
                                 citation=citation, agency=agency, actor=cli_actor(actor),
                                 versions=_versions(), lifts=lifts)
    start = (f" (in force from the licence's start, {lic.valid_from})"
             if parse_date(effective) < lic.valid_from else "")
    again = "" if lic.created else " (already recorded: its latest status change; nothing added)"
    lifted = f" (lifts {lifts})" if lifts else ""
    console.print(f"{lic.agency} {lic.number}: {status}{lifted} with effect from {effective}"
                  f"{start}; status now {lic.status}{again}", soft_wrap=True)
    from rich.markup import escape

    for shp in lic.shipments_to_review:  # posted before this change was known
        console.print(f"[yellow]review[/]: shipment {escape(shp.idempotency_key)} of "
                      f"{shp.ship_date} (${shp.total_value:,}) is dated on/after the "
                      "effective date", soft_wrap=True)


EFFECTIVE = typer.Option(..., "--effective",
                         help="the day the change takes effect, YYYY-MM-DD")
REASON = typer.Option(..., "--reason", help="why (recorded with the status change)")
CITATION = typer.Option(..., "--citation", help="rule or notice, e.g. '22 CFR 126.7'")


@licences_app.command("suspend")
def suspend(number: str, effective: str = EFFECTIVE, reason: str = REASON,
            citation: str = CITATION, agency: str | None = AGENCY,
            db: str | None = DB, actor: str | None = ACTOR) -> None:
    """Suspend one licence from a date (15 CFR 750.8, 22 CFR 126.7)."""
    _status(number, "suspended", effective, reason, citation, agency, db, actor)


@licences_app.command("revoke")
def revoke(number: str, effective: str = EFFECTIVE, reason: str = REASON,
           citation: str = CITATION, agency: str | None = AGENCY,
           db: str | None = DB, actor: str | None = ACTOR) -> None:
    """Revoke one licence from a date."""
    _status(number, "revoked", effective, reason, citation, agency, db, actor)


@licences_app.command("status")
def set_status(number: str, status: str = typer.Argument(
                   ..., help="suspended|revoked|reinstated|returned_without_action|expired"),
               effective: str = EFFECTIVE, reason: str = REASON, citation: str = CITATION,
               agency: str | None = AGENCY, db: str | None = DB,
               actor: str | None = ACTOR,
               lifts: str | None = typer.Option(
                   None, "--lifts", metavar="EVENT",
                   help="reinstated: the key of the policy event whose suspension of this "
                        "licence is lifted (default: the licence's own suspensions)")) -> None:
    """Record any status change of one licence. Suspensions stack: a reinstatement lifts the
    licence's own suspensions, or with --lifts one policy event's."""
    _status(number, status, effective, reason, citation, agency, db, actor, lifts)


@licences_app.command("policy")
def policy_event(file: Path = typer.Argument(..., help="YAML/JSON policy event"),
                 db: str | None = DB, actor: str | None = ACTOR,
                 as_json: bool = AS_JSON) -> None:
    """Apply a policy event (key, title, action, effective, citation, filter) to all matches."""
    result = _ledger(db).apply_policy_event(_load(file), actor=cli_actor(actor),
                                            versions=_versions())
    if as_json:
        _dump(result.__dict__)
        return
    console.print(f"{result.key}: {len(result.affected)} licences affected"
                  + ("" if result.created else " (already applied)"))
    for name in result.affected:
        console.print(f"  {name}")
    for key in result.shipments_on_or_after:
        console.print(f"[yellow]review[/]: shipment {key} is dated on/after the effective date")


@licences_app.command("demo")
def demo(db: str | None = typer.Option(
        None, "--db", help="database URL (default: a fresh demo.db in the data directory, "
                           "never your ledger)")) -> None:
    """Load and report the Hong Kong 2019-2020 scenario in a demo database."""
    from exportcheck.ledger.demo import run

    run(console, db)


def _item(text: str) -> dict[str, Any]:
    m = _ITEM.match(text.strip())
    if not m:
        raise InvalidInput(f"--item {text!r}: use CLASSIFICATION=QUANTITY@VALUE, "
                           "e.g. 'I(a)=10@12500.00'")
    for what in ("qty", "value"):
        if "," in m[what]:
            # "12,50" is 12.50 in much of Europe and 1250 in the US: never guess at money
            raise InvalidInput(
                f"--item {text!r}: {m[what]!r} has a comma; write the "
                f"{'quantity' if what == 'qty' else 'value'} with a decimal point and no "
                "thousands separators, e.g. 12.50 or 1250.00")
    try:
        return {"classification": m["cls"].strip(), "quantity": Decimal(m["qty"]),
                "value": Decimal(m["value"])}
    except InvalidOperation:
        raise InvalidInput(f"--item {text!r}: quantity and value must be numbers") from None


def ship(licence: str | None = typer.Option(None, "--licence", help="licence number"),
         exception: str | None = typer.Option(None, "--exception",
                                              help="licence exception used instead (e.g. LVS)"),
         agency: str | None = typer.Option(
             None, "--agency", help="BIS or DDTC: the licence's agency (where both use the "
             "number)"),
         date: str | None = typer.Option(
             None, "--date", "--on", help="ship date, YYYY-MM-DD (--on: as `check` names it)"),
         to: str | None = typer.Option(None, "--to", help="destination ISO code"),
         consignee: str | None = typer.Option(
             None, "--consignee", help="consignee name (screened; on a licence, one it names)"),
         end_user: str | None = typer.Option(
             None, "--end-user", help="end-user name (screened; on a licence, one it names)"),
         end_user_type: str | None = typer.Option(
             None, "--end-user-type", help="civil, government or military: what a licence "
             "exception is checked with (default: civil)"),
         end_use: str | None = typer.Option(
             None, "--end-use", help="the stated end use a licence exception is checked with"),
         headquarters: str | None = HEADQUARTERS_OPTION,
         nac_notified: str | None = NAC_NOTIFIED_OPTION,
         conditions_met: list[str] = CONDITIONS_MET_OPTION,
         item: list[str] = typer.Option(
             [], "--item", help="CLASS=QTY@VALUE, repeatable; VALUE is the line's total in USD, "
             "not a unit price (I(a)=10@12500.00: 10 units for $12,500.00)"),
         key: str | None = typer.Option(None, "--key", help="idempotency key (e.g. invoice)"),
         reference: str = typer.Option("", "--reference", help="AES ITN, invoice..."),
         file: Path | None = typer.Option(None, "--file", help="YAML/JSON shipment instead"),
         override_reason: str | None = typer.Option(
             None, "--override-reason",
             help="post under --exception although the determination refuses it (not if "
                  "PROHIBITED): the authority the rule base does not know, recorded"),
         db: str | None = DB, actor: str | None = ACTOR, as_json: bool = AS_JSON) -> None:
    """Post a shipment: checked against its licence and drawn down, or refused with the rule.
    Under --exception, each line is checked against the determination instead.

    Exit code 3 when the ledger refuses it (the refusal is audited; with --json, also JSON on
    stdout), 2 for bad input."""
    if file is not None:
        spec = _load(file)
    else:
        missing = [n for n, v in (("--date", date), ("--to", to), ("--consignee", consignee),
                                  ("--end-user", end_user), ("--key", key)) if not v]
        if missing or not item:
            raise InvalidInput(f"missing {', '.join(missing + ([] if item else ['--item']))} "
                               "(or give --file)")
        spec = {"idempotency_key": key, "licence_number": licence, "agency": agency,
                "licence_exception": exception, "ship_date": date, "destination": to,
                "consignee": consignee, "end_user": end_user, "end_user_type": end_user_type,
                "end_use": end_use, "reference": reference, "lines": [_item(i) for i in item],
                "facts": transaction_facts(headquarters, nac_notified, conditions_met)}
    from exportcheck.api import default_screener
    from exportcheck.ledger.api import parse
    from exportcheck.ledger.exception_check import ExceptionRefused
    from exportcheck.ledger.schemas import ShipmentIn
    from exportcheck.ledger.shipments import check_ship_date

    # refused before a list loads or a database is made (a date after tomorrow too)
    spec = check_ship_date(parse(ShipmentIn, spec))
    if spec.facts is not None:  # a mistyped fact too
        from exportcheck.ledger.exception_check import checked_facts

        checked_facts(spec)
    # only a shipment under a licence exception can be a new ledger's first record: one drawn
    # on a licence needs the ledger that holds it (a mistyped --db is an error, not a new file)
    first = spec.licence_exception is not None
    led = _ledger(db, create=first)
    if spec.licence_number is not None:  # an unknown licence is its error, before lists load
        led.get_licence(spec.licence_number, spec.agency)
    try:
        out = led.post_shipment(spec, actor=cli_actor(actor), versions=_versions(),
                                override_reason=override_reason, screener=default_screener())
    except ExceptionRefused as exc:
        if exc.facts_wanted:  # say which options give the facts the exception turns on
            options = ", ".join(FACT_OPTION[f].format(spec.licence_exception)
                                for f in exc.facts_wanted)
            exc.args = (f"{exc.args[0]} (give {options})",)
        _dump_refusal(exc, as_json)
        raise
    except LedgerError as exc:
        _dump_refusal(exc, as_json)
        raise
    if as_json:
        _dump(out.model_dump(mode="json"))
        return
    what = "recorded" if out.created else "already recorded (same idempotency key)"
    if out.reversed:  # a repeated key of a reversed shipment draws nothing: not shipped
        what += ", since REVERSED: nothing is drawn; post it under a new key if it ships"
    console.print(f"shipment {out.idempotency_key} {what}: ${out.total_value:,} to "
                  f"{out.destination} on {out.ship_date} (audit #{out.audit_seq})",
                  soft_wrap=True)
    for line in getattr(out, "determination", []):
        offered = line["exception"]
        said = (f"{offered['symbol']} ({offered['citation']}): {offered['conditions']}"
                if offered else line["note"])
        console.print(f"  line {line['line']} ({line['classification']}): {line['outcome']}"
                      + (f"; {said}" if said else ""), soft_wrap=True, markup=False)
    if getattr(out, "override_reason", None):
        console.print(f"  overridden by the officer: {out.override_reason}", soft_wrap=True,
                      markup=False)


def reverse(shipment_key: str = typer.Argument(
                ..., help="idempotency key the shipment was posted under"),
            reason: str = typer.Option(..., "--reason", help="why it is reversed (recorded)"),
            key: str = typer.Option(..., "--key", help="the reversal's own idempotency key"),
            reference: str = typer.Option("", "--reference",
                                          help="e.g. the corrected AES filing, a credit note"),
            db: str | None = DB, actor: str | None = ACTOR, as_json: bool = AS_JSON) -> None:
    """Reverse a shipment posted by mistake: its draw-down is given back to the licence and it
    is marked reversed, with an audit entry; nothing is edited or deleted.

    Exit code 3 when the ledger refuses it (the refusal is audited), 2 for bad input."""
    try:
        out = _ledger(db).reverse_shipment(shipment_key, reason=reason, idempotency_key=key,
                                           reference=reference, actor=cli_actor(actor),
                                           versions=_versions())
    except LedgerError as exc:
        _dump_refusal(exc, as_json)
        raise
    if as_json:
        _dump(out.model_dump(mode="json"))
        return
    what = "reversed" if out.created else "already reversed (same reversal key)"
    given = (f"${out.returned_value:,} given back to licence {out.licence_number}"
             if out.licence_number else
             f"nothing to give back (licence exception {out.licence_exception})")
    console.print(f"shipment {out.shipment_key} {what} by {out.idempotency_key} (audit "
                  f"#{out.audit_seq}): {given}", soft_wrap=True, markup=False)
    for line in out.returned:
        console.print(f"  line {line.line_no} ({line.classification}): quantity "
                      f"{line.quantity}, ${line.value:,}", markup=False)


@shipments_app.command("list")
def list_shipments(licence: str | None = typer.Option(None, "--licence", help="licence number"),
                   agency: str | None = AGENCY,
                   destination: str | None = DESTINATION,
                   from_: str | None = typer.Option(
                       None, "--from", help="first ship date, YYYY-MM-DD"),
                   to: str | None = typer.Option(
                       None, "--to", help="last ship date, YYYY-MM-DD"),
                   reversed_: bool | None = typer.Option(
                       None, "--reversed/--standing", help="only reversed / not reversed"),
                   limit: int = typer.Option(50, "--limit", min=1, max=10_000,
                                             help="at most this many shipments"),
                   offset: int = typer.Option(0, "--offset", min=0,
                                              help="skip this many first (paging)"),
                   db: str | None = DB, as_json: bool = AS_JSON) -> None:
    """Posted shipments, newest ship date first, with the key to reverse one by."""
    from exportcheck.ledger.render import shipments_table

    records, total = _ledger(db).list_shipments(
        licence_number=licence, agency=agency, destination=destination,
        start=parse_date(from_, "--from") if from_ else None,
        end=parse_date(to, "--to") if to else None, reversed=reversed_, limit=limit,
        offset=offset)
    if as_json:
        _dump({"items": [r.model_dump(mode="json") for r in records], "total": total,
               "limit": limit, "offset": offset})
    else:
        console.print(shipments_table(records, total))


@shipments_app.command("show")
def show_shipment(key: str = typer.Argument(..., help="the key the shipment was posted under"),
                  db: str | None = DB, as_json: bool = AS_JSON) -> None:
    """One shipment: authority, parties, lines, who posted it and any reversal."""
    from exportcheck.ledger.render import usd

    r = _ledger(db).get_shipment(key)
    if as_json:
        _dump(r.model_dump(mode="json"))
        return
    authority = (f"licence {r.licence_agency} {r.licence_number}" if r.licence_number
                 else f"licence exception {r.licence_exception}")
    said = [f"shipment {r.idempotency_key} (#{r.id}), shipped {r.ship_date} to {r.destination} "
            f"under {authority}: {usd(r.total_value)}",
            f"  consignee: {r.consignee}; end user: {r.end_user}"
            + (f"; reference: {r.reference}" if r.reference else ""),
            *(f"  {ln.classification}: quantity {ln.quantity.normalize():f}, {usd(ln.value)}"
              for ln in r.lines),
            f"  posted by {r.actor} at {r.recorded_at:%Y-%m-%d %H:%M} UTC (audit #{r.audit_seq})"]
    if r.reversal:
        rev = r.reversal
        said.append(f"  REVERSED by {rev.actor} at {rev.recorded_at:%Y-%m-%d %H:%M} UTC "
                    f"(key {rev.idempotency_key}, audit #{rev.audit_seq}): {rev.reason}"
                    + (f"; reference: {rev.reference}" if rev.reference else ""))
    for line in said:
        console.print(line, soft_wrap=True, markup=False)


@audit_app.command("verify")
def verify(anchor: list[str] = typer.Option([], "--anchor",
                                            help="SEQ:HASH recorded earlier, repeatable"),
           no_seal: bool = typer.Option(
               False, "--no-seal", help="check only: do not link entries not sealed yet "
               "(writes nothing, so a read-only database user can run it)"),
           db: str | None = DB, as_json: bool = AS_JSON) -> None:
    """Recompute the hash chain; exit 1 naming the first bad entry if anything was altered.
    Entries committed but not sealed yet are linked first (an edited one never is), unless
    --no-seal."""
    from exportcheck.ledger.audit import parse_anchor

    ledger = _ledger(db)
    result = ledger.verify_audit([parse_anchor(a) for a in anchor], seal=not no_seal)
    mismatches = ledger.balance_mismatches()
    if as_json:
        _dump(result.as_dict() | {"balance_mismatches": mismatches})
    elif result.ok:
        console.print(f"[green]OK[/]: {result.checked} entries verify and the ledger tables "
                      f"match them; head #{result.head_seq} {result.head_hash} (record this "
                      "as an anchor)")
        if result.unsealed:
            console.print(f"{result.unsealed} entries are not sealed yet (their content "
                          "hashes verify); `exportcheck audit seal` links them")
    elif result.table is not None:
        console.print(f"[red]TAMPERED[/]: the log verifies ({result.checked} entries) but a "
                      f"{result.problem}")
        if len(result.state_mismatches) > 1:
            console.print(f"{len(result.state_mismatches) - 1} further mismatch(es); "
                          "--json lists them all")
    else:  # no entry to name when the chain itself cannot be read (ledger.storagecheck)
        at = "" if result.first_bad is None else f" at entry #{result.first_bad}"
        console.print(f"[red]BROKEN[/]{at}: {result.problem}")
    for note in result.unverifiable if not as_json else []:
        console.print(f"[yellow]not checked[/]: entry {note}")
    for m in mismatches if not as_json else []:
        console.print(f"[red]balance mismatch[/]: {m}")
    if not result.ok or mismatches:
        raise typer.Exit(1)


@audit_app.command("seal")
def seal(db: str | None = DB, as_json: bool = AS_JSON,
         timeout: float = typer.Option(30.0, "--timeout", min=0.0,
                                       help="seconds to wait for transactions in flight")) -> None:
    """Link every committed entry into the hash chain now (writers normally do it right after
    their commit); prints the new head to record as an anchor."""
    result = _ledger(db).seal(timeout=timeout)
    if as_json:
        _dump({"sealed": result.sealed, "head_seq": result.head_seq,
               "head_hash": result.head_hash, "unsealed": result.unsealed,
               "blocked": result.blocked})
    else:
        console.print(f"sealed {result.sealed} entries; head #{result.head_seq} "
                      f"{result.head_hash}" + (f"; {result.unsealed} still unsealed"
                                               if result.unsealed else ""))
    if result.blocked:
        console.print(f"[red]NOT SEALED[/]: {result.blocked}")
        raise typer.Exit(1)


@audit_app.command("export")
def export(from_: str | None = typer.Option(None, "--from", help="first day, YYYY-MM-DD"),
           to: str | None = typer.Option(None, "--to", help="last day, YYYY-MM-DD"),
           fmt: str | None = typer.Option(
               None, "--format", help="json|csv (default: the -o file's suffix, .csv or "
               ".json; else json)"),
           output: Path | None = typer.Option(
               None, "-o", "--out", "--output", help="file (default: stdout)"),
           db: str | None = DB) -> None:
    """Write audit entries (with hashes, so they can be re-verified) for an auditor; exit 1
    with a warning when the trail does not verify (as ``audit verify``), after writing it.
    The file is written whole or not at all."""
    from exportcheck.cli.common import output_format
    from exportcheck.ledger.audit import check_export

    start = parse_date(from_, "--from") if from_ else None
    end = parse_date(to, "--to") if to else None
    # before the output file is touched: a refused export leaves an existing file as it was
    fmt = check_export(output_format(fmt, output, {".csv": "csv", ".json": "json"}, "json"),
                       start, end)
    ledger = _ledger(db)
    status = ledger.trail_status()
    if output is None:
        ledger.export_audit(sys.stdout, fmt=fmt, start=start, end=end, status=status)
    else:
        from exportcheck.outfile import staged

        with staged(output) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
            n = ledger.export_audit(fh, fmt=fmt, start=start, end=end, status=status)
        console.print(f"{n} audit entries -> {output}")
    if not status["ok"]:
        _broken_trail_warning(status)
        raise typer.Exit(1)


def _broken_trail_warning(status: dict[str, Any]) -> None:
    """One line on stderr: the export holds a trail that does not verify."""
    if status["table"] is None and status["problem"]:
        at = "" if status["first_bad"] is None else f" at entry #{status['first_bad']}"
        what = f"BROKEN{at}: {status['problem']}"
    elif status["table"] is not None:
        what = f"TAMPERED: {status['problem']}"
    else:
        what = f"balance mismatch: {status['balance_mismatches'][0]}"
    typer.echo(f"warning: the audit trail does not verify ({' '.join(what.split())}); the "
               "export holds the entries as stored: do not rely on it as a sound record "
               "(`exportcheck audit verify` shows the problem)", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(licences_app, name="licences")
    app.add_typer(shipments_app, name="shipments")
    app.add_typer(audit_app, name="audit")
    app.command("ship")(ship)
    app.command("reverse")(reverse)
