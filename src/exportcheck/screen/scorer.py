"""Token-level name scoring, 0-100, with an account of how the score came about.

Why this shape: names are bags of tokens written in any order ("LAM, Carrie" = "Carrie Lam"), so
tokens are aligned one-to-one by similarity (:mod:`exportcheck.screen.tokens`), not compared as
strings. Each token weighs its length in characters, so a score means "share of the name's
letters that agree" whatever the name's length. Numbers only match exactly. Adjacent tokens are
merged when the other side writes them as one ("Ka Chiu" = "Kachiu", "Abdul Hai" = "Abdulhai").
Extra tokens on the longer name (a patronymic, a second given name) cost a fixed amount each,
more when the shorter name is a single word, because one matching word is weak evidence.

Three kinds of match, because they are not the same alert:

- ``exact``: every word of both names equal (in any order);
- ``full``: every word of each name matched a word of the other, some spelt differently;
- ``partial``: words of one name are missing from the other ("Stephen Smith" inside "STEPHEN
  EDWARD SMITH", "Hong Kong Garrison Logistics" against "K Logistics Hong Kong"). A name missing
  a middle name is worth showing, but it is weak evidence on its own: a partial match scores at
  most :data:`PARTIAL_MAX`, less the more of the longer name is missing, so it stays below the
  default threshold unless other evidence agrees (:mod:`exportcheck.screen.evidence`).

A given name matched only through its short form ("Bill Gates" / "William Gates") is a
``nickname`` match, capped like a partial one: among 50,000 ordinary names, "Sam Johnson" /
"Samuel Johnson" pairs would otherwise raise one alert in 10,000. The screener adds ``weak``:
the list name is one OFAC calls a weak alias (:mod:`exportcheck.screen.weak`), capped likewise;
and ``acronym``: a one-word query that is a listed organisation's initials ("PLA"), capped
likewise because many names share them (:mod:`exportcheck.screen.acronyms`).

Two names alike but for a serial number ("Snow Storm 1" / "Snow Storm 2", "Fund III" / "IV"),
or for an organisation's "I" on one side only ("Offshore Fund" / "Offshore Fund I": the first
of a series), name a sister vessel, fund or trust: scored :data:`SERIAL_MAX`, just above the
default threshold. The last word of a Latin name that a 35- or 40-character name field may have cut
short ("... BELKASSEM DR") matches the word it begins. Names written in the same script (Han,
Hangul, Arabic) are compared by their letters (:func:`~exportcheck.screen.scripts.letters_apply`).

In organisation names each word also weighs by how distinctive it is among listed organisations
(:mod:`exportcheck.screen.weights`): "tech", "trade", "hong kong" count for little, so a
differing distinctive word ("Bruce" / "Rice Electronics") keeps a company below the threshold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rapidfuzz.distance import OSA

from exportcheck.screen.acronyms import ACRONYM, acronym_forms, acronym_match
from exportcheck.screen.arabic import other_father, unglue_articles
from exportcheck.screen.cyrillic_consonants import other_consonants
from exportcheck.screen.han_orgs import HK_SCRIPT as HK_ORG_SCRIPT
from exportcheck.screen.hkspell import firm_key, hk_key, is_hk_syllable
from exportcheck.screen.korean_han import PERSON as KOREAN_PERSON
from exportcheck.screen.name_words import CONNECTORS as _CONNECTORS
from exportcheck.screen.name_words import EZAFE as _EZAFE
from exportcheck.screen.name_words import PATRONYMIC as _PATRONYMIC
from exportcheck.screen.name_words import arabic_form as _arabic_form
from exportcheck.screen.name_words import minor as _minor
from exportcheck.screen.name_words import substantive as _substantive
from exportcheck.screen.normalize import NameForm, nicknames
from exportcheck.screen.pinyin_sound import GLOSSED, by_rule
from exportcheck.screen.tokens import (
    ARTICLES,
    INITIAL_SIM,
    ONE_SLIP_SIM,
    OTHER_CONSONANT_SIM,
    VARIANT_SIM,
    one_slip,
    org_weight,
    token_sim,
    vowel_variant,
    weight,
)
from exportcheck.screen.vowels import frames_of
from exportcheck.screen.weights import FLOOR, generic_only, generic_words, org_like, place_words

#: cost of each unmatched token on the longer name (shorter name has >= 2 tokens / 1 token)
EXTRA_TOKEN_COST = 0.09
#: organisations: an extra word usually names another company ("Banco Santander Mexico")
EXTRA_TOKEN_COST_ORG = 0.16
EXTRA_TOKEN_COST_SINGLE = 0.25
#: a missing patronymic ("Viktorovich") costs this share of a missing word
PATRONYMIC_SHARE = 0.5
#: a word matched with a similarity below this counts WEAK_SIM_COST less than its similarity
WEAK_SIM = 0.8
WEAK_SIM_COST = 0.15
#: a one-word company name matched with a spelling difference scores this share of its
#: similarity
ONE_WORD_FUZZY = 0.9
#: the last word of a Latin name of TRUNCATED_CHARS characters that begins a word of the other
#: name (a name field cut it short) matches that word with this similarity
TRUNCATED_SIM = 0.9
TRUNCATED_CHARS = (30, 40)
#: a partial-name match scores at most this (the default threshold is 85) ...
PARTIAL_MAX = 80.0
#: ... or this when three or more substantive words of a person's name are all in the longer
#: name ("GUL AHMAD HAKIMI" in "GUL AHMAD WAZIRI HAKIMI"): that is rarely chance
PARTIAL_MAX_STRONG = 90.0
#: ... less this many points per unit of the longer name's weight that is missing
PARTIAL_MISSING_COST = 40.0
#: a person's name of one word inside a longer one ("John" in "LEE, John", "Putin"), or two
#: syllables of a Chinese name of three ("Tam Yiu" in "TAM, Yiu-chung", "Wong Man" in "Cho-Man
#: Wong": Yiu-chung is one given name, not Yiu, and a given name without its surname names
#: nobody) scores at most this: a country agreeing (+10 with the partial-match bonus) leaves
#: it below the default threshold, a date of birth as well can reach it
PARTIAL_MAX_WEAK = 70.0
#: the most two names stating different fathers score ("A bin B" / "B bin A")
OTHER_FATHER_MAX = 75.0
#: two names alike but for a serial number ("Snow Storm 1" / "Snow Storm 2", "KKR Asian Fund
#: III" / "IV") are a sister vessel, fund or trust: worth a review, so just above the default
#: threshold, below any spelling variant of the whole name
SERIAL_MAX = 86.0
_ROMAN = re.compile(r"^(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})$")
_SERIAL_LIKE = re.compile(r".*\d|[ivx]+$")
_DIGIT = re.compile(r"\d")
#: forms spelt by rule from another script: a near-miss spelling is another name ("jongsun" is
#: not "jongun"); their variant spellings are forms of their own
_ROMANISED = frozenset({"pinyin", "jyutping", "hangul", KOREAN_PERSON})
#: forms read in Cantonese: Hong Kong spellings of one syllable are equal (hkspell)
_HK_READ = frozenset({"jyutping", HK_ORG_SCRIPT})


def _merge_adjacent(tokens: tuple[str, ...], other: tuple[str, ...],
                    latin: bool = False) -> tuple[tuple[str, ...], list[str]]:
    """Join neighbours that the other name writes as one word."""
    if len(tokens) < len(other) or len(tokens) < 2:
        return tokens, []  # joining only helps the side with as many tokens or more
    if len(tokens) == len(other) and (not latin or max(map(len, other)) < 7 or not any(
            len(o) >= 7 and o not in tokens for o in other)):
        # as many Latin words: a word of seven letters or more may be two of this name's
        # joined, another word missing ("Nikolai Patr Ushev" / "Nikolai Platonovich Patrushev")
        return tokens, []
    # only a word of the other name that this one lacks can be two of its words joined
    lacking = [o for o in other if o not in tokens]
    if not lacking:
        return tokens, []
    long_others = [o for o in lacking if len(o) >= 5]
    other_set = set(other)
    out: list[str] = []
    merged: list[str] = []
    i = 0
    while i < len(tokens):
        for size in (3, 2):  # "bashir ud din" = "bashiruddin", "ka chiu" = "kachiu"
            part = tokens[i : i + size]
            if len(part) < size or any(t in other_set for t in part):
                continue
            joined = "".join(part)
            if joined in other_set or (len(joined) >= 6 and long_others and any(
                    abs(len(o) - len(joined)) <= 2 and OSA.normalized_similarity(o, joined) >= 0.85
                    for o in long_others)):
                out.append(joined)
                merged.append(" ".join(part))
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return tuple(out), merged


_NO_VOWEL = re.compile(r"[b-df-hj-np-tv-xz]{2,3}")
#: consonant-only words that are not initials: Cantonese "Ng", "Junior", "Saint", titles
_NOT_INITIALS = frozenset(("ng", "hm", "jr", "sr", "snr", "st", "mr", "dr", "ms", "mrs", "mt",
                           "mv", "nv", "bv", "kg", "llc", "plc", "ltd", "th", "nd", "rd"))


def _split_initials(tokens: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, ...]:
    """Initials written together ("JC Juncker", "George HW Bush") as the letters they stand for,
    when the other name has words that begin with them, one after the other ("Jean-Claude")."""
    if len(other) < 2 or not any(len(t) <= 3 and _NO_VOWEL.fullmatch(t) for t in tokens):
        return tokens
    starts = "".join(o[0] for o in other)
    out: list[str] = []
    for t in tokens:
        if (_NO_VOWEL.fullmatch(t) and t not in _NOT_INITIALS and t not in other
                and t in starts and all(len(o) > 1 for o in other if o[0] in t)):
            out.extend(t)
        else:
            out.append(t)
    return tuple(out)


@dataclass(slots=True)
class NameMatch:
    """How one query form matched one list-name form."""

    score: float
    pairs: list[tuple[str, str, float]] = field(default_factory=list)
    unmatched_query: list[str] = field(default_factory=list)
    unmatched_candidate: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    kind: str = "exact"  # exact / full / partial / nickname / weak / acronym (module docstring)
    #: share of the longer name's weight missing from the other (partial matches)
    missing: float = 0.0
    notes: list[str] = field(default_factory=list)

    def explain(self) -> list[str]:
        out = []
        if self.kind == "partial":
            # above PARTIAL_MAX only under the cap for three or more words of a person's name
            cap = (f"{PARTIAL_MAX_STRONG:g} (three or more words of a person's name all in the "
                   "longer name)" if self.score > PARTIAL_MAX else f"{PARTIAL_MAX:g}")
            out.append(f"partial name: {self.missing:.0%} of the longer name missing, scored at "
                       f"most {cap} unless other evidence agrees")
        elif self.kind == "nickname":
            out.append(f"a given name matched through its short form (Bill = William): scored at "
                       f"most {PARTIAL_MAX:g} unless other evidence agrees")
        elif self.kind == "acronym":
            out.append(f"acronym: the initials of the list name, which many other names share: "
                       f"scored at most {PARTIAL_MAX:g} unless other evidence agrees")
        elif self.kind == "weak":
            out.append(f"weak alias (OFAC: screening is not expected to alert on it alone): "
                       f"scored at most {PARTIAL_MAX:g} unless other evidence agrees")
        if self.pairs:
            out.append("tokens: " + ", ".join(
                f"{a}={b}" if s == 1 else f"{a}~{b} ({s:.2f})" for a, b, s in self.pairs))
        if self.merged:
            out.append("joined: " + ", ".join(self.merged))
        if self.unmatched_query:
            out.append("query tokens not in list name: " + " ".join(self.unmatched_query))
        if self.unmatched_candidate:
            out.append("list-name tokens not in query: " + " ".join(self.unmatched_candidate))
        return out + self.notes


def compare_forms(q: NameForm, c: NameForm, org: bool | None = None) -> NameMatch:
    """Score one query form against one list-name form (0-100), with the kind of match.

    ``org``: weigh words as in an organisation name (default: when either form has a legal
    form set aside or an organisation word, :func:`~exportcheck.screen.weights.org_like`)."""
    if ACRONYM in (q.script, c.script):
        return _acronym(q, c)
    m = _compare_forms(q, c, org)
    if m.score < SERIAL_MAX and (other := _serial_match(q, c, org)) and other.score > m.score:
        m = other
    if (m.score < 100 and (q.legal or c.legal) and q.script == c.script == "latin"
            and (other := _legal_spelt_out(q, c, org))):
        m = other if other.score > m.score else m
    if m.score > OTHER_FATHER_MAX and other_father(q.tokens, c.tokens,
                                                    "abjad" in (q.script, c.script)):
        # "Ahmad bin Hasan" is Hasan's son; "Hasan bin Ahmad" is Ahmad's: the same words, but
        # the names state different fathers
        m.score = OTHER_FATHER_MAX
        m.kind = "full" if m.kind == "exact" else m.kind
        m.notes.append(f"the names give different fathers (bin/ibn/ben): scored at most "
                       f"{OTHER_FATHER_MAX:g}")
    return m


def place_missing(m: NameMatch, q: NameForm, c: NameForm) -> NameMatch:
    """A Han organisation name matched without the leading place the other name has (the
    form that leaves it out: ``dropped``): another company of the group may be meant (成都华为
    is not 华为), so it is a partial match, as the same names written in Latin letters are.
    A query with words of its own where the listed name has only its place names another
    company: 昌河飞机工业 is not 西安飞机工业 read as 飞机工业."""
    if c.dropped and not q.dropped and m.unmatched_query:
        return NameMatch(0.0, kind="partial")
    if m.kind not in ("exact", "full") or q.dropped == c.dropped:
        return m
    whole = c if q.dropped else q  # the name that keeps its place
    share = max(m.missing, 1 / (len(whole.tokens) + 1))
    return replace(m, score=min(m.score, PARTIAL_MAX), kind="partial", missing=share,
                   notes=[*m.notes, f"the place {q.dropped or c.dropped} is written in one "
                          "name only"])


def _acronym(q: NameForm, c: NameForm) -> NameMatch:
    """A one-word query against a listed organisation's initials (:mod:`.acronyms`)."""
    word = acronym_match(q, c) or acronym_match(c, q)
    if word is None:
        return NameMatch(0.0, kind="acronym")
    return NameMatch(PARTIAL_MAX, [(word, word, 1.0)], kind="acronym")


