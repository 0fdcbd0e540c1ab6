"""Screening benchmark: exportcheck vs nomenklatura's default matcher, one table.

    .venv/bin/python benchmarks/screening.py [--quick]

Lists: the newest copy of each source in ../shared/data/lists (OFAC SDN 2024-05 with the 2025-12
alt/add/comments, OFAC non-SDN consolidated, BIS DPL, CSL 2026-07, UN, MOFCOM). nomenklatura
(``pip install -e .[bench]``) scores pairs but has no index of its own (yente uses
Elasticsearch), so for list-level figures it scores the top-20 candidates of exportcheck's index,
on a subset of the negatives; its threshold is yente's default 0.70.

UN recall counts a positive only when the *expected* UN entry is among the hits, not any UN
entry. ``positives_un_untreated.csv`` has no entry id (full_name, first/middle/last name, gender,
date_of_birth, place_of_birth, nationality), so the expected entry is the UN entry carrying that
exact name (folded; else the same words in any order), narrowed by year of birth and
nationality when several entries carry it; rows no UN entry carries are left out and counted.

Screener load: the same lists stored in a temporary SQLite database, ``store.load_screener()``
timed in a new process without its on-disk cache (cold) and then with it (warm).
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
L = DATA / "lists"
LIST_PATHS = [L / "ofac" / "sdn.csv", L / "ofac_2025-12" / "alt.csv",
              L / "ofac_2025-12" / "add.csv", L / "ofac_2025-12" / "sdn_comments.csv",
              L / "ofac_cons", L / "bis" / "dpl.txt",
              L / "csl_2026-07" / "consolidated.csv", L / "un" / "UN_consolidated.xml",
              L / "xyna_registry" / "cn.json"]
NK = L / "matching_tests" / "nomenklatura"
THRESHOLD = 85.0
NK_THRESHOLD = 0.70


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def prf(pred: list[bool], truth: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and t for p, t in zip(pred, truth, strict=True))
    fp = sum(p and not t for p, t in zip(pred, truth, strict=True))
    fn = sum(t and not p for p, t in zip(pred, truth, strict=True))
    acc = sum(p == t for p, t in zip(pred, truth, strict=True)) / len(truth)
    return tp / max(1, tp + fp), tp / max(1, tp + fn), acc


def spearman(a: list[float], b: list[float]) -> float:
    def ranks(x: list[float]) -> list[float]:
        order = sorted(range(len(x)), key=x.__getitem__)
        r = [0.0] * len(x)
        i = 0
        while i < len(x):
            j = i
            while j + 1 < len(x) and x[order[j + 1]] == x[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r
    ra, rb = ranks(a), ranks(b)
    if len(set(ra)) < 2 or len(set(rb)) < 2:
        return float("nan")
    return statistics.correlation(ra, rb)


def checks() -> list[dict]:
    doc = yaml.safe_load((NK / "entity_bench_checks.yml").read_text("utf-8"))
    return [c for c in doc["checks"] if c.get("query", {}).get("name")
            and c.get("candidate", {}).get("name")]


def expected_un(pos: list[dict], un_entries: list) -> list[set[str] | None]:
    """Per positive, the entry_id(s) of the UN entry it was drawn from (None: not found)."""
    from exportcheck.screen.normalize import fold_text
    from exportcheck.screen.service import party_key

    exact: dict[str, set[str]] = {}
    unordered: dict[str, set[str]] = {}
    for e in un_entries:
        for n in e.all_names():
            exact.setdefault(" ".join(fold_text(n).split()), set()).add(e.entry_id)
            unordered.setdefault(party_key(n), set()).add(e.entry_id)
    by_id = {e.entry_id: e for e in un_entries}
    out: list[set[str] | None] = []
    for r in pos:
        ids = (exact.get(" ".join(fold_text(r["full_name"]).split()))
               or unordered.get(party_key(r["full_name"])) or set())
        year, nat = (r.get("date_of_birth") or "")[:4], (r.get("nationality") or "").upper()
        if len(ids) > 1 and year:
            ids = {i for i in ids if any(d[:4] == year for d in by_id[i].dobs)} or ids
        if len(ids) > 1 and nat:
            ids = {i for i in ids if nat in by_id[i].countries} or ids
        out.append(ids or None)
    return out


def recall_expected(expected: list[set[str] | None], hit_ids: list[set[str]]) -> float:
    """Share of identified positives whose expected entry is among the hits."""
    pairs = [(e, h) for e, h in zip(expected, hit_ids, strict=True) if e]
    return sum(bool(e & h) for e, h in pairs) / max(1, len(pairs))


def _first(v):
    return v[0] if isinstance(v, list) else v


# -- exportcheck -------------------------------------------------------------------------------
def ec_pair(q: dict, c: dict, schema: str) -> float:
    from exportcheck.screen.entries import ListEntry
    from exportcheck.screen.evidence import adjust
    from exportcheck.screen.scorer import compare_names

    names_q = q["name"] if isinstance(q["name"], list) else [q["name"]]
    names_c = c["name"] if isinstance(c["name"], list) else [c["name"]]
    score = max(compare_names(a, b) for a in names_q for b in names_c)
    kind = "person" if schema == "Person" else "entity"
    entry = ListEntry(list="X", entry_id="x", name=names_c[0], kind=kind,
                      dobs=[str(d)[:10] for d in (c.get("birthDate") or [])] if isinstance(
                          c.get("birthDate"), list) else ([str(c["birthDate"])[:10]]
                                                          if c.get("birthDate") else []))
    qdob = _first(q.get("birthDate"))
    pts, _ = adjust(entry, dob=str(qdob)[:10] if qdob else None, country=None, kind=None)
    return max(0.0, min(100.0, score + pts))


def run_exportcheck(quick: bool) -> dict:
    import polars as pl

    from exportcheck.screen import Screener
    from exportcheck.screen.batch import screen_table
    from exportcheck.screen.scorer import compare_names

    out: dict = {}
    t = time.perf_counter()
    s = Screener.from_paths(LIST_PATHS)
    out["build"] = time.perf_counter() - t
    out["names"] = len(s.index)
    pos = rows(DATA / "eval" / "yente" / "positives_un_untreated.csv")
    expected = expected_un(pos, [e for e in s.entries if e.list == "UN"])
    out["un_expected"], out["n_pos"] = expected, len(pos)
    out["n_pos_identified"] = sum(e is not None for e in expected)
    out["recall_un"] = recall_expected(expected, [
        {h.entry_id for h in s.screen(r["full_name"], lists=["UN"])} for r in pos])
    neg = pl.read_csv(DATA / "eval" / "yente" / "negatives_us.csv", infer_schema_length=0)
    if quick:
        neg = neg.head(5000)
    # latency: single queries, one process, warm
    names = neg["full_name"].to_list()[:3000]
    for n in names[:200]:
        s.screen(n)
    lat = []
    for n in names:
        t0 = time.perf_counter()
        s.screen(n)
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    out["p50"], out["p99"] = lat[len(lat) // 2], lat[int(len(lat) * 0.99)]
    t = time.perf_counter()
    res = screen_table(neg, "full_name", screener=s, workers=2, chunk=1000)
    out["bulk"] = neg.height / (time.perf_counter() - t)
    out["fp_rate"] = float((res["hit_count"] > 0).mean())
    out["fp_rate_2000"] = float((res.head(2000)["hit_count"] > 0).mean())
    res2 = screen_table(neg, "full_name", screener=s, workers=2, chunk=1000,
                        dob_column="date_of_birth", country_column="nationality")
    out["fp_rate_ev"] = float((res2["hit_count"] > 0).mean())
    out["n_neg"] = neg.height
    cases = rows(NK / "cases.csv")
    truth = [c["is_match"] == "true" for c in cases]
    out["cases_scores"] = [compare_names(c["name1"], c["name2"]) for c in cases]
    out["cases"] = prf([x >= THRESHOLD for x in out["cases_scores"]], truth)
    out["cases_best"] = max(prf([x >= th for x in out["cases_scores"]], truth)[2]
                            for th in range(50, 100))
    ch = checks()
    sc = [ec_pair(c["query"], c["candidate"], c.get("schema", "Person")) for c in ch]
    out["checks"] = prf([x >= THRESHOLD for x in sc], [bool(c["match"]) for c in ch])
    fx = rows(NK / "ofac2021_fixtures.csv")
    out["ofac_rho"] = _rank_agreement(fx, lambda a, b: compare_names(a, b))
    gc.collect()
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["screener"] = s
    return out


def _rank_agreement(fx: list[dict], score) -> float:
    by_q: dict[str, list[tuple[float, float]]] = {}
    for r in fx:
        by_q.setdefault(r["query_name"], []).append((float(r["ofac_score"]),
                                                     score(r["query_name"], r["result_name"])))
    rhos = [spearman([a for a, _ in v], [b for _, b in v]) for v in by_q.values() if len(v) > 2]
    rhos = [r for r in rhos if r == r]
    return sum(rhos) / len(rhos)


_LOAD_LISTS = """
import sys
from exportcheck.screen import store
store.load_lists(sys.argv[1:])
"""
_LOAD_SCREENER = """
import time
t0 = time.perf_counter()
from exportcheck.screen import store
t1 = time.perf_counter()
s = store.load_screener()
print(time.perf_counter() - t1, t1 - t0, len(s.index))
"""


def run_load_times() -> dict:
    """``store.load_screener()`` in a fresh process, as ``exportcheck screen`` runs it, on the
    same lists stored in a temporary SQLite database: cold (no cache: read the list rows, build
    the index, write the cache) then warm (restore from the cache). Seconds, without the
    imports (timed apart). Each step is a child process: the peak memory above is unaffected."""
    import subprocess
    import tempfile

    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="exportcheck-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "EXPORTCHECK_DATABASE_URL"}
        env["EXPORTCHECK_DATA_DIR"] = tmp
        subprocess.run([sys.executable, "-c", _LOAD_LISTS, *map(str, LIST_PATHS)], env=env,
                       check=True, capture_output=True)
        for step in ("cold", "warm"):
            r = subprocess.run([sys.executable, "-c", _LOAD_SCREENER], env=env, check=True,
                               capture_output=True, text=True)
            secs, imports, _ = r.stdout.split()
            out[step], out["imports"] = float(secs), float(imports)
        out["cache_mb"] = sum(p.stat().st_size for p in Path(tmp, "cache").glob("*.bin")) / 1e6
    return out


# -- nomenklatura --------------------------------------------------------------------------------
def run_nomenklatura(ec: dict, quick: bool) -> dict | None:
    try:
        from followthemoney import model
        from nomenklatura.matching import DefaultAlgorithm, ScoringConfig
    except ImportError as exc:
        print(f"nomenklatura not installed ({exc}); pip install -e .[bench]", file=sys.stderr)
        return None
    cfg = ScoringConfig.defaults()
    out: dict = {"algo": DefaultAlgorithm.NAME}
    cache: dict = {}

    def ent(schema: str, props: dict, eid: str):
        e = model.make_entity(schema if model.get(schema) else "LegalEntity")
        e.id = eid
        for k, v in props.items():
            if model.get(e.schema.name).get(k) is None:
                continue
            for x in v if isinstance(v, list) else [v]:
                e.add(k, str(x), quiet=True)
        return e

    def pair(a: str, b: str, schema: str = "Person") -> float:
        key = (a, b, schema)
        if key not in cache:
            cache[key] = DefaultAlgorithm.compare(ent(schema, {"name": a}, "q"),
                                                  ent(schema, {"name": b}, "c"), cfg).score
        return cache[key]

    cases = rows(NK / "cases.csv")
    truth = [c["is_match"] == "true" for c in cases]
    t = time.perf_counter()
    sc = [pair(c["name1"], c["name2"], c["schema"]) for c in cases]
    out["pair_rate"] = len(cases) / (time.perf_counter() - t)
    out["cases"] = prf([x >= NK_THRESHOLD for x in sc], truth)
    out["cases_best"] = max(prf([x >= th / 100 for x in sc], truth)[2] for th in range(30, 100))
    ch = checks()
    sc2 = [DefaultAlgorithm.compare(ent(c.get("schema", "Person"), c["query"], "q"),
                                    ent(c.get("schema", "Person"), c["candidate"], "c"), cfg).score
           for c in ch]
    out["checks"] = prf([x >= NK_THRESHOLD for x in sc2], [bool(c["match"]) for c in ch])
    out["ofac_rho"] = _rank_agreement(rows(NK / "ofac2021_fixtures.csv"), pair)
    # list-level: nomenklatura scores the top-20 candidates from exportcheck's index
    s = ec["screener"]

    def screen_nk(name: str, lists: set[str] | None, first_only: bool = False) -> set[str]:
        """entry_ids nomenklatura scores >= its threshold among the top-20 candidates."""
        from exportcheck.screen.normalize import name_forms

        forms = name_forms(name)
        cands = s.index.candidates(forms, limit=20, min_share=0.2,
                                   lists=frozenset(lists) if lists else None)
        q = ent("Person", {"name": name}, "q")
        found: set[str] = set()
        for ni in cands[:20]:
            iname = s.index.names[ni]
            entry = s.entries[iname.entry]
            if entry.entry_id in found or (lists and entry.list not in lists):
                continue
            c = ent("Person" if entry.kind == "person" else "LegalEntity",
                    {"name": entry.all_names()[:10]}, "c")
            if DefaultAlgorithm.compare(q, c, cfg).score >= NK_THRESHOLD:
                found.add(entry.entry_id)
                if first_only:
                    break
        return found

    pos = rows(DATA / "eval" / "yente" / "positives_un_untreated.csv")
    out["recall_un"] = recall_expected(ec["un_expected"],
                                       [screen_nk(r["full_name"], {"UN"}) for r in pos])
    neg = rows(DATA / "eval" / "yente" / "negatives_us.csv")[: 500 if quick else 2000]
    t = time.perf_counter()
    fps = sum(bool(screen_nk(r["full_name"], None, first_only=True)) for r in neg)
    out["names_s"] = len(neg) / (time.perf_counter() - t)
    out["fp_rate"] = fps / len(neg)
    out["n_neg"] = len(neg)
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="5,000 negatives instead of 50,000")
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} not found: the benchmark needs the shared data folder")
    ec = run_exportcheck(args.quick)
    nk = run_nomenklatura(ec, args.quick)
    load = run_load_times()
    from rich.console import Console
    from rich.table import Table

    def f(x, fmt="{:.3f}"):
        return "-" if x is None else fmt.format(x)

    t = Table(title=f"Restricted-party screening benchmark ({os.cpu_count()} cores)")
    t.add_column("metric")
    t.add_column("target")
    t.add_column("exportcheck")
    n = nk or {}
    t.add_column(f"nomenklatura {nk['algo']}: scores the top-20 candidates of exportcheck's "
                 f"index; negatives = first {n['n_neg']:,} rows" if nk
                 else "nomenklatura (not installed)")
    t.add_row(f"recall, UN positives vs UN list: expected entry hit ({ec['n_pos_identified']} "
              f"of {ec['n_pos']} rows identified)", ">= 0.99", f(ec["recall_un"]),
              f(n.get("recall_un")))
    t.add_row(f"false-positive rate, negatives (exportcheck {ec['n_neg']:,}, nk "
              f"{n.get('n_neg', 0):,}) vs all lists, name only", "<= 0.005",
              f(ec["fp_rate"], "{:.4f}"), f(n.get("fp_rate"), "{:.4f}"))
    t.add_row("  same, first 2,000 negatives only (nk's sample)", "",
              f(ec["fp_rate_2000"], "{:.4f}"), f(n.get("fp_rate"), "{:.4f}"))
    t.add_row("  same, with date of birth + nationality", "", f(ec["fp_rate_ev"], "{:.4f}"), "-")
    for key, label in (("cases", "cases.csv (826 pairs)"), ("checks", "entity_bench_checks.yml")):
        for i, m in enumerate(("precision", "recall", "accuracy")):
            t.add_row(f"{label} {m} @ default threshold", "> nk" if i == 2 and key == "cases"
                      else "", f(ec[key][i]), f(n.get(key, (None,) * 3)[i]))
    t.add_row("cases.csv accuracy @ best threshold", "", f(ec["cases_best"]),
              f(n.get("cases_best")))
    t.add_row("rank agreement with OFAC tool (mean Spearman)", "", f(ec["ofac_rho"]),
              f(n.get("ofac_rho")))
    t.add_row("bulk names/s, 2 processes, all lists", ">= 2000", f(ec["bulk"], "{:,.0f}"),
              f(n.get("names_s"), "{:,.0f}") + (" (1 proc)" if nk else ""))
    t.add_row("single query p50 / p99 (ms)", "<= 2 / <= 10",
              f"{ec['p50']:.2f} / {ec['p99']:.2f}", "-")
    t.add_row("pairs scored per second (1 proc)", "", "-", f(n.get("pair_rate"), "{:,.0f}"))
    t.add_row(f"index build (s), {ec['names']:,} name forms", "<= 10", f(ec["build"], "{:.2f}"),
              "n/a (external index)")
    t.add_row("screener load from the database, new process (s): cold = index build + "
              "cache write", "", f(load["cold"], "{:.2f}"), "n/a")
    t.add_row(f"  same, warm cache ({load['cache_mb']:.0f} MB file in <data_dir>/cache; "
              f"imports {load['imports']:.2f} s more)", "< 1", f(load["warm"], "{:.2f}"), "n/a")
    t.add_row("peak memory (MB, RSS)", "<= 1024", f(ec["rss_mb"], "{:.0f}"),
              f(n.get("rss_mb"), "{:.0f}") + (" (cumulative)" if nk else ""))
    Console(width=140).print(t)


if __name__ == "__main__":
    main()
