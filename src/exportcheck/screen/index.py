"""Candidate generation: which list names are worth scoring for a query, without a full scan.

An inverted index maps each token (and each join of two neighbouring tokens, so "kachiu" finds
"ka chiu") to the name forms containing it. Misspelt tokens are found through a one-deletion
neighbourhood (SymSpell: "scholze" and "scholz" share the key "scholz"), through consonant
skeletons (Mohammed/Muhammad, Arabic script without vowels) and through romanisation variants
(Rouhani/Rohani, Razhapovich/Rajapovich: ``tokens.variant_key``). Postings are numpy arrays, so a
query costs a few array operations per token whatever the list size.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np

from exportcheck.screen.acronyms import ACRONYM, acronym_forms
from exportcheck.screen.entries import ListEntry
from exportcheck.screen.han_orgs import SCRIPT as HAN_ORG_SCRIPT
from exportcheck.screen.hkspell import hk_spellings
from exportcheck.screen.normalize import NameForm, name_forms, nicknames
from exportcheck.screen.pinyin_sound import sound_spellings
from exportcheck.screen.scripts import native_script
from exportcheck.screen.tokens import german_reading, skeleton, variant_key, weight
from exportcheck.screen.weights import FLOOR, org_like, place_words

MIN_FUZZY_LEN = 4
#: acronyms are keys of their own, looked up as written and for one-word queries only: a word
#: of a longer name, or one spelt close to an acronym, finds none
_ACRONYM_KEY = "\x00"
#: query tokens whose candidate names are remembered (about 1 KB each at most)
NEAR_CACHE_SIZE = 50_000


def _deletes(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def _keys(form: NameForm) -> set[str]:
    toks = form.tokens
    keys = set(toks)
    keys.update(a + b for a, b in pairwise(toks))
    return keys


def _organisation(kind: str | None, form: NameForm) -> bool:
    """An entity's name, or one of a list that does not say (the Entity List) reading as an
    organisation's: its initials are indexed too."""
    return kind == "entity" or (kind is None and bool(form.legal or org_like(form.tokens)))


@dataclass(slots=True)
class IndexedName:
    entry: int  # position in NameIndex.entries
    alias: str  # the name as the list writes it
    form: NameForm
    native: str  # "han", "hangul" or "arabic": the list writes this alias in that script


