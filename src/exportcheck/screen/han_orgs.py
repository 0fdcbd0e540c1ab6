"""Han-script company and institution names read as the English names the lists carry.

The US, UN and OFAC lists write Chinese companies in English only ("Harbin Institute of
Technology"), while Chinese documents write 哈尔滨工业大学. Reading such a name as pinyin
("haerbin gongye daxue") finds nothing, and the two languages order words and legal forms
differently, so the name is matched word by word, not as a string:

* the simplified name is cut greedily into the longest words of a cited glossary
  (``data/han_glossary.csv``: legal forms, institution and industry words, places as written
  in English), each read as its English renderings (工业大学 -> "Institute of Technology" |
  "Polytechnical University" ...);
* what the glossary does not know is a proper name: one pinyin token per run (海康威视 ->
  "haikangweishi") and the same run split into syllables; names written in traditional
  characters or naming Hong Kong also get the Hong Kong Cantonese reading of those runs, and
  every query a reading of them in Korean, for North Korean entries only
  (:mod:`exportcheck.screen.korean_han`: 南川江贸易公司 -> "namchongang trading");
* English words go through :func:`normalize.latin_form`, so they use the very spellings and
  legal-form split that list names get ("Technologies" -> "tech", "Co., Ltd." set aside).

Brand names (大疆 -> DJI) are never guessed here: they come from the curated table of
:mod:`exportcheck.screen.chinese_names`, indexed as extra aliases of the listed entries.
"""

from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from exportcheck.screen.chinese import pinyin_syllables
from exportcheck.screen.korean_han import ORGANISATION as KOREAN_SCRIPT
from exportcheck.screen.normalize import GlossaryWord, NameForm, fold_parts, fold_text, split_legal

if TYPE_CHECKING:
    from exportcheck.screen.entries import ListEntry

GLOSSARY_PATH = Path(__file__).with_name("data") / "han_glossary.csv"
#: script of the forms built here (the scorer compares their tokens fuzzily, like Latin names)
SCRIPT = "han-en"
#: the same, its proper names read in Cantonese and spelt the Hong Kong way ("偉記" Wai Kee):
#: their syllables compare by :func:`~exportcheck.screen.hkspell.hk_key`, as Hong Kong
#: spellings of one sound ("kei" / "kee" / "ki")
HK_SCRIPT = "han-en-hk"
#: forms of a name read in Korean: proper names have few spellings, and only North Korean
#: entries are compared with them
MAX_KOREAN_FORMS = 6
#: name forms per organisation name: enough for the usual three or four ambiguous words (16
#: left "China Aerospace Science and Technology Corporation 9th Academy 771 Research
#: Institute" unread: 科技 as "Science and Technology" with 集团有限公司 as "Corporation")
MAX_ORG_FORMS = 32
#: alternatives enumerated before ranking (a name with many ambiguous words keeps first ones)
_MAX_COMBOS = 4096
#: administrative suffixes English drops after a place name: 深圳市 -> "Shenzhen", 浦东新区
#: -> "Pudong", 和田地区 -> "Hotan"; an autonomous area's may name its peoples first (阿坝藏族
#: 羌族自治州, 新疆维吾尔自治区), since the English name drops them too ("Ngawa", "Xinjiang")
_PLACE_SUFFIX = re.compile(r"(?:(?:[\u4e00-\u9fff]{1,4}?族)+|维吾尔)?自治(?:区|州|县|旗)"
                           r"|特别行政区|新区|地区|省|市|区|县|盟")
#: words that begin with a suffix's character and are no suffix: 上海市场 is Shanghai's market,
#: 哈密市委 Hami's (city) party committee, 深圳市南山区块链 a blockchain firm of Nanshan: not
#: 哈密市 followed by 委, nor 南山区 by 块链
_NOT_SUFFIXES = ("市场", "市政", "市委", "市民", "省委", "区委", "县委", "区域", "区块", "县城",
                 "地区性")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_DIGITS = "零一二三四五六七八九"
