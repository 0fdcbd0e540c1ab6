"""Read restricted-party list files in their official formats; the format is detected from
the file name and its first bytes, never from the user's say-so.

Supported: OFAC legacy CSV (``sdn.csv`` family and ``cons_*.csv``), BIS ``dpl.txt``, trade.gov
CSL CSV/JSON, UN consolidated XML, China MOFCOM JSON (``cn.json``). A directory stands for the
list files directly inside it (not its subdirectories).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from exportcheck.errors import ListDataError
from exportcheck.screen.entries import ParsedList, bulk_allocation
from exportcheck.screen.parsers import csl, dpl, mofcom, ofac, un

__all__ = ["detect_format", "load_paths"]


def detect_format(path: Path) -> str | None:
    """``ofac:<family>:<role>``, ``dpl``, ``csl``, ``un``, ``mofcom`` or ``None``."""
    name = path.name.lower()
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError as exc:
        raise ListDataError(f"cannot read {path}: {exc.strerror or exc}") from exc
    stripped = head.lstrip()
    if name in ofac.FILE_ROLES and (stripped[:1].isdigit() or not stripped):
        family, role = ofac.FILE_ROLES[name]
        return f"ofac:{family}:{role}"
    if stripped.startswith(dpl.HEADER_START):
        return "dpl"
    if stripped.startswith(csl.HEADER_START):
        return "csl"
    if stripped.startswith("<") and "CONSOLIDATED_LIST" in head:
        return "un"
    if stripped.startswith("[") and '"list_id"' in head and '"entity_name"' in head:
        return "mofcom"
    if stripped.startswith(("{", "[")) and csl.looks_like_csl_json(head):
        return "csl"
    return None


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise ListDataError(f"list file not found: {path}")
        if path.is_dir():
            found = [c for c in sorted(path.iterdir()) if c.is_file() and detect_format(c)]
            if not found:
                raise ListDataError(
                    f"no list file in {path} (subdirectories are not searched: pass them "
                    "explicitly)"
                )
            out.extend(found)
        else:
            out.append(path)
    return out


def load_paths(paths: Iterable[str | Path]) -> list[ParsedList]:
    """Parse every file; OFAC companions are joined to their main file by family."""
    with bulk_allocation():
        return _load_paths(paths)


def _load_paths(paths: Iterable[str | Path]) -> list[ParsedList]:
    files = _expand(paths)
    if not files:
        raise ListDataError("no list files given")
    results: list[ParsedList] = []
    ofac_groups: dict[str, dict[str, Path]] = {}
    for path in files:
        fmt = detect_format(path)
        if fmt is None:
            raise ListDataError(
                f"{path}: unrecognised list format (expected OFAC sdn.csv/alt.csv/add.csv/"
                "sdn_comments.csv or cons_*.csv, BIS dpl.txt, CSL consolidated CSV/JSON, UN "
                "consolidated XML or MOFCOM cn.json)"
            )
        if fmt.startswith("ofac:"):
            _, family, role = fmt.split(":")
            group = ofac_groups.setdefault(family, {})
            if role in group and group[role] != path:
                raise ListDataError(
                    f"two OFAC {family} {role} files given ({group[role]} and {path}): "
                    "load one release at a time"
                )
            group[role] = path
        elif fmt == "dpl":
            results.append(dpl.parse_dpl(path))
        elif fmt == "csl":
            results.append(csl.parse_csl(path))
        elif fmt == "un":
            results.append(un.parse_un(path))
        elif fmt == "mofcom":
            results.append(mofcom.parse_mofcom(path))
    for group in ofac_groups.values():
        results.append(ofac.parse_ofac(group))
    sources = [r.source for r in results]
    dupes = {s for s in sources if sources.count(s) > 1}
    if dupes:
        raise ListDataError(
            f"several files of the same source {sorted(dupes)} given: load one version at a time"
        )
    return results
