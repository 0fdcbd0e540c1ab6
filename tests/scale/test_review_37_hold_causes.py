"""On Dask as in one process (review 37): a line held for review on the new date only (a party
listed between the dates) gets the cause naming the entry that holds it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

Cli = Callable[[list[str]], tuple[int, str, str]]
AASPT = "Academy of Aerospace Solid Propulsion Technology (AASPT)"


def test_a_newly_held_line_has_its_cause_on_dask(cli: Cli, dask_args: list[str],
                                                 tmp_path: Path) -> None:
    src = tmp_path / "orders.csv"
    pl.DataFrame({"order_id": [f"SO-{i}" for i in range(6)],
                  "item": ["USML:I(a)", "3A001.a.2", "EAR99"] * 2,
                  "destination": ["CN", "HK", "DE"] * 2,
                  "value": ["5000", "1200", "90"] * 2,
                  "end_user": [AASPT, "Kowloon Avionics Ltd", "Rhein GmbH"] * 2}).write_csv(src)
    base = ["impact", str(src), "--from", "2020-06-29", "--to", "2021-01-15"]
    code, _, err = cli([*base, "-o", str(tmp_path / "one")])
    assert code == 0, err
    code, _, err = cli([*base, "-o", str(tmp_path / "many"), *dask_args,
                        "--partition-rows", "2"])
    assert code == 0, err
    one, many = (pl.read_parquet(tmp_path / d / "lines.parquet") for d in ("one", "many"))
    assert one.equals(many)
    held = many.filter(pl.col("new_hold") & ~pl.col("old_hold"))
    assert held["order_id"].to_list() == ["SO-0", "SO-3"]
    assert all(c.startswith("now held for review: end user") and "85 FR 83799" in c
               for c in held["cause"])
