"""Chinese company and institution names written in Han script against the English lists.

    .venv/bin/python benchmarks/screening_han.py

Second set, not ours: Japan's METI End User List (``xyna_registry/jp.json``) writes Chinese
and North Korean entities' names in Han characters beside the English ones, often in Japanese
forms (中国電子科技集団公司) or traditional characters. Each Han name whose English names find
a US or UN list entry (score >= 95) is a query; it is found when its hits include that entry.
North Korean names are counted apart: their characters are read in Korean (金策 Kim Chaek),
which exportcheck does not do. Several glossary words were added after looking at this set's
misses (session 16), so it is not held out.

Labelled set: ``tests/screen/data/han_company_pairs.csv`` (query as written on Chinese
documents; expected list code and English list name for positives; well-known unlisted Chinese
companies as negatives). ``route`` says how a positive can be found: ``table`` (the entry has a
row in ``chinese_entity_names.csv``) or ``glossary`` (no table row: only the glossary + pinyin
reading can find it). ``glossary alone`` also scores every positive with the glossary reading
only (query ``han-en`` forms against the expected entry's non-Han names), to show how much the
table adds. A false hit is a negative with any hit at the threshold.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screening_ec import LIST_PATHS, L  # the benchmark's list files, in one place

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "tests" / "screen" / "data" / "han_company_pairs.csv"
THRESHOLD = 85.0


METI = L / "xyna_registry" / "jp.json"
_BRACKETED = re.compile(r"[（(]([^()（）]+)[)）]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def meti_pairs(path: Path = METI) -> list[tuple[str, list[str]]]:
    """(Han name, English names) from the METI End User List: Han names in brackets after
    an English name, or aliases written in Han only (three characters or more)."""
    out = []
    for r in json.loads(path.read_text("utf-8")):
        english, han = [], []
        for name in (r.get("entity_name") or "", *(r.get("aliases") or ())):
            for m in _BRACKETED.finditer(name):
                if len(_HAN.findall(m.group(1))) >= 3 and not _LATIN.search(m.group(1)):
                    han.append(m.group(1).strip())
            rest = _BRACKETED.sub(" ", name).strip()
            if rest and not _HAN.search(rest):
                english.append(rest)
            elif len(_HAN.findall(rest)) >= 3 and not _LATIN.search(rest):
                han.append(rest)
        out += [(h, english) for h in dict.fromkeys(han) if english]
    return out


# (exportcheck.screen.chinese has the same test; the benchmark keeps its own, as it also
# measures revisions that lack it)
def _in_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def meti_figures(screener) -> dict:
    """Found figures of the METI set on ``screener``: all, Japanese forms (characters
    outside GB 2312 after OpenCC's traditional-to-simplified step), North Korean apart."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    counts = {k: [0, 0] for k in ("all", "japanese", "korean")}
    misses = []
    for han, english in meti_pairs():
        want = {(h.list, h.entry_id) for e in english for h in screener.screen(e) if h.score >= 95}
        if not want:
            continue
        korean = any("KP" in (screener.entry(*k).countries or ()) for k in want)
        found = bool(want & {(h.list, h.entry_id) for h in screener.screen(han)})
        japanese = not _in_gb2312("".join(_HAN.findall(t2s.convert(han))))
        groups = ["korean"] if korean else ["all", "japanese"] if japanese else ["all"]
        for g in groups:
            counts[g][0] += found
            counts[g][1] += 1
        if not found and not korean:
            misses.append((han, english[0]))
    return {"found": counts["all"][0], "queries": counts["all"][1],
            "japanese_found": counts["japanese"][0], "japanese_queries": counts["japanese"][1],
            "korean_found": counts["korean"][0], "korean_queries": counts["korean"][1],
            "misses": misses}


def load_pairs(path: Path = PAIRS) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _is_expected(screener, hit, row: dict) -> bool:
    from exportcheck.screen.normalize import fold_text

    entry = screener.entry(hit.list, hit.entry_id)
    return (hit.list == row["expected_list"] and entry is not None
            and fold_text(entry.name) == fold_text(row["expected_name"]))


def _glossary_alone(screener, row: dict) -> bool:
    """The expected entry reached by the glossary reading only (no table alias)."""
    from exportcheck.screen.normalize import HAN_RE, fold_text, name_forms
    from exportcheck.screen.scorer import compare_forms

    want = fold_text(row["expected_name"])
    qforms = [f for f in name_forms(row["query"], False) if f.script == "han-en"]
    for e in screener.entries:
        if e.list != row["expected_list"] or fold_text(e.name) != want:
            continue
        for alias in e.all_names():
            if HAN_RE.search(alias):
                continue
            for cf in name_forms(alias, False):
                if any(compare_forms(q, cf).score >= THRESHOLD for q in qforms):
                    return True
    return False


def han_company_figures(screener, threshold: float = THRESHOLD) -> dict:
    """Found / false-hit figures of the labelled set on ``screener`` (full official lists)."""
    rows = load_pairs()
    out: dict = {"threshold": threshold, "rows": len(rows), "misses": [], "false_hits": []}
    by_route: dict[str, list[bool]] = {}
    alone: list[bool] = []
    neg_hits = 0
    t0 = time.perf_counter()
    for row in rows:
        hits = screener.screen(row["query"], threshold=threshold)
        if row["route"] == "negative":
            if hits:
                neg_hits += 1
                out["false_hits"].append(
                    (row["query"], [(h.list, h.matched_name, h.score) for h in hits[:3]]))
            continue
        found = any(_is_expected(screener, h, row) for h in hits)
        by_route.setdefault(row["route"], []).append(found)
        alone.append(_glossary_alone(screener, row))
        if not found:
            out["misses"].append(
                (row["query"], row["expected_name"], [(h.list, h.matched_name, h.score)
                                                      for h in hits[:3]]))
    positives = [f for v in by_route.values() for f in v]
    out.update({
        "positives": len(positives), "found": sum(positives),
        "found_share": sum(positives) / max(1, len(positives)),
        "by_route": {k: (sum(v), len(v)) for k, v in sorted(by_route.items())},
        "glossary_alone": (sum(alone), len(alone)),
        "negatives": sum(r["route"] == "negative" for r in rows), "false_hit_queries": neg_hits,
        "ms_per_query": 1000 * (time.perf_counter() - t0) / max(1, len(rows)),
    })
    if METI.exists():
        meti = meti_figures(screener)
        out["meti_misses"] = meti.pop("misses")
        out.update({f"METI EUL {k.replace('_', ' ')}": v for k, v in meti.items()})
    return out


def print_table(fig: dict) -> None:
    print(f"Han-script company names vs English lists (threshold {fig['threshold']:g}, "
          f"{fig['rows']} labelled queries)")
    print(f"  positives found                 {fig['found']:>3} / {fig['positives']:<3} "
          f"({fig['found_share']:.0%})")
    for route, (k, n) in fig["by_route"].items():
        print(f"    via {route:<27} {k:>3} / {n}")
    k, n = fig["glossary_alone"]
    print(f"    glossary reading alone        {k:>3} / {n}  (table aliases ignored)")
    print(f"  negatives with a hit (false)    {fig['false_hit_queries']:>3} / {fig['negatives']}")
    print(f"  time per query                  {fig['ms_per_query']:.1f} ms")
    if "METI EUL queries" in fig:
        print(f"  METI End User List Han names    {fig['METI EUL found']:>3} / "
              f"{fig['METI EUL queries']:<3} (Japanese forms {fig['METI EUL japanese found']} / "
              f"{fig['METI EUL japanese queries']}; North Korean, read in Korean, apart: "
              f"{fig['METI EUL korean found']} / {fig['METI EUL korean queries']})")
    for q, name, hits in fig["misses"]:
        print(f"  missed: {q} -> {name}; got {hits}")
    for q, hits in fig["false_hits"]:
        print(f"  false hit: {q} -> {hits}")
    for q, name in fig.get("meti_misses", ()):
        print(f"  METI missed: {q} -> {name}")


def main() -> None:
    from exportcheck.screen import Screener

    missing = [p for p in LIST_PATHS if not p.exists()]
    if missing:
        sys.exit(f"list files missing: {missing[0]} (../shared/data beside the repo)")
    screener = Screener.from_paths(LIST_PATHS)
    print_table(han_company_figures(screener))


if __name__ == "__main__":
    main()