def _legal_spelt_out(q: NameForm, c: NameForm, org: bool | None) -> NameMatch | None:
    """The comparison without the words of one name that are the other's legal form spelt
    out, misspelt so the legal-form table missed them ("JOYNT STOCK COMPANY")."""
    # only the legal words the name's own legal form lacks can have been spelt into it
    rq = _without_legal_words(q.tokens, set(c.legal).difference(q.legal), c.tokens)
    rc = _without_legal_words(c.tokens, set(q.legal).difference(c.legal), q.tokens)
    if (rq, rc) == (q.tokens, c.tokens) or not rq or not rc:
        return None
    m = _compare_forms(NameForm(rq, q.legal, q.script), NameForm(rc, c.legal, c.script), org)
    m.kind = "full" if m.kind == "exact" else m.kind  # not the name as listed
    m.notes.append("words read as the other name's legal form: "
                   + " ".join(t for t in (*q.tokens, *c.tokens) if t not in (*rq, *rc)))
    return m


def _without_legal_words(tokens: tuple[str, ...], legal: set[str],
                         other: tuple[str, ...]) -> tuple[str, ...]:
    if not legal:
        return tokens
    return tuple(t for t in tokens if t in other or not any(
        t == w or (len(t) >= 4 and abs(len(t) - len(w)) <= 1 and OSA.distance(t, w) == 1)
        for w in legal))