class NameIndex:
    """All name forms of a set of list entries, indexed by token."""

    def __init__(self, entries: list[ListEntry]) -> None:
        self.entries = entries
        self.names: list[IndexedName] = []
        key_ids: dict[str, int] = {}
        pair_key = array("i")
        pair_name = array("i")
        singles: set[str] = set()
        for ei, entry in enumerate(entries):
            person = True if entry.kind == "person" else (False if entry.kind else None)
            # tokens -> the place the form of them indexed so far leaves out ("" for none): a
            # form leaving out a place (北京旷视科技 read as 旷视科技) must not hide another alias
            # that is those very words (the table's short name 旷视科技)
            seen: dict[tuple[str, ...], str] = {}
            seen_acronyms: set[tuple[str, ...]] = set()
            for alias in entry.all_names():
                native = native_script(alias)
                # listed: Han and Persian names are not read in English (han_orgs, persian_orgs)
                for form in name_forms(alias, person, native in ("han", "arabic")):
                    if form.tokens in seen and (not seen[form.tokens] or form.dropped):
                        continue
                    seen[form.tokens] = form.dropped
                    ni = len(self.names)
                    self.names.append(IndexedName(ei, alias, form, native))
                    singles.update(form.tokens)
                    for key in _keys(form):
                        kid = key_ids.setdefault(key, len(key_ids))
                        pair_key.append(kid)
                        pair_name.append(ni)
                    if not _organisation(entry.kind, form):
                        continue
                    for acr in acronym_forms(form):  # "PLA": an organisation's initials
                        if acr.tokens not in seen_acronyms:
                            seen_acronyms.add(acr.tokens)
                            key = _ACRONYM_KEY + acr.tokens[0]
                            pair_key.append(key_ids.setdefault(key, len(key_ids)))
                            pair_name.append(len(self.names))
                            self.names.append(IndexedName(ei, alias, acr, native))
        keys = np.frombuffer(pair_key, dtype=np.int32) if pair_key else np.zeros(0, np.int32)
        names = np.frombuffer(pair_name, dtype=np.int32) if pair_name else np.zeros(0, np.int32)
        order = np.argsort(keys, kind="stable")
        # posting lists index numpy arrays: as intp (not the int32 they are collected in),
        # ``acc[ids] += w`` runs two to four times faster (numpy casts other index types)
        self._flat = names[order].astype(np.intp)
        self._offsets = np.concatenate(
            [[0], np.cumsum(np.bincount(keys, minlength=len(key_ids)))]).astype(np.int64)
        self._key_ids = key_ids
        by_delete: dict[str, list[str]] = defaultdict(list)
        by_skeleton: dict[str, list[str]] = defaultdict(list)
        by_variant: dict[str, list[str]] = defaultdict(list)
        for tok in singles:
            if len(tok) >= MIN_FUZZY_LEN and tok.isascii():
                for d in _deletes(tok):
                    by_delete[d].append(tok)
                sk = skeleton(tok)
                if len(sk) >= 3:
                    by_skeleton[sk].append(tok)
                if (vk := variant_key(tok)) != tok:
                    by_variant[vk].append(tok)
        # plain dicts (only read with .get): the on-disk cache stores and restores them as is
        #: every word of the listed names' forms (:mod:`exportcheck.screen.disguise`)
        self.words: frozenset[str] = frozenset(singles)
        self.by_delete: dict[str, list[str]] = dict(by_delete)
        self.by_skeleton: dict[str, list[str]] = dict(by_skeleton)
        self.by_variant: dict[str, list[str]] = dict(by_variant)
        self._acc = np.zeros(len(self.names), dtype=np.float32)
        self._near: dict[tuple[str, bool, bool], np.ndarray | None] = {}
        # total token weight of each name: ranks "FAIZ" above "Ustadz Faiz" for the query "Faiz"
        codes = sorted({e.list for e in entries})
        self._code_ids = {c: i for i, c in enumerate(codes)}
        self._name_code = np.asarray([self._code_ids[entries[n.entry].list] for n in self.names],
                                     dtype=np.int16)
        self._masks: dict[frozenset[str], np.ndarray] = {}
        self._wtot = np.asarray([sum(lookup_weight(t) for t in n.form.tokens) or 1.0
                                 for n in self.names], dtype=np.float32)

    def __len__(self) -> int:
        return len(self.names)

    # -- on-disk cache (exportcheck.screen.cache) ------------------------------------------
    def to_state(self) -> dict:
        """The built index as plain data (str, int, float, bool, bytes, lists, tuples, dicts),
        for :mod:`exportcheck.screen.cache`: names as columns, arrays as raw bytes.

        Bump ``cache.FORMAT`` when this layout changes."""
        names = self.names
        return {
            "n_entries": len(self.entries),
            "name_entry": [n.entry for n in names],
            "name_alias": [n.alias for n in names],
            "name_tokens": [n.form.tokens for n in names],
            "name_legal": [n.form.legal for n in names],
            "name_script": [n.form.script for n in names],
            "name_native": [n.native for n in names],
            "name_dropped": [n.form.dropped for n in names],
            # an Arabic-script name's written vowels; their frozensets as tuples (plain data)
            "name_written": [tuple((w, tuple(frames)) for w, frames in n.form.written)
                             for n in names],
            "key_ids": self._key_ids,
            "by_delete": self.by_delete,
            "by_skeleton": self.by_skeleton,
            "by_variant": self.by_variant,
            "code_ids": self._code_ids,
            "arrays": {k: (a.dtype.str, a.tobytes()) for k, a in self._arrays().items()},
        }

    def _arrays(self) -> dict[str, np.ndarray]:
        # the posting lists stored as int32 (half the bytes of the intp they are used as)
        return {"flat": self._flat.astype(np.int32), "offsets": self._offsets,
                "name_code": self._name_code, "wtot": self._wtot}

    @classmethod
    def from_state(cls, entries: list[ListEntry], state: dict) -> NameIndex:
        """The index :meth:`to_state` described, over ``entries`` (the same entries, in the
        same order), without building it again. Raises ``ValueError`` on an inconsistent
        state."""
        self = cls.__new__(cls)
        self.entries = entries
        cols = (state["name_entry"], state["name_alias"], state["name_tokens"],
                state["name_legal"], state["name_script"], state["name_native"],
                state["name_dropped"], state["name_written"])
        n = len(cols[0])
        if any(len(c) != n for c in cols) or state["n_entries"] != len(entries):
            raise ValueError("index state: column lengths disagree")
        # the leading place a Han organisation's form leaves out: without it, 成都华为 would be
        # an exact match of 华为 once restored
        forms = [NameForm(t, lg, sc, tuple((w, frozenset(fr)) for w, fr in wr) if wr else (),
                          d)
                 for t, lg, sc, d, wr in zip(cols[2], cols[3], cols[4], cols[6], cols[7],
                                             strict=True)]
        self.names = list(map(IndexedName, cols[0], cols[1], forms, cols[5]))
        self._key_ids = state["key_ids"]
        self.words = frozenset(t for toks, script in zip(cols[2], cols[4], strict=True)
                               if script != ACRONYM for t in toks)
        self.by_delete = state["by_delete"]
        self.by_skeleton = state["by_skeleton"]
        self.by_variant = state["by_variant"]
        self._code_ids = state["code_ids"]
        arrays = {k: np.frombuffer(raw, dtype=np.dtype(dt)).copy()
                  for k, (dt, raw) in state["arrays"].items()}
        self._flat, self._offsets = arrays["flat"].astype(np.intp, copy=False), arrays["offsets"]
        self._name_code, self._wtot = arrays["name_code"], arrays["wtot"]
        if (len(self._name_code) != n or len(self._wtot) != n
                or len(self._offsets) != len(self._key_ids) + 1
                or (n and not (0 <= min(cols[0]) <= max(cols[0]) < len(entries)))
                or (len(self._flat) and not 0 <= self._flat.min() <= self._flat.max() < n)
                or int(self._offsets[-1]) != len(self._flat)):
            raise ValueError("index state: arrays do not fit the names")
        self._masks = {}
        self._acc = np.zeros(n, dtype=np.float32)
        self._near = {}
        return self

    def postings(self, key: str) -> np.ndarray | None:
        kid = self._key_ids.get(key)
        if kid is None:
            return None
        return self._flat[self._offsets[kid] : self._offsets[kid + 1]]

    def similar_tokens(self, token: str) -> set[str]:
        """Indexed tokens equal or close to ``token`` (edit distance ~1-2, same skeleton)."""
        out = {token} if token in self._key_ids else set()
        # "bill" finds "william": a given name's short forms (nicknames) are the same name
        if nicks := nicknames().get(token):
            out.update(n for n in nicks if n in self._key_ids)
        if len(token) >= MIN_FUZZY_LEN and token.isascii():
            out.update(self.by_delete.get(token, ()))
            for d in _deletes(token):
                if d in self._key_ids:
                    out.add(d)
                out.update(self.by_delete.get(d, ()))
            sk = skeleton(token)
            if len(sk) >= 3:
                out.update(self.by_skeleton.get(sk, ()))
            vk = variant_key(token)  # Razhapovich / Rajapovich, Rouhani / Rohani
            keys = [vk]
            if reading := german_reading(token):  # Selenskyj / Zelenskyy, Jelzin / Yeltsin
                keys.append(variant_key(reading))
                if reading[0] == "s":  # German writes an opening з as s: Selenskyj
                    keys.append(variant_key("z" + reading[1:]))
            for key in keys:
                out.update(self.by_variant.get(key, ()))
                if key in self._key_ids:
                    out.add(key)
        return out

    def _token_ids(self, tok: str, hk: bool, sound: bool = False) -> np.ndarray | None:
        """Names holding ``tok`` or a token close to it, a name holding two such tokens listed
        twice (memoised: the same given names and surnames come back query after query).
        ``sound``: a pinyin name also finds its southern spellings ("zhongsheng": "Zongshen")."""
        key = (tok, hk, sound)
        ids = self._near.get(key, False)
        if ids is not False:
            return ids
        near = self.similar_tokens(tok)
        if hk:  # "kei" also finds "ki" (hkspell)
            for alt in hk_spellings(tok):
                near |= self.similar_tokens(alt)
        if sound:
            near.update(alt for alt in sound_spellings(tok) if alt in self._key_ids)
        hits = [p for t in near if (p := self.postings(t)) is not None]
        # a name may repeat across the postings: ``acc[ids] += w`` still adds w once to it
        ids = None if not hits else (np.concatenate(hits) if len(hits) > 1 else hits[0])
        if len(self._near) > NEAR_CACHE_SIZE:
            self._near.clear()
        self._near[key] = ids
        return ids

    def list_mask(self, lists: frozenset[str]) -> np.ndarray:
        """Boolean mask of the names on the given lists (cached per set of list codes)."""
        mask = self._masks.get(lists)
        if mask is None:
            ids = [self._code_ids[c] for c in lists if c in self._code_ids]
            mask = self._masks[lists] = np.isin(self._name_code, ids)
        return mask

    def candidate_forms(self, forms: tuple[NameForm, ...], limit: int = 25,
                        min_share: float = 0.3, lists: frozenset[str] | None = None,
                        min_rank: float = 0.0) -> list[tuple[int, list[int]]]:
        """Name ids sharing (fuzzily) at least ``min_share`` of a query form's weight and
        ``min_rank`` of the longer of the two names' weight, restricted to ``lists`` before the
        top ``limit`` are taken; each with the positions in ``forms`` of the query forms that
        found it: a Han name has a dozen readings, and each candidate is worth comparing with
        the readings that share its words, not with all of them."""
        found: dict[int, float] = {}
        by_form: dict[int, list[int]] = {}
        mask = self.list_mask(lists) if lists else None
        acc = self._acc
        for fi, form in enumerate(forms):
            total = sum(lookup_weight(t) for t in form.tokens) or 1.0
            touched: list[np.ndarray] = []
            keys = list(form.tokens) + [a + b for a, b in pairwise(form.tokens)]
            hk = form.script in ("jyutping", "han-en-hk")  # read in Cantonese: other HK spellings
            sound = form.script == HAN_ORG_SCRIPT  # proper names read as pinyin
            # a joined pair of a Latin name is looked up as written (its words are looked up
            # fuzzily); a romanisation of Arabic script may join or spell words otherwise
            n_fuzzy = len(keys) if form.script == "abjad" else len(form.tokens)
            for i, tok in enumerate(keys):
                ids = (self._token_ids(tok, hk, sound and tok not in form.fixed)
                       if i < n_fuzzy else self.postings(tok))
                if ids is None:
                    continue
                # a joined pair stands for both of its tokens
                acc[ids] += (lookup_weight(tok) if i < len(form.tokens)
                             else 0.5 * weight(tok))  # "Jin hua": a name, not the city
                touched.append(ids)
            if (len(form.tokens) == 1 and form.script == "latin"
                    and (ids := self.postings(_ACRONYM_KEY + form.tokens[0])) is not None):
                acc[ids] += weight(form.tokens[0])
                touched.append(ids)
            if not touched:
                continue
            ids = np.concatenate(touched) if len(touched) > 1 else touched[0]
            scores = acc[ids]
            acc[ids] = 0.0
            rank = scores / np.maximum(self._wtot[ids], total)
            keep = (scores >= min_share * total) & (rank >= min_rank)
            if mask is not None:
                keep &= mask[ids]
            for i, s in _top_once(ids[keep], scores[keep], rank[keep], limit):
                found[i] = max(found.get(i, 0.0), s / total)
                by_form.setdefault(i, []).append(fi)
        return [(i, by_form[i]) for i in sorted(found, key=found.__getitem__, reverse=True)]


