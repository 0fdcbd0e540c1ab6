"""exportcheck's side of the screening benchmark, through public API only.

    PYTHONPATH=<tree>/src .venv/bin/python benchmarks/screening_ec.py --json [--quick]

Measures whichever exportcheck is importable, so ``benchmarks/screening.py`` runs this same code
for the working tree (in its own process) and for an older revision (this script in a child
process, ``PYTHONPATH`` on a ``git worktree`` of it): before and after differ only in the code
under test. Hence only API present in both: ``Screener.from_paths`` / ``from_database``,
``Screener.screen``, ``batch.screen_table``, ``scorer.compare_names``, the ``ScreeningHit``
fields and the CLI. Labels (the UN entry a positive was drawn from, name collisions) are
computed here from the list files, never with the code under test.
"""

from __future__ import annotations

import csv
import importlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
L = DATA / "lists"
LIST_PATHS = [L / "ofac" / "sdn.csv", L / "ofac_2025-12" / "alt.csv",
              L / "ofac_2025-12" / "add.csv", L / "ofac_2025-12" / "sdn_comments.csv",
              L / "ofac_cons", L / "bis" / "dpl.txt",
              L / "csl_2026-07" / "consolidated.csv", L / "un" / "UN_consolidated.xml",
              L / "xyna_registry" / "cn.json"]
