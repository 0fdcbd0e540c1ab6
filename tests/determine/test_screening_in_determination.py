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


class _Counting:
    """A screener that counts the names it is asked to screen."""

    def __init__(self, inner: Screener) -> None:
        self.inner, self.version, self.calls = inner, inner.version, 0
        self.lists_date = inner.lists_date

    def screen(self, name: str, **kw: str | None) -> list:
        self.calls += 1
        return self.inner.screen(name, **kw)


def test_signatures_shared_by_two_frames_screen_each_party_once(screener: Screener) -> None:
    """A Dask worker shares ``signatures`` between the partitions of a file: the second frame
    screens only the parties the first did not, and both answer as without it."""
    names = ["LAM, Carrie", "Kowloon Avionics Ltd", "Huawei Technologies Co., Ltd.", "Acme GmbH"]

    def frame(order: list[str]) -> pl.DataFrame:
        return pl.DataFrame({"item": ["3A991"] * len(order), "destination": ["HK"] * len(order),
                             "date": ["2024-01-01"] * len(order), "end_user": order})

    first, second = frame(names[:3]), frame([names[2], names[3], names[0]])
    counting, signatures = _Counting(screener), {}
    assert determine_frame(first, screener=counting, signatures=signatures).equals(
        determine_frame(first, screener=screener))
    assert set(signatures) == {(n, "HK") for n in names[:3]}
    calls = counting.calls
    assert determine_frame(second, screener=counting, signatures=signatures).equals(
        determine_frame(second, screener=screener))
    assert counting.calls - calls == 1  # "Acme GmbH" only: the others' hits were kept too
    assert set(signatures) == {(n, "HK") for n in names}


def test_party_hits_name_what_each_party_matched(screener: Screener) -> None:
    """Two end users that match the same UN entry, one by its name and one by its alias, with
    the same score, share a screening result but not their party_hits: each line names the
    name it matched ('YUN HO-JIN', alias 'Yun Ho-chin'), as the scalar path does."""
    names = ["YUN HO-JIN", "Yun Ho-chin"]
    lines = pl.DataFrame({"item": ["EAR99"] * 2, "destination": ["CN"] * 2,
                          "date": ["2024-01-01"] * 2, "end_user": names})
    got = determine_frame(lines, screener=screener)["party_hits"].to_list()
    for cell, name in zip(got, names, strict=True):
        d = determine("EAR99", "CN", date(2024, 1, 1), end_user=name, screener=screener)
        assert [h.matched_name for h in d.screening_hits] == [name]
        assert f"end user: UN KPi.001 {name!r}" in cell
