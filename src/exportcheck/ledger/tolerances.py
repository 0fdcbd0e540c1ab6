"""Shipping tolerances and default validity periods, read from ``data/tolerances.yaml``.

The numbers live in a data file with a citation and a confidence mark per entry so that a
compliance officer can review (and override) them without reading code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from exportcheck.errors import RuleDataError
from exportcheck.rules.loader import load_yaml

DATA_FILE = Path(__file__).with_name("data") / "tolerances.yaml"


@dataclass(frozen=True)
class Tolerance:
    """Fractions by which cumulative shipments may exceed a licence line's quantity / value."""

    quantity: Decimal
    value: Decimal
    citation: str
    note: str
    confidence: str


@cache
def _data() -> dict[str, Any]:
    try:
        data = load_yaml(DATA_FILE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleDataError(f"cannot read shipping tolerances {DATA_FILE}: {exc}") from exc
    for agency in ("bis", "ddtc"):
        if agency not in data or "validity" not in data[agency]:
            raise RuleDataError(f"{DATA_FILE}: section {agency!r} or its validity is missing")
    return data


def _tolerance(entry: dict[str, Any]) -> Tolerance:
    if not entry.get("citation"):
        raise RuleDataError(f"{DATA_FILE}: a tolerance entry lacks its citation: {entry}")
    return Tolerance(Decimal(str(entry["quantity"])), Decimal(str(entry["value"])),
                     entry["citation"], " ".join(str(entry.get("note", "")).split()),
                     entry.get("confidence", "mem"))


def tolerance_for(agency: str, kind: str, unit_basis: str) -> Tolerance:
    """Tolerance for one licence line: by ECCN unit basis (BIS) or by licence kind (DDTC)."""
    data = _data()
    if agency == "BIS":
        entry = data["bis"]["by_unit_basis"].get(unit_basis)
        if entry is None:
            raise RuleDataError(f"no BIS shipping tolerance for unit basis {unit_basis!r}")
    else:
        entry = data["ddtc"]["by_kind"].get(kind)
        if entry is None:
            raise RuleDataError(f"no DDTC shipping tolerance for licence kind {kind!r}")
    return _tolerance(entry)


def validity_years(agency: str) -> tuple[int, str]:
    """The regulatory validity period of a licence, in years, and its citation."""
    entry = _data()["bis" if agency == "BIS" else "ddtc"]["validity"]
    return int(entry["years"]), entry["citation"]


def default_valid_to(agency: str, valid_from: dt.date) -> tuple[dt.date, str]:
    """End of the regulatory validity period when the licence does not state one."""
    entry = _data()["bis" if agency == "BIS" else "ddtc"]["validity"]
    years = int(entry["years"])
    try:
        end = valid_from.replace(year=valid_from.year + years)
    except ValueError:  # 29 February
        end = valid_from.replace(year=valid_from.year + years, day=28)
    return end - dt.timedelta(days=1), entry["citation"]
