"""Control lines whose scope the rule base holds only in words ("SL applies to technology for
... 5A001.f.1") are applied to the whole entry; the determination then also says what the answer
is if the item is outside their scope, since the order line does not say what it is for."""

from __future__ import annotations

from datetime import date

import polars as pl

from exportcheck.determine.batch import determine_frame
from exportcheck.determine.engine import determine
from exportcheck.models import Outcome
from exportcheck.rules.ruleset import load_ruleset

ON = date(2026, 7, 1)


def test_a_line_read_in_words_that_decides_gives_the_answer_outside_its_scope() -> None:
    """5E001 to Canada: NS1 has no X for CA; only SL (15 CFR 742.13, all destinations, for
    technology for 5A001.f.1) requires a licence."""
    d = determine("5E001.b.1", "CA", ON)
    assert d.outcome is Outcome.LICENSE_REQUIRED and d.reasons == ["SL"]
    o = d.if_out_of_scope
    assert o is not None and o.outcome is Outcome.NLR and o.reasons == []
    assert len(o.lines) == 1 and o.lines[0].startswith("5E001 SL: SL applies to")
    assert "5A001.f.1" in o.lines[0]
    step = next(t for t in d.trace if t.rule.startswith("SCOPE"))
    assert step.fired and "the outcome would be NLR" in step.detail


def test_outside_the_scope_other_reasons_can_remain() -> None:
    """To China NS1 has an X: outside SL's scope a licence is still required, for NS."""
    d = determine("5E001.b.1", "CN", ON)
    assert d.outcome is Outcome.LICENSE_REQUIRED and "SL" in d.reasons
    o = d.if_out_of_scope
    assert o is not None and o.outcome is Outcome.LICENSE_REQUIRED
    assert o.reasons == ["NS1"]


def test_no_answer_outside_when_the_lines_read_in_words_change_nothing() -> None:
    d = determine("3A001.a.2", "CN", ON)  # every line of 3A001 reads as paragraphs
    assert d.if_out_of_scope is None
    assert not any(t.rule.startswith("SCOPE") for t in d.trace)


def test_entire_entry_in_other_words_is_read_as_the_whole_entry() -> None:
    """'Russian industry sector sanctions apply to entire entry' is the whole entry, not a
    scope in words: such lines are not flagged, and no answer outside their scope is given."""
    snap = load_ruleset().as_of(ON)
    ru = [line for e in snap.ccl.values() for line in e.controls if line.reason == "RU"]
    assert ru and all(line.scope.parsed for line in ru if "entire entry" in line.text)
    unread = [line for e in snap.ccl.values() for line in e.controls if not line.scope.parsed]
    assert len(unread) == 171  # README: "171 of 1,602"


def test_the_batch_gives_the_outcome_outside_the_scope() -> None:
    out = determine_frame(pl.DataFrame({"item": ["5E001.b.1", "3A001.a.2"],
                                        "destination": ["CA", "CN"],
                                        "date": [ON.isoformat()] * 2}))
    assert out["outcome"].to_list() == ["LICENSE_REQUIRED", "LICENSE_REQUIRED"]
    assert out["if_out_of_scope"].to_list() == ["NLR", None]


def test_the_cli_shows_the_outcome_outside_the_scope(cli) -> None:
    code, out, _ = cli(["check", "--item", "5E001.b.1", "--to", "CA", "--on", ON.isoformat()])
    assert code == 0 and "if out of scope" in out and "NLR" in out
