"""The README's main job: Hong Kong in 2020, told by the rule base itself.

Eight order lines to Hong Kong are determined the day before the first action (29 Jun 2020), in
the window when licence exceptions were suspended (15 Jul 2020) and after Hong Kong became
"China" for export controls (15 Jan 2021). Every change is explained by the rules that fired.
The parties are screened against the bundled sample lists even when official lists are loaded,
so the story told is the same on every machine (the README and the first line it prints say so).
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from pathlib import Path

from rich.console import Console
from rich.table import Table

from exportcheck.api import determine
from exportcheck.cli.common import OUTCOME_STYLE
from exportcheck.models import Determination

DATES = (date(2020, 6, 29), date(2020, 7, 15), date(2021, 1, 15))
POLICE = "Hong Kong Police Force"
#: on the Entity List with a Hong Kong address (bundled sample of the July 2026 CSL)
LISTED = "Centre Bright Electronics Company Limited"
#: the seed scenario as a portfolio: the 2019 defence sales and dual-use orders to Hong Kong
PORTFOLIO = Path(__file__).parent / "samples" / "hk_2020_portfolio.csv"

#: (label, item, value USD, end user, end-user type, end use)
ORDER_LINES = (
    # fully automatic: USML I(a) also after 9 Mar 2020, when semi-automatic pistols moved to 0A501
    ("Submachine guns for police", "USML:I(a)", 240_000, POLICE, "government", "law enforcement"),
    ("Bolt-action rifles for police", "0A501.a", 48_000, POLICE, "government", "law enforcement"),
    ("Rifle ammunition for police", "0A505.a", 350, POLICE, "government", "law enforcement"),
    ("Rad-hard ADC chips", "3A001.a.2", 4_200, "Kowloon Avionics Ltd", "civil", "satellite"),
    ("Memory modules (3A991)", "3A991.b", 2_500, "PLA Garrison Logistics Unit", "military", None),
    ("Military aircraft parts", "9A610.x", 1_200, "HK Aero Services", "civil", "aircraft repair"),
    ("Night-vision sights (USML)", "USML:XII", 120_000, POLICE, "government", "law enforcement"),
    ("Components to a listed distributor", "3A991.b", 900, LISTED, "civil", None),
)


def _fired(d: Determination) -> dict[str, str]:
    return {s.rule: s.citation for s in d.trace if s.fired}


def _key(d: Determination) -> tuple:
    return (d.outcome, d.reasons, [e.symbol for e in d.license_exceptions], d.review_policy)


def run(console: Console, database_url: str | None = None) -> None:
    from exportcheck.screen import Screener

    console.rule("[bold]exportcheck — Hong Kong, 2020")
    console.print(
        f"{len(ORDER_LINES)} order lines to Hong Kong, determined on three dates with the "
        "bundled, cited rule base; end users screened against the bundled sample lists.\n"
    )
    screener = Screener.from_samples()  # the story's lists, whatever is loaded
    results: list[list[Determination]] = []
    for _, item, value, user, utype, use in ORDER_LINES:
        results.append(
            [
                determine(
                    item,
                    "HK",
                    on,
                    value=value,
                    end_user=user,
                    end_user_type=utype,
                    end_use=use,
                    screener=screener,
                )
                for on in DATES
            ]
        )

    table = Table(title="Outcome by date", title_justify="left")
    table.add_column("order line")
    table.add_column("item")
    for on in DATES:
        table.add_column(on.isoformat())
    for (label, item, *_), row in zip(ORDER_LINES, results, strict=True):
        cells = []
        for d in row:
            extra = ",".join(d.reasons) or ",".join(e.symbol for e in d.license_exceptions)
            cells.append(f"[{OUTCOME_STYLE[d.outcome]}]{d.outcome.value}[/]\n[dim]{extra}[/]")
        table.add_row(label, item, *cells)
    console.print(table)
    console.print(f"[dim]rule base {results[0][0].ruleset_version}; lists {screener.version}[/]")
    for (label, *_), row in zip(ORDER_LINES, results, strict=True):
        for hit in row[0].screening_hits[:1]:
            console.print(
                f"• {label}: end user matches {hit.list} entry {hit.matched_name!r} "
                f"(score {hit.score:.0f}): {hit.license_requirement or ''} — "
                f"{hit.license_policy or ''}"
            )

    console.print("\n[bold]What changed, and which rule changed it[/]")
    for (label, *_), row in zip(ORDER_LINES, results, strict=True):
        for before, after in pairwise(row):
            if _key(before) == _key(after):
                continue
            console.print(
                f"• {label}: {before.outcome.value} ({before.on}) → "
                f"[bold]{after.outcome.value}[/] ({after.on})"
            )
            if before.review_policy != after.review_policy:
                console.print(
                    f"    review policy: {before.review_policy or '—'} → "
                    f"[bold]{after.review_policy}[/]"
                )
            old, new = _fired(before), _fired(after)
            for rule, cite in new.items():
                if rule not in old:
                    console.print(f"    [red]+[/] {rule} [dim]— {cite}[/]")
            for rule, cite in old.items():
                if rule not in new:
                    console.print(f"    [green]−[/] {rule} [dim]— {cite}[/]")
            blocked = [s for s in after.trace if not s.fired and "740.2(a)(23)" in s.detail]
            for s in blocked[:2]:
                console.print(f"    [yellow]![/] {s.rule}: {s.detail} [dim]— {s.citation}[/]")

    from exportcheck.ledger.demo import run as ledger_demo

    console.print()
    console.rule("[bold]Licence ledger — DSP-5 licences to the Hong Kong Police, 2019-2020")
    ledger_demo(console, database_url=database_url)  # None: its own fresh demo database
    impact_demo(console, screener)


def impact_demo(console: Console, screener: object) -> None:
    """The bundled Hong Kong portfolio, 29 Jun 2020 → 15 Jan 2021: what changed, and why."""
    import polars as pl

    from exportcheck.cli.impact_cmds import print_summary
    from exportcheck.impact import impact
    from exportcheck.impact.causes import headline
    from exportcheck.settings import get_settings

    console.print()
    console.rule("[bold]Impact — the Hong Kong portfolio, 29 Jun 2020 → 15 Jan 2021")
    lines = pl.read_csv(PORTFOLIO, infer_schema_length=0)
    result = impact(lines, date(2020, 6, 29), date(2021, 1, 15), screener=screener)  # type: ignore[arg-type]
    changed = result.lines.filter(pl.col("changed")).sort("value", descending=True)
    short = {"EXCEPTION_AVAILABLE": "EXCEPTION", "LICENSE_REQUIRED": "LICENCE"}
    table = Table(title="Largest changed order lines", title_justify="left")
    for col in ("order", "item", "value", "29 Jun 2020 → 15 Jan 2021", "why (first rule)"):
        table.add_column(col)
    for r in changed.head(8).iter_rows(named=True):
        old, new = (short.get(o or "error", o or "error") for o in (r["old_outcome"],
                                                                      r["new_outcome"]))
        if old == new and r["old_review_policy"] != r["new_review_policy"]:
            old, new = r["old_review_policy"], r["new_review_policy"]
        table.add_row(r["order_id"], r["item"], f"${r['value']:,.0f}", f"{old} → {new}",
                      headline(r["cause"]))
    console.print(table)
    out = get_settings().data_dir / "impact-hk-2020"
    result.write(str(out))
    print_summary(result, out)

