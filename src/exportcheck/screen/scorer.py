"""Token-level name scoring, 0-100, with an account of how the score came about.

Why this shape: names are bags of tokens written in any order ("LAM, Carrie" = "Carrie Lam"),
so tokens are aligned one-to-one by similarity, not compared as strings. Each token weighs its
length in characters, so a score means "share of the name's letters that agree" whatever the
name's length. Numbers only match exactly. Adjacent tokens are merged when the other side
writes them as one ("Ka Chiu" = "Kachiu", "Abdul Hai" = "Abdulhai"). Extra tokens on the longer
name (a patronymic, a second given name) cost a fixed amount each, more when the shorter name is
a single word, because one matching word is weak evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA

from exportcheck.screen.normalize import NameForm

#: below this a token pair does not count as matched at all
MIN_TOKEN_SIM = 0.6
#: cost of each unmatched token on the longer name (shorter name has >= 2 tokens / 1 token)
EXTRA_TOKEN_COST = 0.09
#: organisations: an extra word usually names another company ("Banco Santander Mexico")
EXTRA_TOKEN_COST_ORG = 0.16
EXTRA_TOKEN_COST_SINGLE = 0.25
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLE = re.compile(r"(.)\1+")
_DIGIT = re.compile(r"\d")
_ROMANISED = frozenset({"pinyin", "jyutping"})


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Consonant skeleton: 'muhammad' and 'mohamed' -> 'mhmd'; Arabic script loses vowels."""
    return _DOUBLE.sub(r"\1", _VOWELS.sub("", token[0] + _VOWELS.sub("", token[1:])
                                          if token[:1] not in "aeiouy" else token[1:]))


@lru_cache(maxsize=200_000)
def weight(token: str) -> float:
    return float(min(len(token), 10)) if token.isascii() else 2.0


_SIM_CACHE: dict[tuple[str, str, bool], float] = {}
_SIM_CACHE_MAX = 2_000_000


def token_sim(a: str, b: str, abjad: bool = False) -> float:
    """Similarity of two tokens in [0, 1] (memoised: list tokens recur across queries)."""
    if a == b:
        return 1.0
    key = (a, b, abjad)
    sim = _SIM_CACHE.get(key)
    if sim is None:
        if len(_SIM_CACHE) > _SIM_CACHE_MAX:
            _SIM_CACHE.clear()
        sim = _SIM_CACHE[key] = _token_sim(a, b, abjad)
    return sim


def _token_sim(a: str, b: str, abjad: bool) -> float:
    """Similarity of two tokens in [0, 1]; 0 when they should not count as the same word."""
    if not (a.isascii() and b.isascii()):
        return 0.0  # Han characters compare exactly
    if _DIGIT.search(a) or _DIGIT.search(b):
        return 0.0  # numbers are identifiers: 11420 is not 11421
    la, lb = len(a), len(b)
    if la == 1 or lb == 1:
        return 0.5 if a[0] == b[0] else 0.0  # an initial
    if abjad and skeleton(a) == skeleton(b):
        return 0.9
    sim = OSA.normalized_similarity(a, b)
    if min(la, lb) <= 3:
        return sim if sim >= 0.66 else 0.0
    if sim < 0.85 and min(la, lb) >= 5 and len(skeleton(a)) >= 3 and skeleton(a) == skeleton(b):
        sim = max(sim, 0.8)  # transliteration variant: Mohammed / Muhammad
    return sim if sim >= MIN_TOKEN_SIM else 0.0


