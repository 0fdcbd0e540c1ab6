"""Iranian company and institution names written in Persian script against the English lists.

    .venv/bin/python benchmarks/screening_persian.py

Labelled set: ``tests/screen/data/persian_orgs.csv`` (the query as Iranian documents write it,
each with where its Persian name was read; the list entry it should find). ``route``:
``glossary`` (the list writes the entity in English only: only the reading through
``persian_glossary.csv`` can find it), ``romaniser`` (the list also writes a transliteration),
``known_miss`` (a longer or shorter name than the listed one: reported, not required) and
``negative`` (real unlisted Iranian companies, and Faker fa_IR company names marked as such).
A positive is found when its hits at the threshold include the expected entry; a false hit is
a negative with any hit at the threshold.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screening_ec import LIST_PATHS  # the benchmark's list files, in one place

ROOT = Path(__file__).resolve().parents[1]
ROWS = ROOT / "tests" / "screen" / "data" / "persian_orgs.csv"
THRESHOLD = 85.0


def load_rows(path: Path = ROWS) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def found(screener, row: dict, hits) -> bool:
    """Whether the hits include the row's expected entry (list and entry name)."""
    from exportcheck.screen.normalize import fold_text

    want = fold_text(row["expected_name"])
    for h in hits:
        entry = screener.entry(h.list, h.entry_id)
        if h.list == row["expected_list"] and entry is not None and fold_text(entry.name) == want:
            return True
    return False


def persian_figures(screener, threshold: float = THRESHOLD) -> dict:
    """Found / false-hit figures of the labelled set on ``screener``."""
    rows = load_rows()
    by_route: dict[str, list[bool]] = {}
    out: dict = {"threshold": threshold, "rows": len(rows), "misses": [], "false_hits": []}
    t0 = time.perf_counter()
    for row in rows:
        hits = screener.screen(row["query"], threshold=threshold)
        if row["route"] == "negative":
            by_route.setdefault("negative", []).append(bool(hits))
            if hits:
                out["false_hits"].append((row["query"], [(h.list, h.matched_name, h.score)
                                                         for h in hits[:3]]))
            continue
        ok = found(screener, row, hits)
        by_route.setdefault(row["route"], []).append(ok)
        if not ok:
            out["misses"].append((row["route"], row["query"], row["expected_name"],
                                  [(h.list, h.matched_name, h.score) for h in hits[:3]]))
    out["by_route"] = {k: (sum(v), len(v)) for k, v in sorted(by_route.items())}
    out["ms_per_query"] = 1000 * (time.perf_counter() - t0) / max(1, len(rows))
    return out


def print_table(fig: dict) -> None:
    print(f"Persian-script company names vs English lists (threshold {fig['threshold']:g}, "
          f"{fig['rows']} labelled queries)")
    for route, (k, n) in fig["by_route"].items():
        label = "negatives with a hit (false)" if route == "negative" else f"found via {route}"
        print(f"  {label:<32} {k:>3} / {n}")
    print(f"  time per query                   {fig['ms_per_query']:.1f} ms")
    for route, q, name, hits in fig["misses"]:
        print(f"  missed ({route}): {q} -> {name}; got {hits}")
    for q, hits in fig["false_hits"]:
        print(f"  false hit: {q} -> {hits}")


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from exportcheck.screen import Screener

    missing = [p for p in LIST_PATHS if not p.exists()]
    if missing:
        print(f"list data not found: {missing[0]} (../shared/data beside the repo)",
              file=sys.stderr)
        return 2
    print_table(persian_figures(Screener.from_paths(LIST_PATHS)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