def _serial_match(q: NameForm, c: NameForm, org: bool | None) -> NameMatch | None:
    """Two names whose words agree but for their serial numbers: digits, or Roman numerals in
    an organisation's name ("Trust 2007-AHL1" / "AHL2", "Fund III" / "IV") or ending a name."""
    if q.script != "latin" or c.script != "latin" or not (
            any(map(_SERIAL_LIKE.match, q.tokens)) or any(map(_SERIAL_LIKE.match, c.tokens))):
        return None  # pinyin "xi" is no Roman numeral, and other scripts' digits are words
    if org is None:
        org = _org_like(q, c)
    sq = [t for k, t in enumerate(q.tokens) if _serial(t, org, k == len(q.tokens) - 1)]
    sc = [t for k, t in enumerate(c.tokens) if _serial(t, org, k == len(c.tokens) - 1)]
    # an organisation's first of a series is often named without its number ("Offshore Fund,
    # Ltd." / "Offshore Fund I, Ltd."): no further apart than two serials. Not a later one
    # ("Solutions" / "Solutions II": the second is another entity), nor a person's "I"
    one_sided = (not sq) != (not sc)
    if (not sq and not sc) or sorted(sq) == sorted(sc) or (one_sided and not (
            org and [*sq, *sc] in (["i"], ["1"]))):
        return None
    rq = tuple(t for t in q.tokens if t not in sq)
    rc = tuple(t for t in c.tokens if t not in sc)
    if len(rq) < 2 or len(rc) < 2:
        return None  # "Victory 3" / "Victory 5": one word is too little to call them sisters
    m = _compare_tokens(q, c, rq, rc, org)
    if m.kind not in ("exact", "full"):
        return None
    m.score = min(m.score, SERIAL_MAX)
    m.kind = "full"
    m.unmatched_query += [t for t in sq if t not in sc]
    m.unmatched_candidate += [t for t in sc if t not in sq]
    m.notes.append(f"the names differ only in a serial number (a sister vessel, fund or "
                   f"series?): scored at most {SERIAL_MAX:g}")
    return m


