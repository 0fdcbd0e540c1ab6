"""The long vowels an Arabic-script name writes, held against a Latin spelling.

Why: Arabic script leaves short vowels out, so a name queried in Arabic or Persian script is
compared with Latin list names by consonant skeleton (:func:`~exportcheck.screen.tokens.skeleton`).
But the long vowels are written (ا ā, و ū/ō, ی ī/ē), and the skeleton alone throws them away:
حسنا (Hosna) and "Hussein" are both h-s-n, as are حمیدی (Hamidi) and "Ahmad", زهرا (Zahra)
and "Zahar". Among 2,000 ordinary Persian names, one in 43 raised an alert, most of them that
way (``benchmarks/script_negatives.py``). A Latin name whose vowels contradict the written
ones is another name:

* a long vowel the Arabic spelling writes must be in the Latin name at that place, of a
  matching kind (ا: a/e; و: u/o/w; ی: i/e/y; a final ی or ى may be an a: موسی "Musa"); a
  written initial alef needs some vowel ("Ehsan" is not "Hassan");
* where the Arabic spelling writes nothing, the Latin name has no written-looking ī or ē
  ("ee", "ei", "ai" ...: "Hussein" is حسین, not حسن), and no vowel at all opening or closing
  the word (a vowel there is written: "Ali" is علی, not آل; French's mute e aside);
* a long vowel written at the end is spelt ("Sail" is not سیلیا).

Places are the gaps between consonants; inside the word the check applies only where both
spellings have the same consonants (so "Dawood" / داود, where one و serves twice, is left
alone), the edges always; ع, hamza, ta marbuta and a final h say nothing about vowels.
While a name's forms are built (:func:`collecting`), :mod:`exportcheck.screen.arabic` notes
the frame of each word it spells (:func:`note`); the form keeps them (``NameForm.written``),
and the scorer asks :func:`fits` before taking a skeleton match as a near-identity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

#: one gap between consonants: the vowel kinds the Arabic spelling writes there (each a string
#: of the Latin letters that can stand for it), and whether anything at all is written there
Gap = tuple[tuple[str, ...], bool]
#: the gaps, and each consonant's glide letter ("y" for ی, "w" for و, "" for the others): a
#: glide read as a consonant in one spelling may be a vowel in the other (سلیوة "Slewa")
Frame = tuple[tuple[Gap, ...], tuple[str, ...]]
#: what a name form keeps: (spelling, the frames of the words spelt so), by spelling
Written = tuple[tuple[str, frozenset[Frame | None]], ...]

_ALEF = "اٱ"
_HAMZA_ALEF = "أإآ"
_WAW = "وۇۆ"
_YA = "يیېۍےى"
_SILENT = "عءئؤةۀ"  # written, but not as a vowel of a known kind
#: vowel marks: where a name writes them, its short vowels are written too
_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
#: tatweel (a stretching stroke), zero-width non-joiner and joiner: not letters
_IGNORED = frozenset("\u0640\u200c\u200d")
_KIND = {"alef": "ae", "waw": "uow", "ya": "iey", "final_ya": "aeiy", "initial": "aeiou",
         "maqsura": "aei"}
_LATIN_VOWELS = frozenset("aeiou")
_DIGRAPHS = ("kh", "sh", "th", "dh", "gh", "ch", "zh")
#: written-looking long i or e in a Latin name: the Arabic spelling would write a ی there
_LONG_I = re.compile(r"ee|ei|ey|ai|ay|ie|ii")
#: a Latin word opening with the Arabic article assimilated to its first letter ("Essaadi",
#: "Ennahda", "Errahman")
_GLUED_ARTICLE = re.compile(r"[aeiou]([b-df-hj-np-tv-z])\1")
#: spelling -> the frames of the words spelt so (None: a word whose frame is unknown), of the
#: name being romanised
_COLLECTING: ContextVar[dict[str, set[Frame | None]] | None] = ContextVar(
    "exportcheck_vowel_frames", default=None)


@lru_cache(maxsize=65536)
def arabic_frame(word: str) -> Frame | None:
    """The gaps of an Arabic-script word (one more than its consonants), or None for a word
    with vowel marks (its short vowels are written too: nothing to learn from their absence)."""
    if _MARKS.search(word):
        return None
    letters = [ch for ch in word if ch not in _IGNORED]
    gaps: list[tuple[list[str], bool]] = [([], False)]
    glides: list[str] = []
    last_cons = ""
    n = len(letters)
    for i, ch in enumerate(letters):
        prev = letters[i - 1] if i else ""
        nxt = letters[i + 1] if i + 1 < n else ""
        kind: str | None = None
        consonant = False
        if ch in _ALEF or ch in _HAMZA_ALEF:
            kind = "initial" if i == 0 else ("alef" if ch in _ALEF + "آ" else None)
        elif ch in _WAW:
            consonant = i == 0 or prev in _ALEF + _HAMZA_ALEF or (nxt and nxt in _ALEF + "آ")
            kind = None if consonant else "waw"
        elif ch in _YA:
            consonant = ch != "ى" and (i == 0 or (nxt and nxt in _ALEF + "آو"))
            if not consonant:
                kind = "maqsura" if ch == "ى" else ("final_ya" if i == n - 1 else "ya")
        elif ch in _SILENT or (ch in "هہە" and i == n - 1 and i > 1 and prev not in _ALEF + _WAW):
            gaps[-1] = (gaps[-1][0], True)
            continue
        elif ch.isalpha():
            consonant = True
        else:
            continue
        if consonant:
            if ch == last_cons and not gaps[-1][1]:
                continue  # a doubled letter is one consonant, as Latin folds "ss"
            last_cons = ch
            glides.append("y" if ch in _YA else "w" if ch in _WAW else "")
            gaps.append(([], False))
        else:
            gaps[-1] = (gaps[-1][0] + ([_KIND[kind]] if kind else []), True)
    return tuple((tuple(k), w) for k, w in gaps), tuple(glides)


@lru_cache(maxsize=200_000)
def latin_gaps(token: str, glides: bool = True) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The vowel letters of a Latin word between its consonants, and the consonants (digraphs
    such as "kh" are one consonant, doubled letters one). y and w are consonants at the start,
    and with ``glides`` before a vowel too ("Marwan"; without: "Huseyini" is ح س ن)."""
    gaps = [""]
    units: list[str] = []
    i, n = 0, len(token)
    last = ""
    while i < n:
        ch = token[i]
        nxt = token[i + 1] if i + 1 < n else ""
        if ch in _LATIN_VOWELS or (ch in "yw" and i > 0
                                   and (not glides or nxt not in _LATIN_VOWELS)):
            gaps[-1] += ch
            i += 1
            continue
        unit = token[i : i + 2] if token[i : i + 2] in _DIGRAPHS else ch
        i += len(unit)
        if unit == last and not gaps[-1]:
            continue
        last = unit
        units.append(unit)
        gaps.append("")
    return tuple(gaps), tuple(units)


