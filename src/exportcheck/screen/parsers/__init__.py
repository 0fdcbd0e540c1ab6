"""Read restricted-party list files in their official formats; the format is detected from
the file name and its first bytes, never from the user's say-so.

Supported: OFAC legacy CSV (``sdn.csv`` family and ``cons_*.csv``), BIS ``dpl.txt``, trade.gov
CSL CSV/JSON, UN consolidated XML, China MOFCOM JSON (``cn.json``). A directory stands for the
list files directly inside it (not its subdirectories).
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterable
from pathlib import Path

from exportcheck.errors import ListDataError
from exportcheck.screen.entries import ParsedList, bulk_allocation
from exportcheck.screen.parsers import csl, dpl, mofcom, ofac, un

__all__ = ["ListWarning", "alias_warnings", "detect_format", "load_paths"]

_HEAD = 4096
#: OFAC's names, longest first: "sdn_comments_x.csv" is sdn_comments, not sdn
_OFAC_NAMES = sorted(ofac.FILE_ROLES, key=len, reverse=True)
#: what may follow a stem in a renamed copy: "sdn_2024.csv", "sdn-2024-05.csv", "sdn (1).csv"
_STEM_ENDS = tuple(" _-.(")
ACCEPTED_NAMES = (", ".join(ofac.FILE_ROLES) + ", or one of them with a date or copy marker "
                  "after its stem (sdn_2024-05-03.csv, 'sdn (1).csv')")


class ListWarning(UserWarning):
    """A load that succeeds but leaves something out the user probably meant to load."""


def _ofac_name(name: str) -> tuple[str, bool] | None:
    """The OFAC file ``name`` (lower case) is, and whether it was renamed; None if none.
    OFAC's legacy files are told apart by name alone (sdn.csv and cons_prim.csv both have 12
    columns), so a dated or browser copy must keep the official name as its start."""
    if name in ofac.FILE_ROLES:
        return name, False
    if not name.endswith(".csv"):
        return None
    base = name.removesuffix(".csv")
    for known in _OFAC_NAMES:
        stem = known.removesuffix(".csv")
        if base.startswith(stem) and base[len(stem):len(stem) + 1] in _STEM_ENDS:
            return known, True
    return None


def _first_record_width(head: str, whole: bool) -> int | None:
    """Columns of the first record, when the head holds all of it."""
    rows = [r for r in csv.reader(io.StringIO(head, newline="")) if r and any(c.strip() for c in r)]
    if not rows or (len(rows) < 2 and not whole):
        return None
    return len(rows[0])


def _width_fits(role: str, width: int) -> bool:
    expected = ofac._EXPECTED_COLS[role]
    return width >= expected if role == "comments" else width == expected


def detect_format(path: Path) -> str | None:
    """``ofac:<family>:<role>``, ``dpl``, ``csl``, ``un``, ``mofcom`` or ``None``."""
    name = path.name.lower()
    try:
        with path.open("rb") as fh:
            raw = fh.read(_HEAD)
    except OSError as exc:
        raise ListDataError(f"cannot read {path}: {exc.strerror or exc}") from exc
    head = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = head.lstrip()
    known = _ofac_name(name)
    if known is not None and (stripped[:1].isdigit() or not stripped):
        official, renamed = known
        family, role = ofac.FILE_ROLES[official]
        width = _first_record_width(head, len(raw) < _HEAD) if renamed else None
        if width is not None and not _width_fits(role, width):
            like = sorted(n for n, (_, r) in ofac.FILE_ROLES.items()
                          if ofac._EXPECTED_COLS[r] == width) or ["no OFAC file"]
            raise ListDataError(
                f"{path}: named as OFAC {official} ({ofac._EXPECTED_COLS[role]} columns) but "
                f"its first record has {width} columns, as {' or '.join(like)} has: rename it "
                "after the file it is")
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
            raise ListDataError(_unrecognised(path))
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
    for message in _alias_gaps(ofac_groups).values():
        warnings.warn(message, ListWarning, stacklevel=3)
    for group in ofac_groups.values():
        results.append(ofac.parse_ofac(group))
    sources = [r.source for r in results]
    dupes = {s for s in sources if sources.count(s) > 1}
    if dupes:
        raise ListDataError(
            f"several files of the same source {sorted(dupes)} given: load one version at a time"
        )
    return results


def alias_warnings(paths: Iterable[str | Path]) -> dict[str, str]:
    """What :func:`load_paths` warns of (as :class:`ListWarning`), by source (``ofac-sdn``):
    an OFAC main file given without its aliases file. For callers that show them rather than
    log them (the web's upload): warnings are process-wide, and a server answers many at once."""
    groups: dict[str, dict[str, Path]] = {}
    for path in _expand(paths):
        fmt = detect_format(path)
        if fmt is not None and fmt.startswith("ofac:"):
            _, family, role = fmt.split(":")
            groups.setdefault(family, {})[role] = path
    return _alias_gaps(groups)


def _alias_gaps(groups: dict[str, dict[str, Path]]) -> dict[str, str]:
    """By source, the message for each OFAC family whose main file came without aliases."""
    return {f"ofac-{family}": _no_aliases(family, group["main"])
            for family, group in groups.items() if "main" in group and "alt" not in group}


def _no_aliases(family: str, main: Path) -> str:
    """OFAC keeps the a.k.a. names in alt.csv: without it every alias is silently missing."""
    if family == "sdn":
        return (f"{main.name} loaded without alt.csv: the SDN aliases (a.k.a.) are missing; "
                "load alt.csv, add.csv and sdn_comments.csv with it")
    return (f"{main.name} loaded without cons_alt.csv: the non-SDN aliases (a.k.a.) are "
            "missing; load cons_alt.csv, cons_add.csv and cons_comments.csv with it")


def _unrecognised(path: Path) -> str:
    """Why ``path`` was not read: an OFAC file is known by its name, the others by content."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD).decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError:
        head = ""
    if head.lstrip()[:1].isdigit() and path.suffix.lower() == ".csv":
        return (f"{path}: the file name {path.name!r} is not an OFAC list file name, and OFAC's "
                "legacy CSV files are told apart by name alone (sdn.csv and cons_prim.csv both "
                f"have 12 columns): name it {ACCEPTED_NAMES}")
    return (f"{path}: unrecognised list format: its name is not an OFAC list file name "
            f"({ACCEPTED_NAMES}) and its content is not a BIS dpl.txt, CSL consolidated CSV/JSON, "
            "UN consolidated XML or MOFCOM cn.json")