def _org_like(q: NameForm, c: NameForm) -> bool:
    """Either name has a legal form set aside or an organisation word: weigh as organisations."""
    return bool(q.legal or c.legal) or org_like(q.tokens) or org_like(c.tokens)


def _serial(token: str, org: bool, last: bool) -> bool:
    """A number, or a Roman numeral in an organisation's name or ending any name ("Citigroup
    Capital Trust XV"); a lone letter ending a person's name is an initial."""
    return bool(_DIGIT.search(token)) or (
        (org or (last and len(token) > 1)) and _ROMAN.match(token) is not None)


def _compare_forms(q: NameForm, c: NameForm, org: bool | None) -> NameMatch:
    m = _compare_tokens(q, c, q.tokens, c.tokens, org)
    if m.score < 100 and (q.script == "abjad") != (c.script == "abjad"):
        # the Latin side may have glued an article the Arabic-script side spells apart; the
        # glued reading stays too ("Ismail" is a name, not "Isma al")
        latin = c if q.script == "abjad" else q
        apart = unglue_articles(latin.tokens)
        if apart != latin.tokens:
            other = (_compare_tokens(q, c, q.tokens, apart, org) if latin is c
                     else _compare_tokens(q, c, apart, c.tokens, org))
            if other.score > m.score:
                return other
    return m