@contextmanager
def collecting() -> Iterator[dict[str, set[Frame | None]]]:
    """Collect the frames of the words spelt (:func:`note`) while building one name's forms:
    each name carries its own (:func:`frozen`), so a result never depends on which names were
    screened before."""
    seen: dict[str, set[Frame | None]] = {}
    token = _COLLECTING.set(seen)
    try:
        yield seen
    finally:
        _COLLECTING.reset(token)


def note(spellings: Iterable[str], word: str) -> None:
    """The romanised ``spellings`` of the Arabic-script ``word``, while :func:`collecting`."""
    seen = _COLLECTING.get()
    if seen is None:
        return
    frame = arabic_frame(word)
    for spelling in spellings:
        if " " not in spelling:
            seen.setdefault(spelling, set()).add(frame)


def frozen(seen: dict[str, set[Frame | None]]) -> Written:
    """The collected frames as a name form keeps them (hashable, in a fixed order)."""
    return tuple(sorted((s, frozenset(f)) for s, f in seen.items()))


def frames_of(written: Written, spelling: str) -> frozenset[Frame | None] | None:
    """The frames of the words a name spelt as ``spelling``; None when it spelt none so."""
    return next((frames for s, frames in written if s == spelling), None)


def fits(frames: frozenset[Frame | None] | None, latin: str) -> bool:
    """Whether the Latin word ``latin`` can be a word of ``frames`` (any of them, when words of
    other frames are spelt alike): True when nothing is known of the word, or when its edges
    agree and no reading of its glides lines its consonants up with the frame's."""
    if not frames or None in frames:
        return True
    return any(_fits(frame, latin) is not False for frame in frames)  # type: ignore[arg-type]


def _fits(frame: Frame, latin: str) -> bool | None:
    """Whether ``latin`` has the written vowels of ``frame``: its edges always (they need no
    lining up), the gaps between consonants when a reading of its glides lines its consonants
    up with the frame's (None when neither does)."""
    if not _edges_agree(frame[0], latin_gaps(latin, True)[0], latin):
        return False
    verdict = None
    for glides in (True, False):
        gaps, units = latin_gaps(latin, glides)
        if len(gaps) != len(frame[0]) or any(
                (glide or unit in "yw") and unit not in (glide, "v" if glide == "w" else glide)
                for glide, unit in zip(frame[1], units, strict=True)):
            continue  # other consonants, or glides read otherwise: the gaps do not line up
        if _vowels_agree(frame[0], gaps):
            return True
        verdict = False
    return verdict


def _edges_agree(frame: tuple[Gap, ...], gaps: tuple[str, ...], latin: str) -> bool:
    """A vowel opening or closing a name is written in Arabic script (an alef, ع, a final ی, ا
    or ة), and a written final vowel is spelt: "Ahmad" is not حمد, "Ali" not آل, "Sail" not
    سیلیا; but French closes "Alouche" (علوش) with a mute e, and an article glued on opens
    "Essaadi" (es-Saadi, السعدي)."""
    (_, first_written), (last_kinds, last_written) = frame[0], frame[-1]
    if not first_written and gaps[0] and not _GLUED_ARTICLE.match(latin):
        return False
    if not last_written and gaps[-1] and gaps[-1] != "e":
        return False
    return not (last_kinds and not gaps[-1])


def _vowels_agree(frame: tuple[Gap, ...], gaps: tuple[str, ...]) -> bool:
    """The long vowels written between the consonants are there, of their kind, and no
    written-looking ī or ē stands where the Arabic spelling writes nothing."""
    for (kinds, written), vowels in zip(frame, gaps, strict=True):
        if any(not any(ch in kind for ch in vowels) for kind in kinds):
            return False
        if not written and _LONG_I.search(vowels):
            return False
    return True
