"""Build the Commerce Control List rule files (15 CFR 774 Supp. 1) from an eCFR parse.

Run: ``.venv/bin/python tools/build_ccl.py ../shared/data/ear/ecfr_2026-07-23/ccl.json``

Writes ``src/exportcheck/rules/data/ccl/cat0.yaml`` ... ``cat9.yaml``: one cited ``CclEntry`` per
ECCN. Control lines that name a Country Chart column get ``column``; the others point at a row of
the hand-reviewed ``rules/data/special_controls.yaml``. Paragraph scopes are read from the control
text where it is a plain list of paragraphs; anything narrower that the text cannot express as
paragraphs is kept verbatim and over-applied (the conservative reading), or flagged ``parsed:
false``. ``tools/ccl_overrides.yaml`` holds reviewed manual fixes (source parse defects and
important entries checked by hand) and, under ``additions``, whole entries the parse lacks (an
entry glued into the one before it, or one removed before the eCFR date, with its window);
``tools/ccl_history.yaml`` holds start dates of entries newer than the rule base start. Output
is deterministic: same input, same bytes.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ccl_scope import find_refs, norm, parse_scope, scope_dict

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "src" / "exportcheck" / "rules" / "data" / "ccl"
SPECIALS = ROOT / "src" / "exportcheck" / "rules" / "data" / "special_controls.yaml"
OVERRIDES = Path(__file__).with_name("ccl_overrides.yaml")
HISTORY = Path(__file__).with_name("ccl_history.yaml")
EDITION = "2026-07-23"

REASONS = ("NS", "NP", "MT", "CB", "CW", "RS", "FC", "CC", "AT", "UN", "EI", "SL", "SI", "SS")
COLUMNS = {
    "CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1", "RS1", "RS2",
    "FC1", "CC1", "CC2", "CC3", "AT1", "AT2",
}  # fmt: skip
#: reasons with a single chart column: a line whose column cell is empty can only mean this one
SINGLE_COLUMN = {"MT": "MT1", "FC": "FC1"}
EXCEPTION_SYMBOLS = (
    "GBS", "TSR", "STA", "ENC", "APP", "IEC", "AIA", "ACM", "LPP", "ACE", "HBM", "NAC", "ACA",
)  # fmt: skip

#: (pattern on the chart text, special id(s)); first match wins. Ids are rows of
#: special_controls.yaml; a tuple means one control line per id (different effective windows).
SPECIAL_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"^N/A\.?$", ()),
    (r"742\.6\(a\)\(6\)\(iii\)\(A\)", ("rs_ai_worldwide",)),
    (r"United Arab Emirates.*742\.6\(a\)\(6\)\(iii\)\(B\)", ("rs_ai_uae_d1_d4_d5",)),
    (r"exported from Macau.*742\.6\(a\)\(6\)\(ii\)", ("rs_ai_from_macau_d5",)),
    (r"D:1, D:4, and D:5.*742\.6\(a\)\(6\)\(iii\)", ("rs_ai_d1_d4_d5",)),
    (r"Macau.*742\.4\(a\)\(4\)", ("ns_sme_macau_d5",)),
    (r"Macau.*742\.6\(a\)\(6\)", ("rs_ai_macau_d5",)),
    (r"Macau.*742\.6\(a\)\(12\)", ("rs_macau_d5_742_6a12",)),
    (r"Macau.*742\.6\(a\)\(13\)", ("rs_macau_d5_742_6a13",)),
    (r"worldwide.*742\.6\(a\)\(13\)", ("rs_worldwide_742_6a13",)),
    (r"China, Russia,? or Venezuela", ("rs_cn_ru_ve",)),
    (r"742\.4\(a\)\(5\)", ("ns_worldwide_742_4a5",)),
    (r"742\.6\(a\)\(10\)", ("rs_worldwide_742_6a10",)),
    (r"742\.6\(a\)\(11\)", ("rs_742_6a11",)),
    (r"7(46|64)\.1\b", ("un_arms_embargo",)),
    (r"Iraq or Pakistan", ("rs_iraq", "rs_pakistan")),
    (r"Iraq (or|and) transfer within Iraq", ("rs_iraq",)),
    (r"Pakistan", ("rs_pakistan",)),
    (r"North Korea", ("at_north_korea",)),
    (r"742\.15", ("ei_encryption",)),
    (r"746\.8", ("ru_sector_russia", "ru_sector_belarus")),
    (r"742\.13", ("sl_all_destinations",)),
    (r"ALL destinations, except Canada", ("cc_all_but_canada",)),
    (r"CWC non-States Parties", ("cw_non_states_parties",)),
    (r"742\.14", ("si_all_but_canada",)),
)

def line_reason(control: str) -> str | None:
    """Reason a control line is for, from its own text ("RS applies ...")."""
    if re.match(r"Russian industry sector", control, re.I):
        return "RU"
    m = re.match(rf"^({'|'.join(REASONS)})\b", control)
    return m.group(1) if m else None


def split_pairs(control: str, chart: str) -> list[tuple[str, str]]:
    """Split glued rows: "NP applies ... AT applies ..." / "NP Column 1 AT Column 1"."""
    controls = re.split(rf"\s(?=(?:{'|'.join(REASONS)}) appl)", control)
    charts = re.findall(r"[A-Z]{2} Column \d", chart)
    if len(controls) > 1 and len(controls) == len(charts):
        return list(zip(controls, charts, strict=True))
    m = re.match(r"^(.*?)\s+([A-Z]{2} Column \d)\.?$", chart)
    if control == chart and m and line_reason(m.group(1)):  # single-cell row
        return [(m.group(1), m.group(2))]
    return [(control, chart)]


def chart_target(reason: str, chart: str) -> tuple[str | None, tuple[str, ...]]:
    """(column, special ids) for a chart cell; (None, ()) means "drop the line"."""
    m = re.match(r"^(?:([A-Z]{2}) )?Column (\d)\b", chart)
    if m:
        column = f"{m.group(1) or reason}{m.group(2)}"
        if column not in COLUMNS:
            raise ValueError(f"unknown chart column {column!r} in {chart!r}")
        return column, ()
    for pattern, ids in SPECIAL_RULES:
        if re.search(pattern, chart):
            return None, ids
    raise ValueError(f"no special control for chart text {chart!r}")


@dataclass
class Built:
    """One entry being built, plus the notes that explain what the parser did with it."""

    eccn: str
    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def build_controls(entry: dict[str, Any], built: Built) -> list[dict[str, Any]]:
    """Control lines of an entry, one per (reason, target)."""
    lines: list[dict[str, Any]] = []
    for row in entry["countryChart"]:
        for control, chart in split_pairs(norm(row["control"]), norm(row["countryChart"])):
            lines.extend(_lines_for(control, chart, row, built))
    return lines


def _lines_for(control: str, chart: str, row: dict[str, Any], built: Built) -> list[dict]:
    reason = line_reason(control)
    if reason is None:
        raise ValueError(f"{built.eccn}: no reason in control text {control!r}")
    if row.get("requirementCellEmptyInSource") and reason in SINGLE_COLUMN and control == chart:
        built.notes.append(
            f"{reason} line has an empty chart cell in the source; "
            f"{SINGLE_COLUMN[reason]} is the only {reason} column"
        )
        chart = SINGLE_COLUMN[reason].replace(reason, f"{reason} Column ")
    column, specials = chart_target(reason, chart)
    if column is None and not specials:
        built.notes.append(f"dropped control line with chart text 'N/A.': {control}")
        return []
    base = {
        "reason": reason,
        "scope": parse_scope(control, built.eccn),
        "text": control,
        "chart_text": chart,
    }
    if column:
        return [_line(base, column=column)]
    return [_line(base, special=s) for s in specials]


def _line(base: dict[str, Any], **target: str) -> dict[str, Any]:
    line = {"reason": base["reason"], **target}
    if base["scope"]:
        line["scope"] = base["scope"]
    line["text"], line["chart_text"] = base["text"], base["chart_text"]
    return line


# --- licence exceptions -----------------------------------------------------------------------


def _amount(text: str) -> int | None:
    m = re.search(r"\$\s?([\d,]+)", text)
    return int(m.group(1).replace(",", "")) if m else None


def lvs_rows(flag: str | None, preamble: list[str], eccn: str, built: Built) -> list[dict]:
    """LVS value limits: one row per tier; N/A rows scoped to their paragraphs.

    Reason-based exclusions ("N/A for NP") become ``not_for_reasons`` on every row; a clause
    after an "N/A for" list that names no amount continues that list ("N/A for 6A001.a.1.b.1
    ...; 6A001.a.1.e, ..."); "except those also listed under Country Group D:3" becomes
    ``not_to_groups``.
    """
    if flag is None:
        return []
    text = norm(flag)
    not_to = re.findall(r"except those also listed under Country Groups? ([A-E]:\d)", text)
    text = re.sub(r",?\s*except those also listed under Country Groups? [A-E]:\d"
                  r"(?:\s*\([^)]*\))?", "", text)
    clauses = [c for c in re.split(r";|\.\s+(?=N/A)|,?\s+except\s+(?=N/A)|,\s*(?=N/A)", text)
               if c]
    clauses += [p for p in preamble if re.match(r"^\$[\d,]+:", p)]
    rows: list[dict] = []
    reasons: list[str] = []
    in_na = False
    for clause in clauses:
        clause = clause.strip(" ,.")
        if m := re.fullmatch(r"N/A for ((?:MT|NP)(?:(?:, | and )(?:MT|NP))?)( items)?", clause):
            reasons += re.findall(r"MT|NP", m.group(1))
            built.notes.append(f"LVS {clause} (reason-based: not where that reason requires "
                               "the licence)")
            continue
        if in_na and clause and not re.match(r"^(N/A|\$|Yes)", clause):
            clause = "N/A for " + re.sub(r"^and\s+", "", clause)
        in_na = clause.startswith("N/A")
        rows.extend(_lvs_clause(clause, eccn, built))
    for row in rows:
        if reasons:
            row["not_for_reasons"] = sorted(set(reasons))
        if not_to and row.get("usd") is not None:
            row["not_to_groups"] = not_to
    return rows


def _lvs_clause(clause: str, eccn: str, built: Built) -> list[dict]:
    """Rows for one LVS clause such as "$3000: 3A001.b.1, ..." or "N/A for 4A003.b, c"."""
    if not clause or clause.lower() in ("yes for", "yes"):
        return []
    usd = None if clause.startswith("N/A") else _amount(clause)
    if usd is None and not clause.startswith("N/A"):
        built.notes.append(f"LVS text not read: {clause}")
        return []
    body = re.sub(r"^(Yes:?\s*)?(N/A|\$[\d,]+:?)\s*", "", clause).strip(" ,")
    plain = re.sub(r"\([^)]*\)", " ", body)
    if not body:
        return [{"usd": usd}]
    if plain.startswith("except") and usd is not None:
        return _lvs_except(usd, plain, clause, eccn, built)
    main, _, exc = plain.partition(" except ")
    refs = find_refs(main, eccn)
    if refs.own:
        excl = [r for r in find_refs(exc, eccn).own if r not in refs.own] if exc else []
        return [{"usd": usd, "scope": scope_dict(refs.own, excl, True)}]
    built.notes.append(f"LVS: {clause}")
    if re.search(r"all other items|destination|Country Group|countries", body):
        return [{"usd": usd}]
    return [{"usd": usd, "scope": {"parsed": False}}]


def _lvs_except(usd: int, plain: str, clause: str, eccn: str, built: Built) -> list[dict]:
    """ "$5,000, except 2B007.b and .c": the listed paragraphs get no LVS at all."""
    refs = find_refs(plain, eccn)
    if not refs.own:
        built.notes.append(f"LVS: {clause}")
        return [{"usd": usd, "scope": {"parsed": False}}]
    return [
        {"usd": usd, "scope": {"exclude": refs.own}},
        {"usd": None, "scope": {"only": refs.own}},
    ]


def exception_row(symbol: str, text: str, eccn: str) -> dict[str, Any]:
    """Eligibility for one List-Based licence exception (text kept verbatim)."""
    text = norm(text)
    if re.match(r"^N/A\b", text) and not re.search(r"\$", text):
        return {"eligible": "no", "text": text}
    if symbol == "STA":
        return {"eligible": "partial", "scope": {"parsed": False}, "text": text}
    if re.fullmatch(r"Yes\.?", text):
        return {"eligible": "yes", "text": text}
    if m := re.fullmatch(r"Yes,? except (?:N/A for )?((?:MT|NP|UN|RS|CB)(?:(?:, | and | or )"
                         r"(?:MT|NP|UN|RS|CB))*)\.?", text):
        return {"eligible": "yes", "text": text,
                "not_for_reasons": sorted(set(re.findall(r"MT|NP|UN|RS|CB", m.group(1))))}
    m = re.match(r"^Yes[,:]?\s*(for|except)?\b(.*)$", text, re.S)
    row: dict[str, Any] = {"eligible": "partial", "text": text}
    if m:
        refs = find_refs(re.split(r"\bSee\b|\(except", m.group(2))[0], eccn)
        if refs.own:
            row["scope"] = {"exclude" if m.group(1) == "except" else "only": refs.own}
            return row
    row["scope"] = {"parsed": False}
    return row


def build_exceptions(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """All List-Based exceptions except LVS; STA carries the special-conditions text."""
    flags = entry["licenceExceptionFlags"]
    out = {s: exception_row(s, flags[s], entry["eccn"]) for s in EXCEPTION_SYMBOLS if s in flags}
    sta = norm(entry.get("staSpecialConditions"))
    if sta:
        out["STA"] = exception_row("STA", sta, entry["eccn"])
    return dict(sorted(out.items()))


# --- entries ----------------------------------------------------------------------------------


def _reserved(item: dict[str, Any]) -> bool:
    return norm(item["text"]).endswith("[Reserved]")


def paragraphs(entry: dict[str, Any]) -> list[str]:
    """Item paragraph ids (".a", ".a.1", ...) in source order, deduplicated, reserved ones
    left out."""
    seen: dict[str, None] = {}
    for item in entry.get("items") or []:
        if item["kind"] == "item" and item["paragraph"] and not _reserved(item):
            seen.setdefault("." + item["paragraph"], None)
    return list(seen)


def reserved(entry: dict[str, Any]) -> list[str]:
    """Single paragraphs the entry marks "[Reserved]" (".i" of 5A001, whose items moved to
    .f.1): an order line naming one gets an error that says so. Ranges ("l through w.") are
    left to the unknown-paragraph error."""
    return [f".{item['paragraph']}" for item in entry.get("items") or []
            if item["kind"] == "item" and item["paragraph"] and _reserved(item)
            and re.fullmatch(r"[a-z0-9]+(\.[a-z0-9]+)*", item["paragraph"])]


def preamble(entry: dict[str, Any]) -> list[str]:
    """Text lines before the first item: where some LVS tiers sit (e.g. 3A001)."""
    lines = []
    for item in entry.get("items") or []:
        if item["paragraph"] is not None and item["kind"] == "item":
            break
        lines.append(norm(item["text"]))
    return lines


def build_entry(entry: dict[str, Any], history: dict[str, Any]) -> Built:
    """A ``CclEntry`` dict for one source entry, before overrides."""
    eccn = entry["eccn"]
    built = Built(eccn, {})
    hist = history.get(eccn, {})
    data: dict[str, Any] = {
        "eccn": eccn,
        "heading": norm(entry["heading"]),
        "citation": f"15 CFR 774 Supp. 1, ECCN {eccn}",
        "effective_from": hist.get("effective_from", "unknown"),
    }
    if hist.get("start_citation"):
        data["start_citation"] = hist["start_citation"]
    data["controls"] = build_controls(entry, built)
    lvs = lvs_rows(entry["licenceExceptionFlags"].get("LVS"), preamble(entry), eccn, built)
    if lvs:
        data["lvs"] = lvs
    exceptions = build_exceptions(entry)
    if exceptions:
        data["exceptions"] = exceptions
    paras = paragraphs(entry)
    if paras:
        data["paragraphs"] = paras
    gone = reserved(entry)
    if gone:
        data["reserved"] = gone
    built.data = data
    return built


def apply_override(built: Built, override: dict[str, Any]) -> None:
    """Replace fields with reviewed values; ``drop_controls`` removes lines by index."""
    data = built.data
    for index in sorted(override.get("drop_controls", []), reverse=True):
        del data["controls"][index]
    data["controls"].extend(override.get("add_controls", []))
    for key in (
        "heading",
        "controls",
        "lvs",
        "exceptions",
        "paragraphs",
        "all_destinations",
        "effective_from",
        "effective_to",
        "start_citation",
    ):
        if key in override:
            data[key] = override[key]
    for symbol in override.get("drop_exceptions", []):
        data.get("exceptions", {}).pop(symbol, None)
    data.update(
        {"exceptions": {**data.get("exceptions", {}), **override.get("set_exceptions", {})}}
    )
    if not data["exceptions"]:
        del data["exceptions"]
    built.notes.append(f"reviewed override: {override['reason']}")


# --- entries the parse lacks -------------------------------------------------------------------

#: keys of an ``additions`` row besides those ``apply_override`` reads
ADDITION_KEYS = {"reason", "heading", "from_parse", "rows", "flags", "sta", "paragraphs",
                 "reserved"}
#: keys ``apply_override`` reads (an addition may use them to adjust what it built)
OVERRIDE_KEYS = {"drop_controls", "add_controls", "controls", "lvs", "exceptions",
                 "all_destinations", "effective_from", "effective_to", "start_citation",
                 "set_exceptions", "drop_exceptions"}
SOURCE_TAG = re.compile(r"\[(src|data|mem)\b")


def addition_source(eccn: str, spec: dict[str, Any],
                    parsed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A source entry, in the parse's own form, for an ECCN the parse lacks.

    ``from_parse`` takes rows (by index), licence-exception flags (by symbol) and items from the
    parsed entry that swallowed this one (the glued previous entry), so what the parse read is
    not retyped; ``rows`` / ``flags`` / ``sta`` give the rest in the parse's form
    (``{control, countryChart}`` rows, ``{symbol: text}`` flags)."""
    unknown = set(spec) - ADDITION_KEYS - OVERRIDE_KEYS
    if unknown:
        raise SystemExit(f"additions.{eccn}: unknown keys {sorted(unknown)}")
    if not re.fullmatch(r"[0-9][A-E][0-9]{3}", eccn):
        raise SystemExit(f"additions.{eccn}: not an ECCN")
    if not spec.get("heading") or not SOURCE_TAG.search(spec.get("reason", "")):
        raise SystemExit(f"additions.{eccn}: needs a heading and a reason that names its "
                         "sources ([src ...], [data ...] or [mem ...])")
    rows: list[dict[str, Any]] = []
    flags: dict[str, str] = {}
    items: list[dict[str, Any]] = []
    take = spec.get("from_parse")
    if take:
        host = parsed.get(take["eccn"])
        if host is None:
            raise SystemExit(f"additions.{eccn}: from_parse names {take['eccn']}, not in the parse")
        chart = host["countryChart"]
        rows += [chart[i] for i in take.get("rows", range(len(chart)))]
        host_flags = host["licenceExceptionFlags"]
        missing = [f for f in take.get("flags", []) if f not in host_flags]
        if missing:
            raise SystemExit(f"additions.{eccn}: {take['eccn']} has no flags {missing}")
        flags.update({f: host_flags[f] for f in take.get("flags", [])})
        if take.get("items"):
            items = list(host.get("items") or [])
    rows += [{"control": r["control"], "countryChart": r["countryChart"]}
             for r in spec.get("rows", [])]
    flags.update(spec.get("flags", {}))
    return {
        "eccn": eccn,
        "heading": spec["heading"],
        "countryChart": rows,
        "licenceExceptionFlags": flags,
        "staSpecialConditions": spec.get("sta"),
        "items": items,
    }


def build_addition(eccn: str, spec: dict[str, Any], parsed: dict[str, dict[str, Any]],
                   history: dict[str, Any]) -> Built:
    """A ``CclEntry`` for an ECCN the parse dropped (glued into the entry before it) or an entry
    removed before the eCFR date (``effective_to``), built the way parsed entries are."""
    if eccn in parsed:
        raise SystemExit(f"additions.{eccn}: the parse has this entry; use overrides instead")
    built = build_entry(addition_source(eccn, spec, parsed), history)
    for key in ("paragraphs", "reserved"):
        if key in spec:
            built.data[key] = spec[key]
    apply_override(built, {k: v for k, v in spec.items() if k in OVERRIDE_KEYS | {"reason"}})
    built.notes[-1] = built.notes[-1].replace(
        "reviewed override:", "entry missing from the eCFR parse, added by reviewed override:", 1)
    return built


def finish(built: Built) -> dict[str, Any]:
    """Order keys the way the schema reads and attach the note."""
    data = dict(built.data)
    if built.notes:
        data["note"] = " | ".join(built.notes)
    order = (
        "eccn",
        "heading",
        "citation",
        "effective_from",
        "effective_to",
        "start_citation",
        "note",
        "all_destinations",
        "controls",
        "lvs",
        "exceptions",
        "paragraphs",
        "reserved",
    )
    return {
        k: data[k]
        for k in order
        if k == "controls" or (k in data and data[k] not in (None, [], {}))
    }


# --- output -----------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, no anchors: the files are reviewed by people in diffs."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write_category(cat: str, entries: list[dict[str, Any]]) -> Path:
    """Write one ``catN.yaml`` with its provenance header."""
    path = OUT_DIR / f"cat{cat}.yaml"
    header = (
        f"# Commerce Control List, Category {cat} (15 CFR 774 Supp. 1).\n"
        f"# GENERATED from the eCFR issue {EDITION} by tools/build_ccl.py plus the reviewed\n"
        "# overrides in tools/ccl_overrides.yaml and start dates in tools/ccl_history.yaml.\n"
        "# Do not edit by hand: fix the tool or the overrides file and regenerate.\n"
    )
    body = yaml.dump(
        {"entries": entries},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    path.write_text(header + body, encoding="utf-8")
    return path


def coverage(entries: list[dict[str, Any]]) -> Counter[str]:
    """Counts for the summary the tool prints (and the report quotes)."""
    c: Counter[str] = Counter(entries=len(entries))
    for e in entries:
        for line in e["controls"]:
            c["control lines"] += 1
            c["lines with a column" if "column" in line else "lines with a special"] += 1
            c[_scope_kind(line.get("scope", {}))] += 1
        for row in e.get("lvs", []):
            c[
                "LVS rows parsed"
                if row.get("scope", {}).get("parsed", True)
                else "LVS rows not parsed"
            ] += 1
        c["entries with paragraphs"] += bool(e.get("paragraphs"))
        c["entries all_destinations"] += bool(e.get("all_destinations"))
    return c


def _scope_kind(scope: dict[str, Any]) -> str:
    if not scope.get("parsed", True):
        return "scopes not parsed"
    return "scopes paragraph" if scope.get("only") or scope.get("exclude") else "scopes whole"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    source = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    history = yaml.safe_load(HISTORY.read_text(encoding="utf-8"))["entries"]
    reviewed = yaml.safe_load(OVERRIDES.read_text(encoding="utf-8"))
    overrides, additions = reviewed["overrides"], reviewed.get("additions") or {}
    special_ids = {r["id"] for r in yaml.safe_load(SPECIALS.read_text())["special_controls"]}
    parsed = {e["eccn"]: e for e in source["entries"]}
    stray = set(overrides) - set(parsed)
    if stray:
        raise SystemExit(f"overrides for ECCNs the parse lacks (use additions): {sorted(stray)}")
    built_all: dict[str, Built] = {}
    for eccn, entry in parsed.items():
        built_all[eccn] = build_entry(entry, history)
        if eccn in overrides:
            apply_override(built_all[eccn], overrides[eccn])
    for eccn, spec in additions.items():
        built_all[eccn] = build_addition(eccn, spec, parsed, history)
    by_cat: dict[str, list[dict[str, Any]]] = {}
    for eccn in sorted(built_all):
        by_cat.setdefault(eccn[0], []).append(finish(built_all[eccn]))
    everything = [e for cat in sorted(by_cat) for e in by_cat[cat]]
    _check_specials(everything, special_ids)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for cat in sorted(by_cat):
        write_category(cat, by_cat[cat])
    for key, value in sorted(coverage(everything).items()):
        print(f"{key:28} {value}")
    return 0


def _check_specials(entries: list[dict[str, Any]], known: set[str]) -> None:
    used = {c["special"] for e in entries for c in e["controls"] if "special" in c}
    missing = used - known
    if missing:
        raise SystemExit(f"special ids missing from {SPECIALS.name}: {sorted(missing)}")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