def _compare_tokens(q: NameForm, c: NameForm, q_tokens: tuple[str, ...],
                    c_tokens: tuple[str, ...], org: bool | None) -> NameMatch:
    abjad = q.script == "abjad" or c.script == "abjad"
    latin = q.script == c.script == "latin"
    if latin:
        q_tokens, c_tokens = (_split_initials(q_tokens, c_tokens),
                              _split_initials(c_tokens, q_tokens))
    qt, cq_merged = _merge_adjacent(q_tokens, c_tokens, latin)
    ct, cc_merged = _merge_adjacent(c_tokens, qt, latin)
    # a romanised Han name is spelt by rule: near-misses ("fan"/"fang") are other names, but
    # the Hong Kong spellings of one sound are equal ("kei"/"ki", hkspell)
    exact = q.script in _ROMANISED or c.script in _ROMANISED
    q_ar, c_ar = q.script == "abjad", c.script == "abjad"
    cyr = {q.script, c.script} == {"cyrillic", "latin"}
    hk = bool({q.script, c.script} & _HK_READ)
    if qt == ct or (len(qt) == len(ct) and sorted(qt) == sorted(ct)):
        return NameMatch(100.0, [(t, t, 1.0) for t in qt], merged=cq_merged + cc_merged)
    if org is None:
        org = _org_like(q, c)
    wfun = org_weight if org else weight
    pairs = []
    cut_q = latin and len(qt[-1]) <= 4 and _cut_short(q, qt)
    cut_c = latin and len(ct[-1]) <= 4 and _cut_short(c, ct)
    # the written long vowels of the Arabic-script side's words (one side only)
    fq = [frames_of(q.written, a) for a in qt] if q_ar and not c_ar else None
    fc = [frames_of(c.written, b) for b in ct] if c_ar and not q_ar else None
    for i, a in enumerate(qt):
        for j, b in enumerate(ct):
            if exact:
                s = 1.0 if a == b or (hk and hk_key(a) == hk_key(b)) else 0.0
            else:
                s = (token_sim(a, b, True, fq[i]) if fq is not None
                     else token_sim(b, a, True, fc[j]) if fc is not None
                     else token_sim(a, b, abjad))
                if (hk and s < 1 and firm_key(a) == firm_key(b) and is_hk_syllable(a)
                        and is_hk_syllable(b)):
                    s = 1.0  # 偉記 read "wai kei", listed "Wai Kee": one sound, two spellings
                if org and s < ONE_SLIP_SIM and (one_slip(a, b) or vowel_variant(a, b)):
                    s = ONE_SLIP_SIM  # a slip, or another transliteration ("Hezbollah")
                elif 0 < s < 1 and (q.fixed or c.fixed or q.script in GLOSSED):
                    s = by_rule(a, b, s, a in q.fixed or b in c.fixed,
                                q.script in GLOSSED and a not in q.fixed)
                if (cyr and OTHER_CONSONANT_SIM < s < 1 and b not in nicknames().get(a, ())
                        and other_consonants(a, b)):
                    s = OTHER_CONSONANT_SIM  # Cyrillic writes every consonant: Пестова is
                    # not "Peskova", Андонов not "Antonov" (cyrillic_consonants)
                if org and s < 1 and min(len(a), len(b)) == 1:
                    s = 0.0  # a letter in a company's or vessel's name is a word of it, not an
                    # initial: "MONICA S" (a vessel) is not Monica Soprano
            if s and s < 1 and max(len(a), len(b)) > 1 and _ROMAN.match(a) and _ROMAN.match(b):
                s = 0.0  # "Fund I" / "II", "Hunt II" / "III": other numbers, not an initial
            if s < TRUNCATED_SIM and ((cut_q and i == len(qt) - 1 and b.startswith(a))
                                      or (cut_c and j == len(ct) - 1 and a.startswith(b))):
                s = TRUNCATED_SIM
            if s > 0:
                pairs.append((s, weight(a) + weight(b), i, j))
    pairs.sort(reverse=True)
    used_q: dict[int, tuple[int, float]] = {}
    used_c: set[int] = set()
    for s, _, i, j in pairs:
        if i not in used_q and j not in used_c:
            used_q[i] = (j, s)
            used_c.add(j)
    wq = [wfun(t) for t in qt]
    wc = [wfun(t) for t in ct]
    tq, tc = sum(wq), sum(wc)
    credit = _credit
    mq = sum(wq[i] * credit(s) for i, (_, s) in used_q.items())
    mc = sum(wc[j] * credit(s) for i, (j, s) in used_q.items())
    cov_q, cov_c = mq / tq, mc / tc
    explained = (
        [(qt[i], ct[j], round(s, 2)) for i, (j, s) in sorted(used_q.items())],
        [t for i, t in enumerate(qt) if i not in used_q],
        [t for j, t in enumerate(ct) if j not in used_c],
        cq_merged + cc_merged,
    )
    if len(used_q) == len(qt) and len(used_c) == len(ct):
        # every word matched: the score is how well they are spelt alike
        if all(s == 1.0 for _, s in used_q.values()):
            return NameMatch(100.0, *explained)
        # the coverage of the shorter name ("V. Putin" is all there in "Vladimir Putin")
        score = cov_q if (len(qt), tq) <= (len(ct), tc) else cov_c
        if org and (len(qt) == 1 or len(ct) == 1) and not all(
                s == 1.0 or one_slip(qt[i], ct[j]) or vowel_variant(qt[i], ct[j])
                for i, (j, s) in used_q.items()):
            score *= ONE_WORD_FUZZY  # "Monnier" / "JONNIER": one misspelt word is little to go on
        if any(ct[j] in nicknames().get(qt[i], ()) for i, (j, _) in used_q.items()):
            # "Sam Johnson" / "Samuel Johnson": one in 10,000 ordinary names collides like this
            return NameMatch(round(min(score * 100, PARTIAL_MAX), 1), *explained,
                             kind="nickname")
        return NameMatch(round(score * 100, 1), *explained, kind="full")
    small_is_q = (len(qt), tq) <= (len(ct), tc)
    left_small = [i for i in range(len(qt)) if i not in used_q] if small_is_q else [
        j for j in range(len(ct)) if j not in used_c]
    extra = [t for j, t in enumerate(ct) if j not in used_c] if small_is_q else [
        t for i, t in enumerate(qt) if i not in used_q]
    cov_small = cov_q if small_is_q else cov_c
    # a Han name read in Cantonese against "LEE, John Ka-chiu": the English given name is not
    # part of the Chinese name, so it is not missing from it
    english = (q.script == "jyutping" and small_is_q
               and not any(is_hk_syllable(t) for t in extra))
    longer = ct if small_is_q else qt
    # an Arabic article ("Selselat al Thahab" / "Silsilat Dhahab"): lists and romanisers put it
    # in or leave it out, and it names nothing
    # ... and in a Latin name of Arabic form ("'Abd al-Aziz al-Nuristani" / "Abdul Aziz
    # Nooristani"): there "al" is the article, not the given name Al
    void = ARTICLES if abjad or _arabic_form(qt) or _arabic_form(ct) else frozenset()
    if abjad:  # and a Persian ezafe, which the script does not write ("SEPAH-E PASDARAN")
        void = void | _EZAFE
    if left_small or english or all(_minor(t) or t in void or longer.count(t) > 1
                                    for t in extra):
        # words differ on both sides ("Zu Zag Bong 6" / "5"), or only initials and patronymics
        # are missing: a whole-name comparison, each unmatched word of the longer name costing
        n_small = len(qt) if small_is_q else len(ct)
        cost = EXTRA_TOKEN_COST_SINGLE if n_small == 1 else (
            EXTRA_TOKEN_COST_ORG if org else EXTRA_TOKEN_COST)
        # connectors ("of", "the") cost nothing: "Islamic State in Iraq and the Levant"; a
        # patronymic half a word when the other words are the same names, if spelt otherwise:
        # documents in Latin script routinely drop it ("Sergejs Lavrovs" / "Sergey Viktorovich
        # LAVROV"), but it does not make "Yakov" "ISAKOV, Vladimir Pavlovich"
        same_names = not left_small and all(s >= VARIANT_SIM for _, s in used_q.values())
        n_extra = 0 if english and not left_small else sum(
            PATRONYMIC_SHARE if same_names and _PATRONYMIC.search(t) else 1.0 for t in extra
            if t not in _CONNECTORS and t not in void)
        # one-word name: each further extra word costs half as much (PUTIN ranks "PUTIN,
        # Vladimir Vladimirovich" above "PUTINA, Maria"); longer names pay for each in full
        units = (n_extra + 1) / 2 if n_small == 1 and n_extra else n_extra
        return NameMatch(round(max(0.0, cov_small - cost * units) * 100, 1), *explained,
                         kind="full")
    # partial: all of the shorter name is in the longer one, whose other words are missing
    wl = wc if small_is_q else wq
    used_l = used_c if small_is_q else set(used_q)
    missing = sum(w for k, w in enumerate(wl) if k not in used_l) / (tc if small_is_q else tq)
    small = qt if small_is_q else ct
    strong = not org and q.script == c.script == "latin" and _substantive(small) >= 3
    # an organisation named by its own name alone, inside a listed name that adds only what
    # it trades in ("Hytera" / "Hytera Communications"): those words weigh as little as the
    # commonest. Not a place, which often names a branch or subsidiary (Shenzhen Huawei
    # Technology Service), nor another trade than the one the query names ("Huawei
    # Technologies" / "Huawei Tech. Investment"). Still a partial match: "Scott LLC" is whole
    # in "Scott Technologies FZE" too
    # The same weighting for a query that is a listed organisation's whole name with only the
    # place it is registered in before it, as Chinese company names are ("Zhejiang Dahua
    # Technology" / the Entity List's "Dahua Technology"): the list names it without the place.
    # Only that way round: a listed name that adds a place names a branch, and the query its
    # parent ("Huawei Technologies" / "Huawei Technologies Chengdu")
    if org and ((not any(t in generic_words() for t in small) and all(
            t in generic_words() and t not in place_words() for t in extra))
            or (not small_is_q and not generic_only(small)
                and all(t in place_words() for t in extra))):
        ws = [w if k in used_l else min(w, FLOOR * weight(t))
              for k, (w, t) in enumerate(zip(wl, longer, strict=True))]
        missing = sum(w for k, w in enumerate(ws) if k not in used_l) / sum(ws)
    cap = PARTIAL_MAX_STRONG if strong else PARTIAL_MAX
    weak = None if org else _weak_partial(small, longer, used_l)
    if weak:
        cap = PARTIAL_MAX_WEAK
    score = min(cap, cov_small * 100 - PARTIAL_MISSING_COST * missing)
    return NameMatch(round(max(0.0, score), 1), *explained, kind="partial",
                     missing=round(missing, 3),
                     notes=[f"{weak}: scored at most {PARTIAL_MAX_WEAK:g}"] if weak else [])