UN_XML = L / "un" / "UN_consolidated.xml"
NK = L / "matching_tests" / "nomenklatura"
POSITIVES = DATA / "eval" / "yente" / "positives_un_untreated.csv"
NEGATIVES = DATA / "eval" / "yente" / "negatives_us.csv"
#: Hong Kong officials under EO 13936 (SDN): their names in Han script, hand-labelled with the
#: SDN entry; the list itself prints only romanisations (Cantonese for the HK civil servants,
#: pinyin for the mainland ones), so finding them tests cross-script matching end to end.
HK_OFFICIALS = (
    ("鄧炳強", "29242"), ("鄭若驊", "29243"), ("盧偉聰", "29244"), ("曾國衞", "29246"),
    ("林鄭月娥", "29249"), ("李家超", "29250"), ("張曉明", "29259"), ("陳國基", "29260"),
    ("鄭雁雄", "29261"), ("夏寶龍", "29262"), ("駱惠寧", "29263"), ("劉賜蕙", "30322"),
    ("李桂華", "30343"), ("鄧中華", "30344"), ("李江舟", "30345"),
)
_CLI = "from exportcheck.cli.app import main; main()"
_LOAD = """
import resource, time
t0 = time.perf_counter()
from exportcheck.screen import Screener
t1 = time.perf_counter()
s = Screener.from_database()
t2 = time.perf_counter()
with open("/proc/self/statm") as fh:
    rss = int(fh.read().split()[1]) * resource.getpagesize() / 1e6
print(t2 - t1, t1 - t0, rss)
"""
_HAN_FIRST = """
import resource, time
from exportcheck.screen import Screener

def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 1e6

s = Screener.from_database()
s.screen("John Smith")
r0, t0 = rss(), time.perf_counter()
s.screen("李家超")
print(time.perf_counter() - t0, rss() - r0)
"""


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- data and labels (independent of the code under test) -----------------------------------
def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def fold_words(name: str) -> list[str]:
    """Lower-case words without accents or punctuation ("LAM, Carrie" -> ["lam", "carrie"])."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\W_]+", " ", text).split()


def name_relation(query: str, listed: str) -> str:
    """"exact": the same words in any order; "partial": every word of one name is in the
    other, longer one; "other": anything else (spelling, transliteration, fuzzy)."""
    q, m = Counter(fold_words(query)), Counter(fold_words(listed))
    if q == m:
        return "exact"
    if not q - m or not m - q:
        return "partial"
    return "other"


#: legal-form words, set aside by :func:`same_company_words` (folded, dots removed)
_LEGAL = """ltd limited inc incorporated llc llp lp plc corp corporation co company ag gmbh mbh
kg kgaa ohg ev gbr ug nv bv vof sa sas sarl srl spa sl slu scoop pvt private pte jsc ojsc cjsc
pjsc oao zao ooo"""
LEGAL_FORMS = frozenset(_LEGAL.split())


def same_company_words(query: str, listed: str) -> bool:
    """The same words in any order once legal forms are set aside ("Martin Ltd" = "MARTIN")."""
    def words(name: str) -> Counter[str]:
        return Counter(w for w in fold_words(name.replace(".", "")) if w not in LEGAL_FORMS)
    q = words(query)
    return bool(q) and q == words(listed)


def checks() -> list[dict]:
    import yaml

    doc = yaml.safe_load((NK / "entity_bench_checks.yml").read_text("utf-8"))
    return [c for c in doc["checks"] if c.get("query", {}).get("name")
            and c.get("candidate", {}).get("name")]


def label_disagreements() -> tuple[int, int, int]:
    """What the labels of cases.csv say of themselves: pairs labelled both ways, and pairs of
    its ``nk_checks`` group labelled otherwise than in nomenklatura's own checks.yml (of those
    found in both). Each is an error any matcher makes on one of the two files."""
    cases = rows(NK / "cases.csv")
    labels: dict[frozenset, set[str]] = {}
    for c in cases:
        key = frozenset((c["name1"].strip().casefold(), c["name2"].strip().casefold()))
        labels.setdefault(key, set()).add(c["is_match"])
    checked = {(a, b): bool(c["match"]) for c in checks()
               for a in as_list(c["query"]["name"]) for b in as_list(c["candidate"]["name"])}
    nk = [(c["is_match"] == "true", checked.get((c["name1"], c["name2"]))) for c in cases
          if c["case_group"] == "nk_checks"]
    both = [(a, b) for a, b in nk if b is not None]
    return (sum(len(v) > 1 for v in labels.values()), sum(a != b for a, b in both), len(both))


def as_list(v) -> list[str]:
    return [str(x) for x in v] if isinstance(v, list) else [str(v)]


def prf(pred: list[bool], truth: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and t for p, t in zip(pred, truth, strict=True))
    fp = sum(p and not t for p, t in zip(pred, truth, strict=True))
    fn = sum(t and not p for p, t in zip(pred, truth, strict=True))
    acc = sum(p == t for p, t in zip(pred, truth, strict=True)) / len(truth)
    return tp / max(1, tp + fp), tp / max(1, tp + fn), acc


def cases_figures(cases: list[dict], scores: list[float], threshold: float,
                  grid: range, scale: float) -> dict:
    """cases.csv precision/recall/accuracy at ``threshold``, the best accuracy over ``grid``
    (divided by ``scale``), and the errors counted by the ``category`` column."""
    truth = [c["is_match"] == "true" for c in cases]
    pred = [x >= threshold for x in scores]

    def cat(c: dict) -> str:
        return c["category"] or f"({c['case_group']})"

    fps = Counter(cat(c) for c, p, t in zip(cases, pred, truth, strict=True) if p and not t)
    fns = Counter(cat(c) for c, p, t in zip(cases, pred, truth, strict=True) if t and not p)
    # the file grades its own labels (STRONG / MEDIUM / WEAK): accuracy on each grade
    pairs, right = Counter(c["quality"] for c in cases), Counter(
        c["quality"] for c, p, t in zip(cases, pred, truth, strict=True) if p == t)
    return {"prf": prf(pred, truth),
            "by_quality": {q: (right[q] / n, n) for q, n in sorted(pairs.items())},
            "best": max(prf([x >= th / scale for x in scores], truth)[2] for th in grid),
            "fp": sum(fps.values()), "fp_top": fps.most_common(5),
            "fn": sum(fns.values()), "fn_top": fns.most_common(5)}


def capped_misses(cases: list[dict], threshold: float) -> int | None:
    """How many of cases.csv's missed matches are partial-name or nickname matches, which the
    scorer keeps below the threshold by design unless other evidence (a date of birth, a
    country) agrees: cases.csv pairs carry names only. None where the revision has no kinds."""
    try:
        from exportcheck.screen.normalize import name_forms
        from exportcheck.screen.scorer import compare_forms
    except ImportError:
        return None
    n = 0
    for c in cases:
        if c["is_match"] != "true":
            continue
        best = max((compare_forms(a, b) for a in name_forms(c["name1"])
                    for b in name_forms(c["name2"])), key=lambda m: m.score, default=None)
        if best is None or not hasattr(best, "kind"):
            return None
        n += best.score < threshold and best.kind in ("partial", "nickname")
    return n


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


def rank_agreement(score) -> float:
    """Mean Spearman correlation with the OFAC search tool's scores, per query."""
    by_q: dict[str, list[tuple[float, float]]] = {}
    for r in rows(NK / "ofac2021_fixtures.csv"):
        by_q.setdefault(r["query_name"], []).append((float(r["ofac_score"]),
                                                     score(r["query_name"], r["result_name"])))
    rhos = [spearman([a for a, _ in v], [b for _, b in v]) for v in by_q.values() if len(v) > 2]
    rhos = [r for r in rhos if r == r]
    return sum(rhos) / len(rhos)