_ORDINAL_WORDS = ("", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh",
                  "Eighth", "Ninth", "Tenth")
#: glossary kinds that mark a name as an organisation whatever its length
_ORG_KINDS = frozenset({"legal", "institution", "abbreviation"})


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a Han name: a glossary word, a proper-name run, an ordinal or Latin text."""

    text: str
    word: GlossaryWord | None = None
    ordinal: int | None = None
    latin: bool = False


@lru_cache(maxsize=1)
def glossary() -> dict[str, GlossaryWord]:
    """Han word -> :class:`GlossaryWord`; rows repeating a word add renderings and sources."""
    words: dict[str, GlossaryWord] = {}
    with GLOSSARY_PATH.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            han = row["han"].strip()
            eng = tuple(e.strip() for e in row["english"].split("|") if e.strip())
            old = words.get(han)
            if old is not None:
                eng = tuple(dict.fromkeys(old.english + eng))
                words[han] = GlossaryWord(han, eng, old.kind, f"{old.source}; {row['source']}")
            else:
                words[han] = GlossaryWord(han, eng, row["kind"].strip(), row["source"].strip())
    return words


@lru_cache(maxsize=1)
def _longest() -> int:
    return max(len(w) for w in glossary())


def _chinese_number(text: str) -> int | None:
    """十四 -> 14, 二十九 -> 29, 七一二 -> 712 (digit by digit), 14 -> 14; else None."""
    if text.isdigit():
        return int(text)
    if text and all(c in _DIGITS for c in text):
        return int("".join(str(_DIGITS.index(c)) for c in text))
    m = re.fullmatch(r"([一二三四五六七八九]?)十([一二三四五六七八九]?)", text)
    if m:
        tens = _DIGITS.index(m.group(1)) if m.group(1) else 1
        return tens * 10 + (_DIGITS.index(m.group(2)) if m.group(2) else 0)
    return None


#: a number written before an institution word without 第: it is the institute's number
_UNMARKED_ORDINAL = re.compile(r"([零一二三四五六七八九十]+)(?=研究所|研究院|分院|所|院|厂)")


def segment(simp: str) -> list[Segment]:
    """Cut a simplified name into glossary words (longest first), ordinals, proper-name runs
    and Latin text, in order: '哈尔滨工业大学' -> [哈尔滨, 工业大学]."""
    gloss = glossary()
    out: list[Segment] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(Segment("".join(run)))
            run.clear()

    i, n = 0, len(simp)
    while i < n:
        ch = simp[i]
        if not _HAN_RUN.match(ch):
            flush()
            j = i
            while j < n and not _HAN_RUN.match(simp[j]):
                j += 1
            latin = simp[i:j].strip()
            if out and out[-1].text == "第" and latin.isdigit():
                out[-1] = Segment("第" + latin, ordinal=int(latin))
            elif fold_text(latin):
                out.append(Segment(latin, latin=True))
            i = j
            continue
        if ch == "第":
            m = re.match(r"第([零一二三四五六七八九十]+)", simp[i:])
            if m and (num := _chinese_number(m.group(1))) is not None:
                flush()
                out.append(Segment(m.group(0), ordinal=num))
                i += len(m.group(0))
                continue
        if not run and (m := _UNMARKED_ORDINAL.match(simp, i)) and (
                num := _chinese_number(m.group(1))) is not None:
            # "第三研究院三十三研究所": an institute's number, written without 第
            out.append(Segment(m.group(1), ordinal=num))
            i = m.end()
            continue
        for size in range(min(_longest(), n - i), 0, -1):
            word = gloss.get(simp[i : i + size])
            if word is not None:
                flush()
                out.append(Segment(word.written, word))
                i += size
                if (word.kind == "place" and (m := _PLACE_SUFFIX.match(simp, i))
                        and m.end() < n and not simp.startswith(_NOT_SUFFIXES, i)):
                    i = m.end()
                break
        else:
            run.append(ch)
            i += 1
    flush()
    return out


def _ordinal(n: int) -> tuple[str, ...]:
    """第十四 -> "14th", "14", "No. 14" (lists write "771 Research Institute" but "14th")."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    alts = [f"{n}{suffix}", str(n)] if n < 100 else [str(n), f"{n}{suffix}"]
    if n < len(_ORDINAL_WORDS):
        alts.insert(1, _ORDINAL_WORDS[n])
    return (*alts, f"No. {n}")


