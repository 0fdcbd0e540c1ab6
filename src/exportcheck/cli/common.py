"""Parsing and formatting helpers shared by the command modules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from exportcheck.errors import InvalidInput
from exportcheck.models import Determination, Outcome

console = Console()

OUTCOME_STYLE = {
    Outcome.PROHIBITED: "bold white on red",
    Outcome.LICENSE_REQUIRED: "bold red",
    Outcome.EXCEPTION_AVAILABLE: "bold yellow",
    Outcome.NLR: "bold green",
}


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A transient bar for long runs; yields the ``progress(done, total)`` callback."""
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def parse_date(text: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"invalid {what} {text!r}: use YYYY-MM-DD") from None


def determination_table(d: Determination, *, full_trace: bool = True) -> Table:
    title = f"{d.item} → {d.destination}"
    if d.evaluated_destination != d.destination:
        title += f" (determined as {d.evaluated_destination})"
    title += f" on {d.on.isoformat()}"
    t = Table(title=title, show_header=False, title_justify="left")
    t.add_column("field", style="bold")
    t.add_column("value")
    t.add_row("outcome", f"[{OUTCOME_STYLE[d.outcome]}]{d.outcome.value}[/]")
    t.add_row("agency", d.agency.value if d.agency else "—")
    t.add_row("reasons", ", ".join(d.reasons) or "—")
    t.add_row("review policy", d.review_policy or "—")
    t.add_row(
        "licence exceptions",
        "\n".join(f"{e.symbol} ({e.citation}): {e.conditions}" for e in d.license_exceptions)
        or "—",
    )
    for h in d.screening_hits:
        t.add_row("screening hit", f"{h.list} {h.entry_id} {h.matched_name} ({h.score:.0f})")
    if full_trace:
        t.add_row("trace", trace_text(d))
    return t


def trace_text(d: Determination, fired_only: bool = False) -> str:
    lines = []
    for s in d.trace:
        if fired_only and not s.fired:
            continue
        since = (
            s.effective_from.isoformat()
            if s.start_date_known and s.effective_from
            else "start date unknown"
        )
        mark = "[red]●[/]" if s.fired else "[dim]○[/]"
        lines.append(
            f"{mark} {s.rule} [dim]({s.citation}; in force from {since})[/]\n    {s.detail}"
        )
    return "\n".join(lines)