#: below this many kept ids, :func:`_top_once` keeps each once in Python: numpy's ``unique``
#: costs more than the loop on the few ids a query's filter leaves
_SMALL = 48


@lru_cache(maxsize=200_000)
def lookup_weight(token: str) -> float:
    """A word's weight in finding candidates: a place weighs as the commonest words do. Hundreds
    of listed names start with "Shenzhen" or "Beijing": at full weight they filled the
    candidates of "Shenzhen Opturn Co., Ltd." and left out the Entity List's "Opturn Co., Ltd.",
    the one name that shares its own word. Scoring weighs every word as before."""
    return FLOOR * weight(token) if token in place_words() else weight(token)


def _top_once(ids: np.ndarray, scores: np.ndarray, rank: np.ndarray,
              limit: int) -> list[tuple[int, float]]:
    """``(id, score)`` of each name once (a name found by several tokens repeats, with the same
    score and rank), the ``limit`` best ranked."""
    if len(ids) <= _SMALL:
        once = {i: (r, s) for i, s, r in zip(ids.tolist(), scores.tolist(), rank.tolist(),
                                             strict=True)}
        items = sorted(once.items())  # by id, as ``unique`` gives them
        if len(items) > limit:
            items = sorted(items, key=lambda kv: kv[1][0], reverse=True)[:limit]
        return [(i, s) for i, (_, s) in items]
    ids, first = np.unique(ids, return_index=True)
    scores, rank = scores[first], rank[first]
    if len(ids) > limit:
        top = np.argpartition(-rank, limit)[:limit]
        ids, scores = ids[top], scores[top]
    return list(zip(ids.tolist(), scores.tolist(), strict=True))

