"""Screening benchmark: exportcheck before and after, side by side with nomenklatura, one table.

    scripts/bench-setup        # once; or by hand, on Debian:
    # apt-get install -y libicu-dev pkg-config && .venv/bin/pip install -e '.[dev,bench]'
    .venv/bin/python benchmarks/screening.py [--quick] [--before REV | --no-before]

nomenklatura (the ``bench`` extra) needs PyICU, which pip compiles against the system ICU: hence
the apt packages. Without nomenklatura its column shows "-".

``--quick``: 5,000 negatives and 500 company names instead of 50,000 and 2,500 (about 3 min on
2 cores with the before column; the full run about 7). ``--before REV`` (default 43e72e1, main
before the issue #11 work) is checked out in a temporary ``git worktree`` (detached, removed
afterwards) and measured by ``benchmarks/screening_ec.py`` in a child process with
``PYTHONPATH`` on its ``src``; the working tree is measured by the same code in this process,
so the two columns differ only in the code under test. A figure a revision cannot produce shows "-".

Lists: the newest copy of each source in ../shared/data/lists (OFAC SDN 2024-05 with the 2025-12
alt/add/comments, OFAC non-SDN consolidated, BIS DPL, CSL 2026-07, UN, MOFCOM). nomenklatura
scores pairs but has no index of its own (yente uses Elasticsearch), so for list-level figures
it scores the working tree's 20 best candidates, on a subset of the negatives, at yente's
default threshold 0.70 (``benchmarks/screening_nk.py``).

UN recall counts a positive only when the *expected* UN entry is among the hits, not any UN
entry: ``positives_un_untreated.csv`` has no entry id, so the expected entry is the UN entry
carrying that name (folded; else the same words in any order), narrowed by year of birth and
nationality; rows no UN entry carries are left out and counted. Negatives raising a hit are
split into exact name collisions (the query is a listed alias word for word, in any order:
unavoidable on a name-only screen), partial-name matches (every word of one name within the
other, longer one) and the rest, whose examples are printed below the table. Company names:
``benchmarks/company_names.py`` (Faker, fixed seed, ~10% Chinese script); a name that is
really on a list is dropped from the set and counted. Ordinary people's names in other scripts
(Persian, Arabic, Hebrew, Cyrillic, Hangul, Han ...): ``benchmarks/script_negatives.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from gitrev import worktree
from screening_ec import DATA, ROOT, label_disagreements, log, measure, nk_sample
from screening_nk import run_nomenklatura

BEFORE = "43e72e1"



def measure_before(rev: str, quick: bool) -> dict | None:
    """The exportcheck figures of ``rev``: ``screening_ec.py --json`` in a child process with
    the same interpreter, importing exportcheck from a worktree of ``rev`` (None, and the
    reason on stderr, when that fails: the other columns are still worth printing)."""
    with worktree(rev) as tree:
        env = dict(os.environ, PYTHONPATH=str(tree / "src"))
        cmd = [sys.executable, str(Path(__file__).with_name("screening_ec.py")), "--json"]
        r = subprocess.run(cmd + (["--quick"] if quick else []), env=env, cwd=tree,
                           stdout=subprocess.PIPE, text=True)
        lines = r.stdout.strip().splitlines()
        if r.returncode or not lines:
            print(f"measuring {rev} failed (exit {r.returncode}): before column left empty",
                  file=sys.stderr)
            return None
        out = json.loads(lines[-1])
        if Path(out["src"]) != (tree / "src").resolve():
            raise SystemExit(f"{rev}: exportcheck was imported from {out['src']}, not the "
                             "worktree")
        return out


def short_rev(rev: str) -> str:
    r = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", rev],
                       capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"unknown revision {rev!r}")
    return r.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="5,000 negatives and 500 company names instead of 50,000 and 2,500")
    ap.add_argument("--before", default=BEFORE, metavar="REV",
                    help=f"revision for the 'before' column (default {BEFORE})")
    ap.add_argument("--no-before", action="store_true", help="skip the 'before' column")
    ap.add_argument("--nk-algorithm", default=None, metavar="NAME",
                    help="nomenklatura algorithm (default: its DefaultAlgorithm)")
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} not found: the benchmark needs the shared data folder")
    before, rev = None, None
    if not args.no_before:
        rev = short_rev(args.before)
        log(f"before: {rev} in a temporary worktree")
        before = measure_before(rev, args.quick)
    log("after: the working tree")
    after, screener = measure(args.quick)
    nk = run_nomenklatura(screener, after, args.quick, args.nk_algorithm)
    print_report(before, after, nk, rev)


# -- the report -------------------------------------------------------------------------------
def _get(d: dict | None, path: str):
    for key in path.split("."):
        if not isinstance(d, dict) or d.get(key) is None:
            return None
        d = d[key]
    return d


def _fmt(x, fmt: str = "{:.3f}") -> str:
    return "-" if x is None else fmt.format(x)


def _num(x) -> str:
    """A figure of unknown kind: shares to 3 places, counts and whole numbers as they are."""
    if isinstance(x, float) and not x.is_integer():
        return f"{x:.3f}"
    return _fmt(x, "{:g}" if isinstance(x, float) else "{}")


def _share(d: dict | None, kind: str) -> str:
    kinds, n = _get(d, "fp_kinds"), _get(d, "n_neg")
    if kinds is None or not n:
        return "-"
    return f"{kinds.get(kind, 0)} ({kinds.get(kind, 0) / n:.4f})"


def _top(d: dict | None, key: str) -> str:
    if _get(d, f"cases.{key}") is None:
        return "-"
    tops = "\n".join(f"  {cat[:28]}: {k}" for cat, k in d["cases"][f"{key}_top"])
    return f"{d['cases'][key]}\n{tops}" if tops else str(d["cases"][key])


def _company(d: dict | None) -> str:
    c = _get(d, "company")
    return "-" if c is None else f"{c['rate']:.4f} ({c['false_hits']} of {c['n']:,})"


def _pair(d: dict | None, a: str, b: str, fmt: str) -> str:
    x, y = _get(d, a), _get(d, b)
    return "-" if x is None or y is None else f"{fmt.format(x)} / {fmt.format(y)}"


def report_rows(b: dict | None, a: dict, n: dict | None) -> list[tuple[str, str, list[str]]]:
    """``(metric, target, [before, after, nomenklatura])`` for every row of the table."""
    cols = (b, a, n)
    out: list[tuple[str, str, list[str]]] = []

    def row(label: str, target: str, fn, nk: bool = True) -> None:
        out.append((label, target, [fn(d) if (nk or d is not n) else "-" for d in cols]))

    def num(label: str, target: str, key: str, fmt: str = "{:.3f}", nk: bool = True) -> None:
        row(label, target, lambda d: _fmt(_get(d, key), fmt), nk)

    num(f"recall, UN positives vs UN list: expected entry hit ({a['n_pos_identified']} of "
        f"{a['n_pos']} rows identified)", ">= 0.99", "recall_un")
    num(f"false-positive rate, negatives ({a['n_neg']:,}; nk: first {_get(n, 'n_neg') or 0:,})"
        " vs all lists, name only", "<= 0.001", "fp_rate", "{:.4f}")
    row("  of which exact name collisions (a listed alias word for word, any order)", "",
        lambda d: _share(d, "exact"), nk=False)
    row("  of which partial-name matches (one name's words all in the other)", "",
        lambda d: _share(d, "partial"), nk=False)
    row("  of which the rest (spelling, transliteration, fuzzy)", "",
        lambda d: _share(d, "other"), nk=False)
    num("  rate without the exact collisions", "", "fp_rate_no_exact", "{:.4f}", nk=False)
    row(f"  same, first {nk_sample(a['n_neg'] < 50000):,} negatives only (nk's sample)", "",
        lambda d: _fmt(_get(d, "fp_rate" if d is n else "fp_rate_nk_sample"), "{:.4f}"))
    num("  same, with date of birth + nationality", "", "fp_rate_ev", "{:.4f}", nk=False)
    num("  same, through `exportcheck screen-batch` (cross-check)", "", "cli_fp_rate",
        "{:.4f}", nk=False)
    row("  top hit's match_kind", "", lambda d: "-" if not _get(d, "match_kinds") else ", ".join(
        f"{k} {v}" for k, v in sorted(d["match_kinds"].items())), nk=False)
    c = _get(a, "company") or {}
    row(f"company-name false hits, all lists, name only ({c.get('n', 0):,} Faker names; "
        f"{len(c.get('dropped', []))} really listed left out)", "<= 0.0025", _company)
    row("  of which the same words as the listed name, legal form aside", "",
        lambda d: _fmt(_get(d, "company.legal_only"), "{}"))
    row("  of which Chinese script", "", lambda d: "-" if _get(d, "company") is None else
        f"{d['company']['han_false']} of {d['company']['han_n']}")
    num("company-name alerts, screened with the name's country (as a determination screens its "
        "end user; really listed names included)", "", "company_cc", "{:.4f}", nk=False)
    for loc in (_get(a, "script_fp") or {}):
        row(f"ordinary names in other scripts, Faker {loc}: alerts (exact collisions) of "
            f"{a['script_fp'][loc][2]:,}", "", lambda d, loc=loc: "-" if not (
                _get(d, "script_fp") or {}).get(loc) else
            "{} ({})".format(*d["script_fp"][loc][:2]), nk=False)
    row(f"HK officials by Han name, name only: SDN entry found (of {a['hk_n']})", "",
        lambda d: _fmt(_get(d, "hk_found"), "{}"), nk=False)
    for i, m in enumerate(("precision", "recall", "accuracy")):
        row(f"cases.csv (826 pairs) {m} @ default threshold", ">= 0.90" if i == 2 else "",
            lambda d, i=i: _fmt((_get(d, "cases.prf") or [None] * 3)[i]))
    num("cases.csv accuracy @ best threshold", "", "cases.best")
    row("cases.csv accuracy @ default threshold, by the file's own grading of its labels", "",
        lambda d: "\n".join(f"{q}: {a:.3f} of {n}" for q, (a, n) in (
            _get(d, "cases.by_quality") or {}).items()) or "-")
    row("cases.csv false positives, by category (top 5)", "", lambda d: _top(d, "fp"))
    row("cases.csv false negatives, by category (top 5)", "", lambda d: _top(d, "fn"))
    num("cases.csv false negatives that are partial-name or nickname matches (held below the "
        "threshold without other evidence)", "", "cases.fn_capped", "{}", nk=False)
    num("cases.csv accuracy @ default threshold, those pairs left out (their labels ask for "
        "what #11 item 1 forbids on names alone)", "", "cases.acc_not_capped", nk=False)
    for i, m in enumerate(("precision", "recall", "accuracy")):
        row(f"entity_bench_checks.yml {m} @ default threshold", "",
            lambda d, i=i: _fmt((_get(d, "checks") or [None] * 3)[i]))
    num("rank agreement with OFAC tool (mean Spearman)", "", "ofac_rho")
    for group, label in (("han", "Han company names (screening_han)"),
                         ("persian", "Persian org names (screening_persian), found share "
                                     "(negative: hit share)"),
                         ("scripts", "original-script recall, UN, Latin-only copy"),
                         ("evasion", "recall of 400 listed names written to evade "
                                     "(screening_evasion)")):
        keys = {*(_get(b, group) or {}), *(_get(a, group) or {})}
        for key in sorted(k for k in keys if any((_get(d, group) or {}).get(k) is not None
                                                  for d in (b, a))):
            target = ">= 0.90" if group == "scripts" and key in ("arabic", "cyrillic") else ""
            row(f"{label}: {key}", target,
                lambda d, g=group, k=key: _num((_get(d, g) or {}).get(k)), nk=False)
    num(f"screen-batch CLI names/s, whole command, 2 workers, warm cache ({a['n_neg']:,})",
        ">= 5000", "cli_rate", "{:,.0f}", nk=False)
    row("screen_table names/s in-process, 2 processes (nk: 1 process, top-20 scoring)",
        ">= 2000", lambda d: _fmt(_get(d, "names_s" if d is n else "bulk"), "{:,.0f}"))
    row("single query p50 / p99 (ms)", "<= 1 / <= 10",
        lambda d: _pair(d, "p50", "p99", "{:.2f}"), nk=False)
    num("pairs scored per second (1 process)", "", "pair_rate", "{:,.0f}")
    row("first Han-script query, fresh process after a warm load: s / extra RSS MB",
        "<< 2 / << 450", lambda d: _pair(d, "han_first_s", "han_first_mb", "{:.2f}"),
        nk=False)
    num("index build from the list files (s)", "<= 10", "build", "{:.2f}", nk=False)
    num("`exportcheck lists load`, all lists, new SQLite database (s)", "", "lists_load",
        "{:.1f}", nk=False)
    num("screener load from the database, new process, cold: index build + cache write (s)",
        "", "cold", "{:.2f}", nk=False)
    row("  same, warm cache (s; cache file MB; imports s more)", "< 1", lambda d: "-"
        if _get(d, "warm") is None else
        f"{d['warm']:.2f} ({d['cache_mb']:.0f} MB; {d['imports']:.2f})", nk=False)
    num("  RSS after the warm load (MB)", "", "load_rss_mb", "{:.0f}", nk=False)
    num("peak memory of the measuring process (MB, RSS)", "<= 1024", "rss_mb", "{:.0f}")
    return out


def print_report(b: dict | None, a: dict, n: dict | None, rev: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"Restricted-party screening benchmark ({os.cpu_count()} cores)")
    t.add_column("metric", max_width=72)
    t.add_column("target")
    t.add_column(f"before ({rev})" if rev else "before (skipped)")
    t.add_column("after (working tree)")
    t.add_column(f"nomenklatura {n['algo']} (top-20 candidates)" if n
                 else "nomenklatura (not installed)", max_width=34)
    for label, target, cells in report_rows(b, a, n):
        t.add_row(label, target, *cells)
    console = Console(width=160)
    console.print(t)
    both_ways, otherwise, found = label_disagreements()
    print(f"\ncases.csv labels: {both_ways} pairs labelled both ways; {otherwise} of the {found} "
          f"nk_checks pairs also in nomenklatura's checks.yml labelled otherwise there")
    for name, d in (("before", b), ("after", a)):
        if _get(d, "fp_residue"):
            print(f"\nNegatives with a hit that is neither an exact nor a partial name match "
                  f"({name}, up to 10):")
            for q, m, score, lst in d["fp_residue"]:
                print(f"  {q} -> {m} ({score:g}, {lst})")
    for name, d in (("before", b), ("after", a), ("nomenklatura", n)):
        if _get(d, "company.examples"):
            print(f"\nCompany-name false hits ({name}, up to 25):")
            for loc, q, m, score, lst in d["company"]["examples"]:
                print(f"  [{loc}] {q} -> {m} ({score:g}, {lst})")
    for name, d in (("before", b), ("after", a)):
        for err in _get(d, "errors") or ():
            print(f"{name}: could not compute: {err}", file=sys.stderr)


if __name__ == "__main__":
    main()