def _weak_partial(small: tuple[str, ...], longer: tuple[str, ...],
                  matched: set[int]) -> str | None:
    """Why a partial match of a person's name is weaker than a missing middle name, if it is:
    one word of a name, or two syllables of a three-syllable Chinese name (surname and given
    name; an English name may stand among them: "LEE, John Ka-chiu"), one missing: a given name
    split ("Tam Yiu" / "TAM, Yiu-chung") or a given name without its surname."""
    if len(small) == 1:
        return "one word of a person's name"
    syllables = [k for k, t in enumerate(longer) if is_hk_syllable(t)]
    if len(syllables) == 3 and sum(k in matched for k in syllables) == 2:
        missing = next(longer[k] for k in syllables if k not in matched)
        return (f"two syllables of the Chinese name {' '.join(longer[k] for k in syllables)}, "
                f"without {missing!r}: a given name is one name")
    return None


def _cut_short(form: NameForm, tokens: tuple[str, ...]) -> bool:
    """A Latin name of 30 to 40 characters ending in a short word may have been cut off by a
    name field: SWIFT lines and SAP's name fields hold 35 or 40 characters ("NOUREDDINE BEN
    ALI BEN BELKASSEM DR")."""
    words = (*form.tokens, *form.legal)
    return (form.script == "latin" and len(tokens) >= 3 and 2 <= len(tokens[-1]) <= 4
            and tokens[-1].isalpha()
            and TRUNCATED_CHARS[0] <= sum(map(len, words)) + len(words) - 1 <= TRUNCATED_CHARS[1])