def _merge_adjacent(tokens: tuple[str, ...],
                    other: tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
    """Join neighbours that the other name writes as one word."""
    if len(tokens) <= len(other):
        return tokens, []  # joining only helps the side with more tokens
    other_set = set(other)
    long_others = [o for o in other_set if len(o) >= 5]
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


@dataclass(slots=True)
class NameMatch:
    """How one query form matched one list-name form."""

    score: float
    pairs: list[tuple[str, str, float]] = field(default_factory=list)
    unmatched_query: list[str] = field(default_factory=list)
    unmatched_candidate: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)

    def explain(self) -> list[str]:
        out = []
        if self.pairs:
            out.append("tokens: " + ", ".join(
                f"{a}={b}" if s == 1 else f"{a}~{b} ({s:.2f})" for a, b, s in self.pairs))
        if self.merged:
            out.append("joined: " + ", ".join(self.merged))
        if self.unmatched_query:
            out.append("query tokens not in list name: " + " ".join(self.unmatched_query))
        if self.unmatched_candidate:
            out.append("list-name tokens not in query: " + " ".join(self.unmatched_candidate))
        return out


def compare_forms(q: NameForm, c: NameForm, org: bool | None = None) -> NameMatch:
    """Score one query form against one list-name form (0-100)."""
    qt, cq_merged = _merge_adjacent(q.tokens, c.tokens)
    ct, cc_merged = _merge_adjacent(c.tokens, qt)
    abjad = q.script == "abjad" or c.script == "abjad"
    # a romanised Han name is spelt by rule: near-misses ("fan"/"fang") are other names
    exact = q.script in _ROMANISED or c.script in _ROMANISED
    if qt == ct:
        return NameMatch(100.0, [(t, t, 1.0) for t in qt], merged=cq_merged + cc_merged)
    pairs = []
    for i, a in enumerate(qt):
        for j, b in enumerate(ct):
            s = (1.0 if a == b else 0.0) if exact else token_sim(a, b, abjad)
            if s > 0:
                pairs.append((s, weight(a) + weight(b), i, j))
    pairs.sort(reverse=True)
    used_q: dict[int, tuple[int, float]] = {}
    used_c: set[int] = set()
    for s, _, i, j in pairs:
        if i not in used_q and j not in used_c:
            used_q[i] = (j, s)
            used_c.add(j)
    wq = [weight(t) for t in qt]
    wc = [weight(t) for t in ct]
    mq = sum(wq[i] * s for i, (_, s) in used_q.items())
    mc = sum(wc[j] * s for i, (j, s) in used_q.items())
    cov_q, cov_c = mq / sum(wq), mc / sum(wc)
    if (len(qt), sum(wq)) <= (len(ct), sum(wc)):
        cov_small, n_small, n_extra = cov_q, len(qt), len(ct) - len(used_c)
    else:
        cov_small, n_small, n_extra = cov_c, len(ct), len(qt) - len(used_q)
    if org is None:
        org = bool(q.legal or c.legal)
    cost = EXTRA_TOKEN_COST_SINGLE if n_small == 1 else (
        EXTRA_TOKEN_COST_ORG if org else EXTRA_TOKEN_COST)
    # one-word name: each further extra word costs half as much (PUTIN ranks "PUTIN, Vladimir
    # Vladimirovich" above "PUTINA, Maria"); longer names pay for every extra word in full
    units = (n_extra + 1) / 2 if n_small == 1 and n_extra else n_extra
    score = max(0.0, cov_small - cost * units) * 100
    return NameMatch(
        round(score, 1),
        [(qt[i], ct[j], round(s, 2)) for i, (j, s) in sorted(used_q.items())],
        [t for i, t in enumerate(qt) if i not in used_q],
        [t for j, t in enumerate(ct) if j not in used_c],
        cq_merged + cc_merged,
    )


def compare_names(a: str, b: str) -> float:
    """Best score between two written names (all their forms), for pair benchmarks."""
    from exportcheck.screen.normalize import HAN_RE, name_forms

    both_han = bool(HAN_RE.search(a) and HAN_RE.search(b))
    best = 0.0
    for fa in name_forms(a):
        for fb in name_forms(b):
            # two Han names compare by characters: their readings may coincide (homophones)
            if both_han and (fa.script != "han" or fb.script != "han"):
                continue
            if (fa.script == "han") != (fb.script == "han"):
                continue
            best = max(best, compare_forms(fa, fb).score)
    return best