@cache
def _iso2(country: str) -> str:
    import pycountry

    try:
        return pycountry.countries.lookup(country.strip()).alpha_2
    except LookupError:
        try:
            return pycountry.countries.search_fuzzy(country.strip())[0].alpha_2
        except LookupError:
            return ""


def un_entries() -> list[dict]:
    """The UN XML read directly: id (as exportcheck keys it), every name, birth years and
    nationalities."""
    def text(el, tag: str) -> str:
        child = el.find(tag)
        return (child.text or "").strip() if child is not None else ""

    root = ET.parse(UN_XML).getroot()
    out = []
    for path, alias in (("INDIVIDUALS/INDIVIDUAL", "INDIVIDUAL_ALIAS"),
                        ("ENTITIES/ENTITY", "ENTITY_ALIAS")):
        for el in root.findall(path):
            name = " ".join(p for p in (text(el, t) for t in (
                "FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")) if p)
            names = [name] + [text(a, "ALIAS_NAME") for a in el.findall(alias)]
            years = set()
            for d in el.findall("INDIVIDUAL_DATE_OF_BIRTH"):
                if v := text(d, "DATE") or text(d, "YEAR"):
                    years.add(v[:4])
                elif (a := text(d, "FROM_YEAR")).isdigit() and (b := text(d, "TO_YEAR")).isdigit():
                    years.update(str(y) for y in range(int(a), int(b) + 1))
            nats = {_iso2(v.text) for v in el.findall("NATIONALITY/VALUE") if v.text}
            out.append({"id": text(el, "REFERENCE_NUMBER") or text(el, "DATAID"),
                        "names": [n for n in names if n], "years": years, "nats": nats})
    return out


def expected_un(pos: list[dict]) -> list[set[str] | None]:
    """Per positive, the id(s) of the UN entry it was drawn from (None: no entry carries the
    name): the same words in the same order, else in any order; several entries narrowed by
    birth year, then by nationality."""
    entries = un_entries()
    exact: dict[str, set[str]] = {}
    unordered: dict[str, set[str]] = {}
    for e in entries:
        for n in e["names"]:
            words = fold_words(n)
            exact.setdefault(" ".join(words), set()).add(e["id"])
            unordered.setdefault(" ".join(sorted(words)), set()).add(e["id"])
    by_id = {e["id"]: e for e in entries}
    out: list[set[str] | None] = []
    for r in pos:
        words = fold_words(r["full_name"])
        ids = exact.get(" ".join(words)) or unordered.get(" ".join(sorted(words))) or set()
        year, nat = (r.get("date_of_birth") or "")[:4], (r.get("nationality") or "").upper()
        if len(ids) > 1 and year:
            ids = {i for i in ids if year in by_id[i]["years"]} or ids
        if len(ids) > 1 and nat:
            ids = {i for i in ids if nat in by_id[i]["nats"]} or ids
        out.append(ids or None)
    return out


