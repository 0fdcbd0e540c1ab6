"""``python -m exportcheck.screen.weights_build [PATH...]``: rebuild the word-weight table.

Without paths it reads the official list files of the shared data folder beside the repository
(the same files ``benchmarks/screening.py`` uses)."""

from __future__ import annotations

import sys
from pathlib import Path

from exportcheck.screen import weights

#: the list files the bundled table was learnt from, relative to the shared ``lists`` folder
DEFAULT_LISTS = ("ofac/sdn.csv", "ofac_2025-12/alt.csv", "ofac_2025-12/add.csv",
                 "ofac_cons", "bis/dpl.txt", "csl_2026-07/consolidated.csv",
                 "un/UN_consolidated.xml")


def default_paths() -> list[Path]:
    root = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "lists"
    return [root / p for p in DEFAULT_LISTS]


def build(paths: list[Path]) -> dict:
    from exportcheck.screen.parsers import load_paths

    lists = load_paths(paths)
    return weights.learn(e for pl in lists for e in pl.entries)


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv] or default_paths()
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        sys.exit(f"list file(s) not found: {', '.join(missing)}")
    table = build(paths)
    weights.write(table, [p.name if p.is_file() else p.name + "/" for p in paths])
    print(f"{len(table['factors'])} words weigh less than 1 among {table['organisations']} "
          f"organisations -> {weights.DATA_FILE}")


if __name__ == "__main__":
    main(sys.argv[1:])
