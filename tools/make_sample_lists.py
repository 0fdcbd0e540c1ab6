"""Generate the bundled screening data from the real files in ``../shared/data/lists``.

1. ``src/exportcheck/screen/data/name_data.json``: legal-form tokens and person title
   prefixes, compiled from OpenSanctions *rigour* (MIT licence,
   (c) OpenSanctions Datenbanken GmbH) so normalisation works without the shared folder.
2. ``src/exportcheck/samples/lists/``: a few hundred rows of the official list files (same
   formats, selected rows) so that ``Screener.from_samples()`` works offline.

Run from the repository root: ``.venv/bin/python tools/make_sample_lists.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "lists"
NAME_DATA = ROOT / "src" / "exportcheck" / "screen" / "data" / "name_data.json"
SAMPLES = ROOT / "src" / "exportcheck" / "samples" / "lists"


def build_name_data() -> None:
    from exportcheck.screen.normalize import fold_text

    rigour = DATA / "name_normalization" / "rigour"
    types = yaml.safe_load((rigour / "org_types.yml").read_text("utf-8"))["types"]
    forms: set[str] = set()
    han_forms: set[str] = set()
    for t in types:
        for alias in [*(t.get("aliases") or []), t.get("display"), t.get("compare")]:
            if not alias:
                continue
            if re.search(r"[\u3400-\u9fff]", alias):
                han_forms.add(alias.strip())
                continue
            folded = fold_text(alias)
            if folded and len(folded.split()) <= 5:
                forms.add(folded)
    stop = yaml.safe_load((rigour / "stopwords.yml").read_text("utf-8"))
    prefixes = sorted({fold_text(p) for p in stop["PERSON_NAME_PREFIXES"] if fold_text(p)})
    symbols = yaml.safe_load((rigour / "symbols.yml").read_text("utf-8"))
    # English given names and their usual short forms ("Ted" = Edward or Theodore)
    nicknames = sorted(sorted({fold_text(n) for n in group}) for group
                       in symbols["person_nick"].values() if len(group) > 1)
    NAME_DATA.parent.mkdir(parents=True, exist_ok=True)
    NAME_DATA.write_text(json.dumps({
        "_source": "compiled from opensanctions/rigour resources/names (MIT licence) by "
                   "tools/make_sample_lists.py",
        "legal_forms": sorted(forms),
        "han_legal_forms": sorted(han_forms, key=lambda f: (-len(f), f)),
        "person_prefixes": prefixes, "person_nicknames": nicknames,
    }, ensure_ascii=False, indent=0), "utf-8")
    print(f"{NAME_DATA}: {len(forms)} legal forms, {len(han_forms)} Han forms, "
          f"{len(prefixes)} prefixes, {len(nicknames)} nickname groups")


def _ofac_lines(path: Path) -> list[bytes]:
    return [ln for ln in path.read_bytes().split(b"\r\n") if ln.strip() and ln != b"\x1a"]


def _ent(line: bytes) -> str:
    return line.split(b",", 1)[0].decode()


def build_ofac(out: Path) -> set[str]:
    """sdn.csv: every HK-EO13936 designation, China/HK-addressed entries, a few others."""
    sdn = _ofac_lines(DATA / "ofac" / "sdn.csv")
    add = _ofac_lines(DATA / "ofac_2025-12" / "add.csv")
    cn_hk = {_ent(ln) for ln in add if b'"China"' in ln or b'"Hong Kong"' in ln}
    keep: list[bytes] = []
    for ln in sdn:
        text = ln.decode("latin-1")
        ent = _ent(ln)
        n_cn = sum(_ent(k) in cn_hk for k in keep)
        if "HK-EO13936" in text or (ent in cn_hk and n_cn < 60):
            keep.append(ln)
        elif ent in {"35096", "8124", "20260", "36", "306", "576", "10863", "7671"}:
            keep.append(ln)  # Putin, number-bearing names, Cuba, Iran: the false-hit classes
    ents = {_ent(ln) for ln in keep}
    out.mkdir(parents=True, exist_ok=True)
    (out / "sdn.csv").write_bytes(b"\r\n".join(keep) + b"\r\n\x1a")
    for name, src in (("alt.csv", "alt.csv"), ("add.csv", "add.csv"),
                      ("sdn_comments.csv", "sdn_comments.csv")):
        rows = [ln for ln in _ofac_lines(DATA / "ofac_2025-12" / src) if _ent(ln) in ents]
        (out / name).write_bytes(b"\r\n".join(rows) + b"\r\n" if rows else b"")
    return ents


def build_dpl(out: Path, n: int = 40) -> None:
    lines = (DATA / "bis" / "dpl.txt").read_text("utf-8").splitlines(keepends=True)
    (out / "dpl.txt").write_text("".join(lines[: n + 1]), "utf-8")


def build_csl(out: Path) -> None:
    """Entity List rows about China/Hong Kong (with licence requirement and policy), plus MEU,
    UVL, ITAR-debarred and ISN rows. SDN rows are left to sdn.csv."""
    src = DATA / "csl_2026-07" / "consolidated.csv"
    with src.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    si, ni, ai = header.index("source"), header.index("name"), header.index("addresses")
    quota = {"(EL)": 60, "(MEU)": 10, "(UVL)": 10, "(DTC)": 5, "(ISN)": 5, "(CMIC)": 8}
    # well-known Entity List parties a demo will look for (police and security bureaus too)
    famous = ("Huawei Technologies Co., Ltd.", "Hangzhou Hikvision", "Dahua Technology",
              "IFLYTEK", "Semiconductor Manufacturing International Corporation (SMIC)",
              "Xinjiang Police College", "Urumqi Municipal Public Security Bureau",
              "Xinjiang Uyghur Autonomous Region (XUAR) People's Government Public Security")
    keep = [r for r in rows if "(EL)" in r[si] and r[ni].startswith(famous)]
    for r in rows:
        if r in keep:
            continue
        marker = next((m for m in quota if m in r[si]), None)
        if marker is None or quota[marker] == 0:
            continue
        if marker in ("(EL)", "(MEU)", "(CMIC)") and not ({"CN", "HK"} & set(r[ai].split("; "))):
            continue
        if marker == "(EL)" and quota[marker] > 40 and "Hong Kong" not in r[ni] and \
                "HK" not in r[ai]:
            continue  # first fill with Hong Kong entries, then mainland ones
        quota[marker] -= 1
        keep.append(r)
    if quota["(EL)"] > 0:  # top up with mainland Entity List rows
        for r in rows:
            if "(EL)" in r[si] and "CN" in r[ai] and r not in keep and quota["(EL)"] > 0:
                quota["(EL)"] -= 1
                keep.append(r)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(keep)
    (out / "consolidated.csv").write_text(buf.getvalue(), "utf-8")


def build_un(out: Path, n_ind: int = 25, n_ent: int = 8) -> None:
    tree = ET.parse(DATA / "un" / "UN_consolidated.xml")
    root = tree.getroot()
    for tag, child, n in (("INDIVIDUALS", "INDIVIDUAL", n_ind), ("ENTITIES", "ENTITY", n_ent)):
        group = root.find(tag)
        items = group.findall(child)
        kp = [el for el in items if (el.findtext("REFERENCE_NUMBER") or "").startswith("KP")]
        chosen = (kp + [el for el in items if el not in kp])[:n]
        for el in items:
            if el not in chosen:
                group.remove(el)
    tree.write(out / "UN_consolidated.xml", encoding="UTF-8", xml_declaration=True)


def build_mofcom(out: Path) -> None:
    rows = json.loads((DATA / "xyna_registry" / "cn.json").read_text("utf-8"))
    keep = [r for r in rows if r["list_id"] == "cn-unreliable-entity-list"][:30]
    keep += [r for r in rows if r["list_id"] == "cn-export-control-watchlist"][:10]
    (out / "cn.json").write_text(json.dumps(keep, ensure_ascii=False, indent=1), "utf-8")


def build_samples() -> None:
    for old in SAMPLES.glob("*"):
        old.unlink()
    SAMPLES.mkdir(parents=True, exist_ok=True)
    ents = build_ofac(SAMPLES)
    build_dpl(SAMPLES)
    build_csl(SAMPLES)
    build_un(SAMPLES)
    build_mofcom(SAMPLES)
    (SAMPLES / "README.md").write_text(
        "Sample restricted-party lists (official formats, selected rows) generated by\n"
        "`tools/make_sample_lists.py` from public-domain US Government lists (OFAC, BIS, State,\n"
        "trade.gov CSL), the UN Security Council list and China MOFCOM lists (xyna registry).\n"
        "For demos and tests only: screen against the full, current lists in production.\n",
        "utf-8")
    total = sum(p.stat().st_size for p in SAMPLES.iterdir())
    print(f"{SAMPLES}: {len(ents)} SDN entries, {total:,} bytes")


if __name__ == "__main__":
    if not DATA.exists():
        sys.exit(f"{DATA} not found: the shared data folder is needed to regenerate samples")
    build_name_data()
    build_samples()
