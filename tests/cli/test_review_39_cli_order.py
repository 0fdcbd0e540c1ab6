"""Review 39, command line: a refused input says only its one-line error.

``batch`` and ``impact`` loaded the lists (and warned they are the bundled samples), or
started a cluster, before they saw that a required column was missing; and ``impact`` wrote
its chart cache into the data folder, creating the folder on a run that stores nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import exportcheck

Cli = Callable[[list[str]], tuple[int, str, str]]
HK_CSV = Path(exportcheck.__file__).resolve().parent / "samples" / "hk_2020_portfolio.csv"
DATES = ["--from", "2020-06-29", "--to", "2021-01-15"]


@pytest.fixture(autouse=True)
def _fresh_default_screener() -> Iterator[None]:
    """The lists are loaded once per process: each test loads them (and warns) anew."""
    from exportcheck.screen.service import reset_default_screener

    reset_default_screener()
    yield
    reset_default_screener()


def _orders(tmp_path: Path, header: str) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(f"{header}\n" + ",".join(["EAR99", "DE", "Acme GmbH"][:header.count(",") + 1])
                    + "\n", encoding="utf-8")
    return path


def _only_error(err: str, message: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), err


def test_batch_without_a_date_column_says_only_that(cli: Cli, tmp_path: Path) -> None:
    orders = _orders(tmp_path, "item,destination,end_user")
    code, _, err = cli(["batch", str(orders), "-o", str(tmp_path / "out.csv")])
    assert code == 2
    _only_error(err, "order lines need a 'date' column")
    assert not (tmp_path / "out.csv").exists()


def test_impact_without_a_destination_column_says_only_that(cli: Cli, tmp_path: Path) -> None:
    orders = _orders(tmp_path, "item,end_user")
    code, _, err = cli(["impact", str(orders), *DATES, "-o", str(tmp_path / "impact")])
    assert code == 2
    _only_error(err, "order lines need a 'destination' column")
    assert not (tmp_path / "impact").exists()


@pytest.fixture
def no_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cluster that cannot start: a command that tries says so instead of its own error."""
    import exportcheck.scale as scale

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a cluster was started")

    monkeypatch.setattr(scale, "connect", refuse)


@pytest.mark.usefixtures("no_cluster")
def test_batch_on_dask_refuses_the_file_before_a_cluster_starts(cli: Cli,
                                                                 tmp_path: Path) -> None:
    orders = _orders(tmp_path, "item,destination,end_user")
    code, _, err = cli(["batch", str(orders), "-o", str(tmp_path / "out.csv"), "--dask"])
    assert code == 2
    _only_error(err, "order lines need a 'date' column")


@pytest.mark.usefixtures("no_cluster")
def test_impact_on_dask_refuses_the_file_before_a_cluster_starts(cli: Cli,
                                                                  tmp_path: Path) -> None:
    orders = _orders(tmp_path, "item,end_user")
    code, _, err = cli(["impact", str(orders), *DATES, "-o", str(tmp_path / "impact"),
                        "--dask"])
    assert code == 2
    _only_error(err, "order lines need a 'destination' column")


def test_impact_leaves_no_data_folder_behind(cli: Cli, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from exportcheck.impact import charts

    data = tmp_path / "no-data-yet"
    monkeypatch.setenv("EXPORTCHECK_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    charts.vega_bundle.cache_clear()  # kept per process: this run must build and store it
    code, _, err = cli(["impact", str(HK_CSV), *DATES, "-o", str(tmp_path / "impact")])
    assert code == 0, err
    assert (tmp_path / "impact" / "report.html").is_file()
    assert not data.exists()
    assert list((tmp_path / "xdg" / "exportcheck").glob("vega-bundle-*.js"))