def _hk_reading(chars: str) -> list[str]:
    """Hong Kong Government spelling of each syllable (most usual one), or [] if unknown."""
    from exportcheck.screen.chinese import _jyutping, hk_characters, jyutping_to_hk

    jp = _jyutping(hk_characters(chars))
    return [jyutping_to_hk(s)[0] for s in jp] if jp else []


def _run_alternatives(run: str, cantonese: bool, korean: bool = False) -> list[str]:
    """A proper-name run as joined and as syllable-split pinyin, or Cantonese (``cantonese``),
    or read in Korean (:mod:`.korean_han`). One reading per form: a Hong Kong firm's name is
    Cantonese throughout, a mainland one Mandarin."""
    if korean:
        from exportcheck.screen.korean_han import reading, word_spellings

        hangul = reading(run)
        return word_spellings(hangul) if hangul else []
    alts: list[str] = []
    syl = _hk_reading(run) if cantonese else pinyin_syllables(run)
    if syl:
        alts += ["".join(syl), " ".join(syl)]
    return list(dict.fromkeys(a for a in alts if a))


def _slots(segs: list[Segment], cantonese: bool,
           korean: bool = False) -> list[tuple[tuple[str, bool], ...]]:
    """Per segment, its alternatives as (text, is_proper_name) pairs; none at all when a
    proper name has no Korean reading (``korean``)."""
    slots: list[tuple[tuple[str, bool], ...]] = []
    for s in segs:
        if s.word is not None:
            slots.append(tuple((e, False) for e in s.word.english))
        elif s.ordinal is not None:
            slots.append(tuple((o, False) for o in _ordinal(s.ordinal)))
        elif s.latin:
            slots.append(((s.text, False),))
        else:
            alts = _run_alternatives(s.text, cantonese, korean)
            if alts:
                slots.append(tuple((a, True) for a in alts))
            elif korean:
                return []
    return slots


def _alt_key(text: str) -> tuple[str, ...]:
    """The tokens a rendering leaves once legal forms are set aside ("Group Co., Ltd." and
    "Group Company Limited" both leave "group"): renderings with one key are one choice."""
    return split_legal(["\x00", *fold_text(text).split(), "\x00"])[0][1:-1]


def _distinct(alts: tuple[tuple[str, bool], ...]) -> tuple[tuple[str, bool], ...]:
    seen: dict[tuple[str, ...], tuple[str, bool]] = {}
    for text, proper in alts:
        seen.setdefault((text,) if proper else _alt_key(text), (text, proper))
    return tuple(seen.values())


def _combos(slots: list[tuple[tuple[str, bool], ...]]) -> list[tuple[int, ...]]:
    """Choices of one alternative per slot, the most usual renderings first."""
    while slots and _product_size(slots) > _MAX_COMBOS:
        widest = max(range(len(slots)), key=lambda k: len(slots[k]))
        slots[widest] = slots[widest][:-1]
    ranges = [range(len(s)) for s in slots]
    return sorted(itertools.product(*ranges), key=lambda c: (sum(c), c))


def _product_size(slots: list[tuple[tuple[str, bool], ...]]) -> int:
    size = 1
    for s in slots:
        size *= len(s)
    return size