def recall_expected(expected: list[set[str] | None], hit_ids: list[set[str]]) -> float:
    """Share of identified positives whose expected entry is among the hits."""
    pairs = [(e, h) for e, h in zip(expected, hit_ids, strict=True) if e]
    return sum(bool(e & h) for e, h in pairs) / max(1, len(pairs))


def nk_sample(quick: bool) -> int:
    """How many of the negatives nomenklatura screens (it is ~20x slower)."""
    return 500 if quick else 2000


def company_set(quick: bool) -> list[tuple[str, str]]:
    from company_names import company_names

    return company_names(500 if quick else 2500)


def company_figures(names: list[tuple[str, str]], screen) -> dict:
    """False hits on ordinary company names: ``screen(name)`` returns hits as
    ``(list, entry_id, matched_name, score)``; a name equal to a listed name (word for word)
    is really on a list: dropped from the set, and counted. ``legal_only`` counts the false
    hits on a listed name with the same words but another legal form ("Martin Ltd": "Martin")."""
    dropped, false_hits, han, legal_only = [], [], 0, 0
    for loc, name in names:
        hits = screen(name)
        if any(name_relation(name, h[2]) == "exact" for h in hits):
            dropped.append(name)
            continue
        han += loc.startswith("zh")
        if hits:
            best = max(hits, key=lambda h: h[3])
            false_hits.append((loc, name, best[2], round(best[3], 2), best[0]))
            legal_only += any(same_company_words(name, h[2]) for h in hits)
    kept = len(names) - len(dropped)
    return {"n": kept, "dropped": dropped, "false_hits": len(false_hits),
            "legal_only": legal_only,
            "rate": len(false_hits) / max(1, kept),
            "han_false": sum(loc.startswith("zh") for loc, *_ in false_hits),
            "han_n": han,
            "examples": false_hits[:25]}


# -- the measures ---------------------------------------------------------------------------
def default_threshold() -> float:
    try:
        from exportcheck.settings import get_settings

        return float(get_settings().screening_threshold)
    except Exception:  # not a setting in that revision: the documented default
        return 85.0


