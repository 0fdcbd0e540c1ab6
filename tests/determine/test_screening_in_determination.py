"""The determination screens the end user against the bundled sample lists (real list rows)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from exportcheck import determine, determine_frame
from exportcheck.screen import Screener


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_samples()


def test_sdn_end_user_is_prohibited_by_ofac(screener: Screener) -> None:
    # Carrie Lam: SDN under EO 13936 (31 CFR 585); blocked whatever the item
    d = determine("EAR99", "HK", date(2024, 1, 1), end_user="LAM, Carrie", screener=screener)
    assert d.outcome.value == "PROHIBITED" and d.agency.value == "OFAC"
    assert "SDN" in d.reasons
    assert d.lists_version == screener.version
    assert any(h.list == "SDN" for h in d.screening_hits)


def test_entity_list_end_user_needs_a_licence_with_the_entrys_policy(screener: Screener) -> None:
    # 744.11: the entry's own licence requirement and review policy; no licence exceptions
    d = determine(
        "9A610.x",
        "HK",
        date(2020, 6, 29),
        value=100,
        end_user="Centre Bright Electronics Company Limited",
        screener=screener,
    )
    assert d.outcome.value == "LICENSE_REQUIRED" and "EL" in d.reasons
    assert "presumption of denial" in d.review_policy.lower()
    assert d.license_exceptions == []  # LVS would otherwise cover this line (see cases.csv)


def test_unlisted_end_user_changes_nothing(screener: Screener) -> None:
    plain = determine("3A001.a.2", "HK", date(2020, 6, 29), value=100)
    screened = determine(
        "3A001.a.2",
        "HK",
        date(2020, 6, 29),
        value=100,
        end_user="Kowloon Avionics Ltd",
        screener=screener,
    )
    assert (plain.outcome, plain.reasons) == (screened.outcome, screened.reasons)
    assert screened.screening_hits == []


def test_batch_screens_each_name_once_and_matches_the_scalar_path(screener: Screener) -> None:
    lines = pl.DataFrame(
        {
            "item": ["EAR99", "EAR99", "3A991", "3A991"],
            "destination": ["HK", "HK", "CN", "CN"],
            "date": ["2024-01-01"] * 4,
            "end_user": [
                "LAM, Carrie",
                "Kowloon Avionics Ltd",
                "Huawei Technologies Co., Ltd.",
                None,
            ],
        }
    )
    out = determine_frame(lines, screener=screener)
    assert out["outcome"].to_list() == ["PROHIBITED", "NLR", "LICENSE_REQUIRED", "NLR"]
    assert out["end_user"].to_list() == lines["end_user"].to_list()
    for row in out.iter_rows(named=True):
        d = determine(
            row["item"],
            row["destination"],
            date(2024, 1, 1),
            end_user=row["end_user"],
            screener=screener,
        )
        assert d.outcome.value == row["outcome"]
