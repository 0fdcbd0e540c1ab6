"""What a comparison of two name forms means once it is made: the match kind adjusted for
what the forms are, which :func:`~exportcheck.screen.scorer.compare_forms` cannot see from
their words alone (a reading across scripts; a place written in one name only is
:func:`~exportcheck.screen.scorer.place_missing`)."""

from __future__ import annotations

from dataclasses import replace

from exportcheck.screen.normalize import NameForm
from exportcheck.screen.scorer import NameMatch

#: form scripts that are a name as written: its Latin letters, or the letters of a name written
#: in Han, Hangul or Arabic script compared with a list name in that script
AS_WRITTEN = frozenset({"latin", "han", "hangul_letters", "arabic_letters"})


def across_scripts(m: NameMatch, q: NameForm, c: NameForm) -> NameMatch:
    """An exact match reached through a reading (a Han name in pinyin or Cantonese, Cyrillic
    transliterated, Wade-Giles as pinyin) is a ``full`` match: the reading is the list's, the
    letters may not be (陳國機 reads "Chan Kwok-ki" as 陳國基 does), so it is not certain on
    the name alone."""
    if m.kind != "exact" or (q.script in AS_WRITTEN and c.script in AS_WRITTEN):
        return m
    return replace(m, kind="full", notes=[*m.notes, (
        f"matched through a reading ({q.script} / {c.script}), not letter for letter: the "
        "list does not write the name in the query's script")])
