"""nomenklatura's side of the screening benchmark (OpenSanctions' matcher, as yente runs it).

Set up with ``scripts/bench-setup`` (PyICU needs libicu-dev and pkg-config to compile). Pairs
are scored with the algorithm's own default configuration (``default_config()``: an empty
``ScoringConfig`` leaves some algorithms' settings unset). nomenklatura has no index of its own
(yente uses Elasticsearch), so list-level figures score exportcheck's 20 best candidates
(``screen(..., threshold=0, limit=20)`` of the working tree) with nomenklatura, at yente's
default threshold 0.70.
"""

from __future__ import annotations

import resource
import sys
import time

from screening_ec import (
    NEGATIVES,
    NK,
    POSITIVES,
    as_list,
    cases_figures,
    checks,
    company_figures,
    company_set,
    expected_un,
    log,
    nk_sample,
    prf,
    rank_agreement,
    recall_expected,
    rows,
)

NK_THRESHOLD = 0.70


def algorithm(name: str | None):
    """The named nomenklatura algorithm (default: ``DefaultAlgorithm``), or None when
    nomenklatura is not installed."""
    try:
        from nomenklatura.matching import DefaultAlgorithm, get_algorithm
    except ImportError as exc:
        print(f"nomenklatura not installed ({exc}): run scripts/bench-setup", file=sys.stderr)
        return None
    algo = get_algorithm(name) if name else DefaultAlgorithm
    if algo is None:
        sys.exit(f"unknown nomenklatura algorithm {name!r}")
    return algo


def run_nomenklatura(screener, ec: dict, quick: bool, algo_name: str | None = None) -> dict | None:
    algo = algorithm(algo_name)
    if algo is None:
        return None
    from followthemoney import model

    cfg = algo.default_config()
    out: dict = {"algo": algo.NAME}
    cache: dict = {}

    def ent(schema: str, props: dict, eid: str):
        e = model.make_entity(schema if model.get(schema) else "LegalEntity")
        e.id = eid
        for k, v in props.items():
            if e.schema.get(k) is not None:
                for x in as_list(v):
                    e.add(k, x, quiet=True)
        return e

    def score(q, c) -> float:
        return algo.compare(q, c, cfg).score

    def pair(a: str, b: str, schema: str = "Person") -> float:
        key = (a, b, schema)
        if key not in cache:
            cache[key] = score(ent(schema, {"name": a}, "q"), ent(schema, {"name": b}, "c"))
        return cache[key]

    log(f"nomenklatura {algo.NAME}: pairs")
    cases = rows(NK / "cases.csv")
    t = time.perf_counter()
    sc = [pair(c["name1"], c["name2"], c["schema"]) for c in cases]
    out["pair_rate"] = len(cases) / (time.perf_counter() - t)
    out["cases"] = cases_figures(cases, sc, NK_THRESHOLD, range(30, 100), 100)
    ch = checks()
    sc2 = [score(ent(c.get("schema", "Person"), c["query"], "q"),
                 ent(c.get("schema", "Person"), c["candidate"], "c")) for c in ch]
    out["checks"] = prf([x >= NK_THRESHOLD for x in sc2], [bool(c["match"]) for c in ch])
    out["ofac_rho"] = rank_agreement(pair)

    def screen_nk(name: str, schema: str, lists: list[str] | None = None,
                  first_only: bool = False) -> list[tuple[str, str, str, float]]:
        """Hits ``(list, entry_id, best name, score)`` nomenklatura scores >= its threshold
        among exportcheck's 20 best candidates."""
        q = ent(schema, {"name": name}, "q")
        found = []
        for h in screener.screen(name, lists=lists, threshold=0, limit=20):
            entry = screener.entry(h.list, h.entry_id)
            names = entry.all_names()[:10] if entry is not None else [h.matched_name]
            kind = entry.kind if entry is not None else h.kind
            if schema != "Person" and kind in ("vessel", "aircraft"):
                continue  # yente matches a LegalEntity query only with legal entities
            cschema = "Person" if kind == "person" else "LegalEntity"
            res = algo.compare(q, ent(cschema, {"name": names}, "c"), cfg)
            if res.score >= NK_THRESHOLD:
                found.append((h.list, h.entry_id, h.matched_name, res.score))
                if first_only:
                    break
        return found

    log("nomenklatura: UN positives")
    pos = rows(POSITIVES)
    out["recall_un"] = recall_expected(expected_un(pos), [
        {x[1] for x in screen_nk(r["full_name"], "Person", ["UN"])} for r in pos])
    log("nomenklatura: negatives")
    neg = rows(NEGATIVES)[: nk_sample(quick)]
    t = time.perf_counter()
    fps = sum(bool(screen_nk(r["full_name"], "Person", first_only=True)) for r in neg)
    out["names_s"] = len(neg) / (time.perf_counter() - t)
    out["fp_rate"] = fps / len(neg)
    out["n_neg"] = len(neg)
    log("nomenklatura: company names")
    dropped = set((ec.get("company") or {}).get("dropped") or ())
    names = [(loc, n) for loc, n in company_set(quick) if n not in dropped]
    out["company"] = company_figures(names, lambda n: screen_nk(n, "LegalEntity"))
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out
