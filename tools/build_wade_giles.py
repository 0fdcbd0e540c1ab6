"""Build ``src/exportcheck/screen/data/wade_giles.json``: each Wade-Giles syllable (marks
dropped) and the pinyin syllables it spells, from pypinyin's own Wade-Giles style applied to
every pinyin syllable pypinyin knows (run by hand; the output is reviewed and committed, so that
screening a Latin name never has to load pypinyin's dictionary).

    .venv/bin/python tools/build_wade_giles.py
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from pypinyin import Style
from pypinyin.constants import PINYIN_DICT
from pypinyin.style import convert

from exportcheck.screen.wadegiles import DATA_FILE, plain


def build() -> dict:
    syllables = {p for v in PINYIN_DICT.values() for p in v.split(",")}
    wg: dict[str, set[str]] = defaultdict(set)
    pinyin: set[str] = set()
    for p in syllables:
        py = plain(convert(p, Style.NORMAL, strict=True))
        if not py:
            continue
        pinyin.add(py)
        if w := plain(convert(p, Style.WADEGILES, strict=True)):
            wg[w].add(py)
    import pypinyin

    return {"_source": f"pypinyin {pypinyin.__version__} Style.WADEGILES over every pinyin "
                       "syllable of its dictionary (tools/build_wade_giles.py)",
            "wade_giles": {k: sorted(v) for k, v in sorted(wg.items())},
            "pinyin": sorted(pinyin)}


if __name__ == "__main__":
    data = build()
    Path(DATA_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", "utf-8")
    print(f"{DATA_FILE}: {len(data['wade_giles'])} Wade-Giles syllables, "
          f"{len(data['pinyin'])} pinyin syllables")