def cli_figures(tmp: Path, neg_names: list[str]) -> dict:
    """The lists stored in a temporary SQLite data dir through the CLI, then, each in a new
    process: screener load without its on-disk index cache (cold) and with it (warm), the
    first Han-script query, and ``exportcheck screen-batch`` over the negatives, timed whole
    (interpreter start, imports, warm load, 2 workers, output written)."""
    env = {k: v for k, v in os.environ.items() if k != "EXPORTCHECK_DATABASE_URL"}
    env["EXPORTCHECK_DATA_DIR"] = str(tmp)
    py = sys.executable
    out: dict = {}

    def run(*args: str) -> str:
        r = subprocess.run([py, *args], env=env, capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError(f"{args[:3]} failed: {r.stderr.strip()[-500:]}")
        return r.stdout

    t = time.perf_counter()
    run("-c", _CLI, "lists", "load", *map(str, LIST_PATHS))
    out["lists_load"] = time.perf_counter() - t
    shutil.rmtree(tmp / "cache", ignore_errors=True)  # cold means cold, whatever load did
    for step in ("cold", "warm"):
        secs, imports, rss = run("-c", _LOAD).split()
        out[step], out["imports"], out["load_rss_mb"] = float(secs), float(imports), float(rss)
    out["cache_mb"] = sum(p.stat().st_size for p in (tmp / "cache").glob("*")) / 1e6
    secs, mb = run("-c", _HAN_FIRST).split()
    out["han_first_s"], out["han_first_mb"] = float(secs), float(mb)
    src = tmp / "negatives.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["full_name"])
        w.writerows([n] for n in neg_names)
    t = time.perf_counter()
    run("-c", _CLI, "screen-batch", str(src), "--name-column", "full_name",
        "-o", str(tmp / "out.csv"), "--workers", "2")
    out["cli_rate"] = len(neg_names) / (time.perf_counter() - t)
    res = rows(tmp / "out.csv")
    out["cli_fp_rate"] = sum(int(r["hit_count"] or 0) > 0 for r in res) / max(1, len(res))
    return out


def _optional(module: str, func: str, screener, errors: list[str]):
    """A figure from a sibling benchmark module when it exists and runs on this revision."""
    try:
        fn = getattr(importlib.import_module(module), func)
    except (ImportError, AttributeError):
        return None
    try:
        return fn(screener)
    except Exception as exc:
        errors.append(f"{module}.{func}: {type(exc).__name__}: {exc}")
        return None


def _scalars(result) -> dict | None:
    """``{key: number}`` from a dict of numbers or of dicts of numbers (flattened "a.b")."""
    if not isinstance(result, dict):
        return None
    out: dict = {}
    for k, v in result.items():
        if isinstance(v, dict):
            out.update({f"{k}.{k2}": v2 for k2, v2 in v.items()
                        if isinstance(v2, int | float) or v2 is None})
        elif isinstance(v, int | float | str) or v is None:
            out[str(k)] = v
    return out


def measure(quick: bool) -> tuple[dict, object]:
    """Every exportcheck figure of the importable revision, and its screener."""
    import polars as pl

    import exportcheck
    from exportcheck.screen import Screener
    from exportcheck.screen.batch import screen_table
    from exportcheck.screen.scorer import compare_names

    out: dict = {"src": str(Path(exportcheck.__file__).resolve().parents[1]), "errors": []}
    thr = out["threshold"] = default_threshold()
    neg = pl.read_csv(NEGATIVES, infer_schema_length=0)
    if quick:
        neg = neg.head(5000)
    names = neg["full_name"].to_list()
    out["n_neg"] = neg.height
    log(f"exportcheck from {out['src']}: CLI (lists load, screener loads, screen-batch)")
    with tempfile.TemporaryDirectory(prefix="exportcheck-bench-") as tmp:
        try:
            out.update(cli_figures(Path(tmp), names))
        except Exception as exc:
            out["errors"].append(f"CLI: {exc}")
    log("index build and UN recall")
    t = time.perf_counter()
    s = Screener.from_paths(LIST_PATHS)
    out["build"] = time.perf_counter() - t
    pos = rows(POSITIVES)
    expected = expected_un(pos)
    out["n_pos"], out["n_pos_identified"] = len(pos), sum(e is not None for e in expected)
    out["recall_un"] = recall_expected(expected, [
        {h.entry_id for h in s.screen(r["full_name"], lists=["UN"])} for r in pos])
    log("latency")
    for n in names[:200]:
        s.screen(n)
    lat = []
    for n in names[:3000]:
        t0 = time.perf_counter()
        s.screen(n)
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    out["p50"], out["p99"] = lat[len(lat) // 2], lat[int(len(lat) * 0.99)]
    log("negatives")
    t = time.perf_counter()
    # names alone: the file's nationality and date_of_birth columns would be read otherwise
    res = screen_table(neg, "full_name", screener=s, workers=2, chunk=1000,
                       country_column="", dob_column="")
    out["bulk"] = neg.height / (time.perf_counter() - t)
    flagged = res["hit_count"] > 0
    out["fp_rate"] = float(flagged.mean())
    out["fp_rate_nk_sample"] = float(flagged.head(nk_sample(quick)).mean())
    kinds: Counter[str] = Counter()
    match_kinds: Counter[str] = Counter()
    residue = []
    for name in res.filter(flagged)["name"].to_list():
        hits = s.screen(name)
        if not hits:
            continue
        rel = {name_relation(name, h.matched_name) for h in hits}
        kind = next(k for k in ("exact", "partial", "other") if k in rel | {"other"})
        kinds[kind] += 1
        match_kinds[str(getattr(hits[0], "match_kind", None))] += 1
        if kind == "other" and len(residue) < 10:
            residue.append((name, hits[0].matched_name, hits[0].score, hits[0].list))
    out["fp_kinds"] = dict(kinds)
    out["fp_rate_no_exact"] = (sum(kinds.values()) - kinds["exact"]) / neg.height
    out["fp_residue"] = residue
    out["match_kinds"] = None if set(match_kinds) <= {"None"} else dict(match_kinds)
    ev = screen_table(neg, "full_name", screener=s, workers=2, chunk=1000,
                      dob_column="date_of_birth", country_column="nationality")
    out["fp_rate_ev"] = float((ev["hit_count"] > 0).mean())
    log("nomenklatura test sets, company names, HK officials")
    cases = rows(NK / "cases.csv")
    out["cases"] = cases_figures(cases, [compare_names(c["name1"], c["name2"]) for c in cases],
                                 thr, range(50, 100), 1)
    capped = out["cases"]["fn_capped"] = capped_misses(cases, thr)
    if capped is not None:  # the pairs whose label a name-only screen may meet (issue #11.1)
        right = len(cases) - out["cases"]["fp"] - out["cases"]["fn"]
        out["cases"]["acc_not_capped"] = right / (len(cases) - capped)
    ch = checks()
    sc = [max(compare_names(a, b) for a in as_list(c["query"]["name"])
              for b in as_list(c["candidate"]["name"])) for c in ch]
    out["checks"] = prf([x >= thr for x in sc], [bool(c["match"]) for c in ch])
    out["ofac_rho"] = rank_agreement(compare_names)
    out["company"] = company_figures(company_set(quick), lambda n: [
        (h.list, h.entry_id, h.matched_name, h.score) for h in s.screen(n)])
    # as a determination screens its end user: with the party's country (the locale's), which
    # corroborates partial matches
    companies = company_set(quick)
    country = {loc: loc.split("_")[1] for loc, _ in companies}
    out["company_cc"] = sum(bool(s.screen(n, country=country[loc])) for loc, n in companies
                            ) / max(1, len(companies))
    out["hk_n"] = len(HK_OFFICIALS)
    out["hk_found"] = sum(eid in {h.entry_id for h in s.screen(han)} for han, eid in HK_OFFICIALS)
    log("optional figures (screening_han, screening_persian, screening_scripts, "
        "screening_evasion)")
    out["han"] = _scalars(_optional("screening_han", "han_company_figures", s, out["errors"]))
    persian = _optional("screening_persian", "persian_figures", s, out["errors"])
    out["persian"] = ({route: found / n for route, (found, n) in persian["by_route"].items()}
                      if isinstance(persian, dict) else None)
    scripts = _optional("screening_scripts", "original_script_recall", s, out["errors"])
    out["scripts"] = ({k: v.get("recall") for k, v in scripts.items()}
                      if isinstance(scripts, dict) else None)
    script_fp = _optional("script_negatives", "script_false_alerts", s, out["errors"])
    out["script_fp"] = ({k: [v["alerts"], v["exact"], v["n"]] for k, v in script_fp.items()}
                        if isinstance(script_fp, dict) else None)
    evasion = _optional("screening_evasion", "evasion_recall", s, out["errors"])
    out["evasion"] = evasion if isinstance(evasion, dict) else None
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out, s


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    figures, _ = measure("--quick" in sys.argv)
    print(json.dumps(figures, default=list) if "--json" in sys.argv
          else json.dumps(figures, default=list, indent=1))
