"""Text helpers of the web UI's templates."""

from __future__ import annotations

from exportcheck.web.ui import isolate_rtl


def test_right_to_left_runs_are_isolated_and_everything_is_escaped() -> None:
    # each token pair its own run: the list keeps its left-to-right order
    assert str(isolate_rtl("tokens: صدام=صدام, حسين=حسين")) == (
        "tokens: <bdi>صدام=صدام</bdi>, <bdi>حسين=حسين</bdi>")
    # a name of several words is one run, so its words keep their order
    assert str(isolate_rtl("alias 'صدام حسين' of '<b>'")) == (
        "alias &#39;<bdi>صدام حسين</bdi>&#39; of &#39;&lt;b&gt;&#39;")
    assert str(isolate_rtl("שי כהן & co")) == "<bdi>שי כהן</bdi> &amp; co"
    assert str(isolate_rtl("no right-to-left text")) == "no right-to-left text"
