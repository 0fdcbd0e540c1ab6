"""The impact report's rule-event timeline on a phone: the rule tables' names at the left of
the chart wrap one word a line, so the time axis keeps most of a 390 px screen (one line each,
"exception restrictions" took 40% of it)."""

from __future__ import annotations

import pytest

from tests.web.test_review_34_display import DESK, PHONE, report_chart

#: each text of the chart, its lines joined by a space, with its box
_LABELS = """() => [...document.querySelectorAll('#chart-events svg text')]
    .map(t => { const spans = [...t.querySelectorAll('tspan')];
      const text = spans.length ? spans.map(s => s.textContent.trim()).join(' ')
                                : t.textContent.trim();
      const r = t.getBoundingClientRect();
      return {text, lines: Math.max(1, spans.length), left: r.left, right: r.right}; })
    .filter(t => t.text)"""


@pytest.mark.browser
@pytest.mark.parametrize(("viewport", "suffix"), [(PHONE, "_phone"), (DESK, "")])
def test_the_table_names_leave_the_time_axis_most_of_a_phone(
        browser, tmp_path, viewport, suffix) -> None:
    with report_chart(browser, tmp_path, viewport, f"r35_timeline{suffix}") as (page, chart,
                                                                               errors):
        texts = page.evaluate(_LABELS)
        tables = [t for t in texts if t["text"] in ("exception restrictions", "review policies",
                                                    "group members", "chart marks")]
        assert len(tables) >= 2, [t["text"] for t in texts]
        frame = chart.bounding_box()
        widest = max(t["right"] - t["left"] for t in tables)
        if viewport == PHONE:
            assert all(t["lines"] == len(t["text"].split()) for t in tables), tables
            assert widest <= 0.25 * frame["width"], (widest, frame["width"])
        else:  # a laptop has the room: one line each
            assert all(t["lines"] == 1 for t in tables), tables
        assert not errors, errors