def _forms_of(segs: list[Segment], cantonese: bool, korean: bool = False) -> list[NameForm]:
    slots = [_distinct(s) for s in _slots(segs, cantonese, korean)]
    if not slots:
        return []
    script, most = ((KOREAN_SCRIPT, MAX_KOREAN_FORMS) if korean
                    else (HK_SCRIPT if cantonese else SCRIPT, MAX_ORG_FORMS))
    forms: dict[tuple[str, ...], NameForm] = {}
    for combo in _combos(list(slots)):
        form = fold_parts([slots[k][c] for k, c in enumerate(combo)], script,
                          split_proper=True)
        if form is not None and form.tokens not in forms:
            forms[form.tokens] = form
            if len(forms) >= most:
                break
    return list(forms.values())


def org_forms(simp: str, *, cantonese: bool = False, korean: bool = False) -> list[NameForm]:
    """English-word forms of a simplified Han organisation name (see the module docstring);
    ``korean``: its proper names read in Korean (a North Korean entity, :mod:`.korean_han`).

    A leading place before a proper name is also dropped once ("深圳市大疆创新科技" is often
    written without 深圳市), since the lists write the company both ways."""
    segs = segment(simp)
    if not segs:
        return []
    if korean:
        return _forms_of(segs, False, True)
    forms: list[NameForm] = []
    for reading in (False, True) if cantonese else (False,):
        seen = {f.tokens for f in forms}
        forms += [f for f in _forms_of(segs, reading) if f.tokens not in seen]
        if _drops_place(segs):
            seen = {f.tokens for f in forms}
            forms += [replace(f, dropped=_place(segs[0])) for f in _forms_of(segs[1:], reading)
                      if f.tokens not in seen][:4]
        if _has_district(segs):
            seen = {f.tokens for f in forms}
            forms += [f for f in _forms_of(segs[:1] + segs[2:], reading)
                      if f.tokens not in seen][:4]
    return forms


def han_tokens(simp: str) -> tuple[str, ...]:
    """Characters of an organisation name grouped into its words (glossary words, ordinals,
    proper-name runs): 北京大学 is not 北京理工大学 minus two characters, and 第二十八 is
    not 第二十九 with one character changed."""
    return tuple(t for s in segment(simp) for t in ([s.text] if not s.latin
                                                     else fold_text(s.text).split()))


def org_name_forms(name: str, simp: str, legal: tuple[str, ...], rest: tuple[str, ...], *,
                   listed: bool) -> tuple[list[NameForm], list[NameForm]]:
    """Forms of a Han organisation name for :func:`chinese.han_forms`: its words in characters
    (and without a leading place before a proper name), then - for queries only - the English
    readings. ``name`` is the name as written, ``simp`` its simplified characters less the
    legal form, ``rest`` its Latin tokens."""
    from exportcheck.screen.chinese import is_traditional, simplified

    full = simplified(name)
    chars = [NameForm(han_tokens(simp) + rest, legal, "han")]
    segs = [s for s in segment(simp) if not s.latin]
    if _drops_place(segs):
        chars.append(NameForm(tuple(s.text for s in segs[1:]) + rest, legal, "han",
                              dropped=_place(segs[0])))
    # pinyin joined word by word (GB/T 16159), not syllable by syllable: two names one
    # character apart (第二十八 / 第二十九研究所) differ by a word, not by a syllable
    words = tuple(w for s in segs if (w := "".join(pinyin_syllables(s.text))))
    if words:
        chars.append(NameForm(words + rest, legal, "pinyin"))
    if listed:
        return chars, []
    # written in traditional characters, or naming Hong Kong / Macau: Cantonese readings too;
    # and read in Korean, for North Korean entities only (service.Screener.screen)
    hk = is_traditional(name) or "香港" in full or "澳门" in full
    return chars, org_forms(full, cantonese=hk) + org_forms(full, korean=True)


