"""Synthetic order portfolios: deterministic, realistic in mix, and answerable by the engine."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from exportcheck import determine, determine_frame, load_ruleset
from exportcheck.errors import InvalidInput
from exportcheck.impact import portfolio
from exportcheck.impact.portfolio import COLUMNS, SCHEMA, generate
from exportcheck.screen.service import Screener

DATES = (date(2020, 6, 29), date(2026, 7, 23))
HK_CSV = Path(portfolio.__file__).resolve().parents[1] / "samples" / "hk_2020_portfolio.csv"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def big() -> pl.DataFrame:
    return generate(200_000)


@pytest.fixture(scope="module")
def sample() -> pl.DataFrame:
    return generate(20_000, seed=7)


def _clear_caches() -> None:
    for f in (portfolio._catalogue, portfolio._customers, portfolio._faker):
        f.cache_clear()


# --- shape and determinism -----------------------------------------------------------------


def test_same_seed_same_frame_different_seed_different() -> None:
    a = generate(5_000, seed=11)
    _clear_caches()  # rebuild catalogue, customers and Faker instances from scratch
    b = generate(5_000, seed=11)
    assert_frame_equal(a, b)
    c = generate(5_000, seed=12)
    assert not a.equals(c)
    assert set(a["customer"]) != set(c["customer"])


def test_columns_dtypes_and_row_count() -> None:
    df = generate(1_234, seed=3)
    assert df.height == 1_234
    assert df.columns == COLUMNS
    assert df.schema == pl.Schema(SCHEMA)
    assert dict(df.schema) == {
        "order_id": pl.String,
        "customer": pl.String,
        "item": pl.String,
        "destination": pl.String,
        "value": pl.Float64,
        "quantity": pl.Int64,
        "currency": pl.String,
        "end_user": pl.String,
        "end_user_type": pl.String,
        "end_use": pl.String,
    }
    assert df["order_id"][0] == "SO-0000001" and df["order_id"].n_unique() == df.height
    assert df.drop("end_use").null_count().sum_horizontal().item() == 0
    assert set(df["currency"]) == {"USD"}
    assert generate(1).height == 1


@pytest.mark.parametrize("bad", [0, -5, 50_000_001, 2.5, "10", True, None])
def test_bad_line_counts_are_refused(bad: object) -> None:
    with pytest.raises(InvalidInput, match="lines must be"):
        generate(bad)  # type: ignore[arg-type]


def test_bad_seed_is_refused() -> None:
    with pytest.raises(InvalidInput, match="seed must be"):
        generate(10, seed=-1)


# --- the mix ----------------------------------------------------------------------------------


def test_item_and_destination_shares(big: pl.DataFrame) -> None:
    item, dest = big["item"], big["destination"]
    ear99 = (item == "EAR99").mean()
    usml = item.str.starts_with("USML:").mean()
    hk_cn = dest.is_in(["HK", "CN"]).mean()
    assert 0.35 <= ear99 <= 0.45
    assert 0.015 <= usml <= 0.035
    assert 0.15 <= hk_cn <= 0.21
    assert (dest == "HK").mean() >= 0.06 and (dest == "CN").mean() >= 0.06
    # the whole CCL, not a handful of items, with the common ECCNs on top
    eccns = item.filter(~item.str.starts_with("USML:") & (item != "EAR99"))
    assert eccns.n_unique() > 400
    top = eccns.value_counts(sort=True)["item"].head(10).to_list()
    assert {"5A992.c", "5D992.c", "4A994", "3A991.b"} <= set(top)
    # real partners first, a long tail, and sanctioned destinations only in it
    counts = dest.value_counts(sort=True)
    assert counts["destination"].head(2).to_list() == ["CA", "MX"]
    assert dest.n_unique() > 150
    assert 0 < dest.is_in(["RU", "IR", "CU"]).mean() < 0.002
    assert "US" not in set(dest)
    # most lines are civil, and the customer is usually the end user
    assert (big["end_user_type"] == "civil").mean() > 0.8
    assert 0.05 < (big["end_user"] != big["customer"]).mean() < 0.25
    assert big["end_use"].null_count() / big.height > 0.5
    assert 0 < (big["end_use"] == "military").sum() / big.height < 0.03  # nulls: not in mean()


def test_values_are_positive_and_log_normal(big: pl.DataFrame) -> None:
    v = big["value"].to_numpy()
    assert (v > 0).all()
    assert np.array_equal(np.round(v, 2), v)  # cents
    median, mean = np.median(v), v.mean()
    assert 1_000 < median < 10_000
    assert mean > 2 * median  # right-skewed
    assert v.max() > 1_000_000
    logs = np.log(v)
    skew = ((logs - logs.mean()) ** 3).mean() / logs.std() ** 3
    assert abs(skew) < 0.3  # the logarithm is about symmetric
    assert 1.2 < logs.std() < 2.5
    q = big["quantity"]
    assert q.min() >= 1 and q.median() <= 5


def test_customers_are_a_skewed_pool_named_in_their_language(big: pl.DataFrame) -> None:
    per = big.group_by("customer").agg(pl.len(), pl.col("destination").n_unique().alias("d"))
    assert 1_800 <= per.height <= 2_000
    assert per["d"].max() == 1  # a customer ships to its own country
    counts = per["len"].sort(descending=True)
    assert counts[0] > 20 * counts.median()  # big customers order a lot
    names = big.select("customer", "destination").unique()

    def share(code: str, pattern: str) -> float:
        sel = names.filter(pl.col("destination") == code)["customer"]
        return sel.str.contains(pattern).mean()

    assert share("CN", r"[\u4e00-\u9fff]") > 0.8  # zh_CN
    assert share("JP", r"[\u3040-\u30ff\u4e00-\u9fff]") > 0.9  # ja_JP
    assert share("KR", r"[\uac00-\ud7af]") > 0.9  # ko_KR
    assert share("DE", r"GmbH|AG|KG|e\.V\.|[äöüß]|\w") > 0.9
    assert share("DE", r"GmbH|AG\b|KG") > 0.3  # de_DE
    hk = names.filter(pl.col("destination") == "HK")["customer"]
    assert 0.2 < hk.str.contains(r"[\u4e00-\u9fff]").mean() < 0.8  # Han script and English
    assert hk.str.contains("Limited|Ltd").mean() > 0.2


# --- the engine answers every line -----------------------------------------------------------


def test_every_item_and_destination_determines(sample: pl.DataFrame) -> None:
    pairs = sample.select("item", "destination").unique()
    frame = pl.concat([pairs.with_columns(pl.lit(on.isoformat()).alias("date")) for on in DATES])
    out = determine_frame(frame, ruleset=load_ruleset())
    assert out.height == 2 * pairs.height
    errors = out.filter(pl.col("error").is_not_null())
    assert errors.height == 0, errors.head(5).to_dicts()


def test_listed_parties_are_customers(sample: pl.DataFrame) -> None:
    screener = Screener.from_samples()
    users = sample.filter(pl.col("destination").is_in(["HK", "CN"]))
    pairs = users.select("end_user", "destination").unique()
    hit = {n for n, c in pairs.iter_rows() if screener.screen(n, country=c)}
    assert len(hit) >= 3  # 0.5 % of the 1,000 customers, at least 3
    assert hit <= set(sample["customer"])


# --- the bundled Hong Kong scenario ----------------------------------------------------------


def test_hong_kong_scenario_totals() -> None:
    df = pl.read_csv(HK_CSV)
    assert df.columns == [*COLUMNS, "status"]
    assert set(df["status"]) == {"shipped", "open"}
    defence = df.filter(pl.col("destination") == "HK", pl.col("item").str.starts_with("USML:"))
    assert defence["value"].sum() == 2_400_000
    assert defence.filter(pl.col("status") == "shipped")["value"].sum() == 1_400_000
    dual = df.filter(pl.col("destination") == "HK", ~pl.col("item").str.starts_with("USML:"))
    assert 25 <= dual.height <= 40
    assert dual["item"].str.contains("EAR99").any()
    assert dual["customer"].str.contains(HAN.pattern).any()
    assert {"CN", "SG", "DE", "GB"} <= set(df["destination"])
    assert df["order_id"].n_unique() == df.height


@pytest.mark.parametrize("on", [date(2020, 6, 29), date(2021, 1, 15)])
def test_hong_kong_scenario_determines(on: date) -> None:
    df = pl.read_csv(HK_CSV)
    rs = load_ruleset()
    for r in df.iter_rows(named=True):
        determine(
            r["item"],
            r["destination"],
            on,
            value=r["value"],
            quantity=r["quantity"],
            end_user=r["end_user"],
            end_user_type=r["end_user_type"],
            end_use=r["end_use"],
            ruleset=rs,
        )  # raises on any error


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_cli_writes_the_same_portfolio(
    suffix: str, tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    path = tmp_path / f"book{suffix}"
    code, out, err = cli(
        ["portfolio", "generate", "--lines", "3000", "--seed", "5", "-o", str(path)])
    assert code == 0, err
    expected = generate(3_000, seed=5)
    got = pl.read_parquet(path) if suffix == ".parquet" else pl.read_csv(path, schema=SCHEMA)
    assert_frame_equal(got, expected)
    assert out.count("\n") == 1
    m = re.fullmatch(
        r"3,000 lines → (.+) \(([\d,]+) customers, (\d+) destinations, \$([\d,.]+) total\)\n",
        out,
    )
    assert m, out
    assert m.group(1) == str(path)
    assert int(m.group(2).replace(",", "")) == expected["customer"].n_unique()
    assert int(m.group(3)) == expected["destination"].n_unique()
    assert float(m.group(4).replace(",", "")) == pytest.approx(expected["value"].sum(), abs=0.01)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--lines", "0", "-o", "{tmp}/x.csv"], "lines must be a positive number"),
        (["--lines", "-5", "-o", "{tmp}/x.csv"], "got -5"),
        (["--lines", "10", "-o", "{tmp}/out.txt"], "unsupported output format '.txt'"),
        (["--lines", "10", "-o", "/nonexistent/dir/x.csv"], "folder /nonexistent/dir does not"),
        (["--lines", "ten", "-o", "{tmp}/x.csv"], "'--lines'"),
        (["--lines", "10", "--seed", "-1", "-o", "{tmp}/x.csv"], "seed must be"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(
    args: list[str], needle: str, tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, out, err = cli(["portfolio", "generate", *args])
    assert code == 2
    assert err.startswith("error: ") and needle in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out == ""
    assert list(tmp_path.iterdir()) == []  # nothing written