def _credit(sim: float) -> float:
    """What a matched word adds to the coverage: its similarity when close ("Alvarez" /
    "Alvares"), less when two or more letters differ ("Marino"/"Marco", "Michelle"/"Michael"
    are other given names more often than typos)."""
    return sim if sim >= WEAK_SIM or sim == INITIAL_SIM else sim - WEAK_SIM_COST


def compare_names(a: str, b: str) -> float:
    """Best score between two written names (all their forms, and the names written inside
    them: :func:`~exportcheck.screen.entries.written_variants`), for pair benchmarks."""
    from exportcheck.screen.entries import written_variants
    from exportcheck.screen.normalize import name_forms
    from exportcheck.screen.scripts import letters_apply, native_script

    best = 0.0
    for wa in written_variants(a):
        for wb in written_variants(b):
            sa, sb = native_script(wa), native_script(wb)
            # either name may be the listed one, whose initials are a form too
            fas, fbs = _with_acronyms(name_forms(wa)), _with_acronyms(name_forms(wb))
            for fa in fas:
                for fb in fbs:
                    if letters_apply(fa.script, sa, fb.script, sb) and not (
                            fa.dropped and fb.dropped and fa.dropped != fb.dropped):
                        best = max(best, place_missing(compare_forms(fa, fb), fa, fb).score)
    return best



def _with_acronyms(forms: tuple[NameForm, ...]) -> tuple[NameForm, ...]:
    """An organisation's forms and its acronyms' (a person's name has none)."""
    return (*forms, *(a for f in forms if f.legal or org_like(f.tokens)
                      for a in acronym_forms(f)))