def _place(seg: Segment) -> str:
    """The place a segment names, as English writes it (深圳市 and 深圳 are both Shenzhen)."""
    return seg.word.english[0] if seg.word is not None else seg.text


def _drops_place(segs: list[Segment]) -> bool:
    """A leading place before a proper name: 深圳市大疆创新科技 is also written 大疆创新科技."""
    return (len(segs) >= 3 and segs[0].word is not None and segs[0].word.kind == "place"
            and any(s.word is None and s.ordinal is None and not s.latin and len(s.text) >= 2
                    for s in segs[1:]))


def _has_district(segs: list[Segment]) -> bool:
    """A city and its district before a proper name (北京市海淀区思源电子): the lists write
    the company with its city only ("Beijing Siyuan Electronic"), the district being part of
    its address, so the name is also read without the district - as the same company, unlike
    a name without its city (成都华为 is not 华为)."""
    return (len(segs) >= 4 and all(s.word is not None and s.word.kind == "place"
                                   for s in segs[:2]) and _drops_place(segs[1:]))


def is_org_name(simp: str) -> bool:
    """True when a short Han name (<= 4 characters) is an organisation, not a person: it holds
    a legal form, an institution word or a group short name, or is made only of glossary words
    ("中国银行"), or is a listed entity's name in the curated table followed by glossary words
    ("华为技术": Huawei's table name and 技术 Technology, the EL alias "Huawei Technology");
    person names keep the person path (surname + given name)."""
    from exportcheck.screen.chinese_names import is_table_name

    segs = segment(simp)
    if any(s.word is not None and s.word.kind in _ORG_KINDS for s in segs):
        return True
    if len(segs) >= 2 and all(s.word is not None for s in segs):
        return True
    return any(is_table_name(simp[:k]) and all(s.word is not None for s in segment(simp[k:]))
               for k in range(2, len(simp)))


def hit_notes(entry: ListEntry, alias: str, form: NameForm, query: str) -> list[str]:
    """Explanation lines for a hit: the curated table's citation when the matched alias is a
    Chinese name from :mod:`.chinese_names`, the glossary reading when the query was read
    through the glossary (script ``han-en``)."""
    from exportcheck.screen.chinese import simplified
    from exportcheck.screen.chinese_names import table_note

    notes: list[str] = []
    if (note := table_note(entry.list, entry.name, alias)) is not None:
        notes.append(note)
    if form.script in (SCRIPT, HK_SCRIPT, KOREAN_SCRIPT):
        used = [(s.word, r) for s in segment(simplified(query))
                if s.word is not None and (r := _rendering(s.word, form)) is not None]
        words = ", ".join(f"{w.written}={r}" for w, r in used)
        proper = {SCRIPT: "pinyin", HK_SCRIPT: "proper names read in Cantonese, Hong Kong "
                  "spellings", KOREAN_SCRIPT: "proper names read in Korean"}[form.script]
        notes.append(f"query read through the Han glossary (han_glossary.csv) and {proper}: "
                     f"{' '.join(form.tokens)}" + (f" [{words}]" if words else ""))
        # each word's citation, once (a legal form's is the same for all its renderings)
        notes += [f"glossary {w.written} = {r!r}: {w.source}"
                  for w, r in dict.fromkeys(used) if w.kind != "legal"]
    return notes


def _rendering(word: GlossaryWord, form: NameForm) -> str | None:
    """The English rendering of a glossary word that a query form was built with: the one
    whose words the form holds in order (国防科技大学 read as "... Univ of Tech" used
    "University of Technology", not the first rendering, "University of Science and
    Technology"); None when the form leaves the word out (a leading place dropped)."""
    for text in word.english:
        key = _alt_key(text)
        if not key:  # a legal form: set aside with the others
            if set(fold_text(text).split()) <= set(form.legal):
                return text
            continue
        n = len(key)
        if any(form.tokens[i:i + n] == key for i in range(len(form.tokens) - n + 1)):
            return text
    return None
