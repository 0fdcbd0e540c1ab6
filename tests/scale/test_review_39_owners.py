"""Review 39, Dask: the ``--owners`` file is read once by the client (the CLI read it to check
it, then the run read it again to build the workers' spec), with the same errors as before;
and ``batch``, ``impact`` and ``screen-batch`` on a cluster with no database at the configured
place screen against the bundled samples, as an empty one gives, without creating it (the
client made the data directory and migrated a new database to stamp it)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from exportcheck.screen import ownership

Cli = Callable[[list[str]], tuple[int, str, str]]
SAMPLES_WARNING = "warning: screened against the bundled SAMPLE lists"


@pytest.fixture(autouse=True)
def _fresh_default_screener() -> None:
    from exportcheck.screen.service import reset_default_screener

    reset_default_screener()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The owners files this (the client's) process reads; the workers are processes of
    their own."""
    seen: list[Path] = []
    real = ownership.owners_file_bytes

    def counting(path: str | Path) -> bytes:
        seen.append(Path(path))
        return real(path)

    monkeypatch.setattr(ownership, "owners_file_bytes", counting)
    return seen


@pytest.fixture
def missing_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "db-folder"
    monkeypatch.setenv("EXPORTCHECK_DATABASE_URL", f"sqlite:///{folder / 'exportcheck.db'}")
    return folder


def _owners(tmp_path: Path) -> Path:
    """The end user 60% owned by an SDN of the sample lists: its lines are held."""
    path = tmp_path / "owners.csv"
    path.write_text('owner,owned,percent\n"Banco Nacional de Cuba",Acme Holdings HK,60\n')
    return path


def _orders(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text("order_id,item,destination,date,end_user,value\n" + "".join(
        f"SO-{i},EAR99,HK,2021-01-15,{'Acme Holdings HK' if i % 2 else 'Jane Doe'},{i}\n"
        for i in range(1, 9)))
    return path


def _ok(cli: Cli, args: list[str]) -> str:
    code, out, err = cli(args)
    assert code == 0, err
    assert SAMPLES_WARNING in err
    return out


def test_batch_on_dask_reads_the_owners_file_once_and_creates_no_database(
        cli: Cli, dask_args: list[str], reads: list[Path], missing_db: Path,
        tmp_path: Path) -> None:
    orders, owners = _orders(tmp_path), _owners(tmp_path)
    base = ["batch", str(orders), "--owners", str(owners)]
    out = _ok(cli, [*base, "-o", str(tmp_path / "dask.csv"), *dask_args,
                    "--partition-rows", "3"])
    assert reads == [owners]
    assert "HOLD: 4 line(s) held for review" in out
    assert not missing_db.exists()
    _ok(cli, [*base, "-o", str(tmp_path / "one.csv")])
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()
    assert not missing_db.exists()


def test_impact_on_dask_reads_the_owners_file_once_and_creates_no_database(
        cli: Cli, dask_args: list[str], reads: list[Path], missing_db: Path,
        tmp_path: Path) -> None:
    orders, owners = _orders(tmp_path), _owners(tmp_path)
    base = ["impact", str(orders), "--from", "2020-06-29", "--to", "2021-01-15", "--owners",
            str(owners)]
    _ok(cli, [*base, "-o", str(tmp_path / "dask"), *dask_args, "--partition-rows", "3"])
    assert reads == [owners]
    assert not missing_db.exists()
    _ok(cli, [*base, "-o", str(tmp_path / "one")])
    dask, one = (json.loads((tmp_path / d / "summary.json").read_text())
                 for d in ("dask", "one"))
    assert dask == one and dask["totals"]["held_lines"] == 4


@pytest.mark.parametrize("command", ["batch", "impact"])
def test_a_bad_owners_file_on_dask_fails_as_in_one_process(
        cli: Cli, dask_args: list[str], command: str, tmp_path: Path) -> None:
    owners = tmp_path / "owners.csv"
    owners.write_text("owner,owned,percent\nKestrel Peak,Acme Holdings HK,150\n")
    args = [command, str(_orders(tmp_path)), "--owners", str(owners)]
    if command == "impact":
        args += ["--from", "2020-06-29", "--to", "2021-01-15"]
    suffix = ".csv" if command == "batch" else ""
    one = cli([*args, "-o", str(tmp_path / f"one{suffix}")])
    dask = cli([*args, "-o", str(tmp_path / f"dask{suffix}"), *dask_args])
    assert one[0] == dask[0] == 2
    assert "150" in one[2] and one[2] == dask[2]


def test_screen_batch_on_dask_creates_no_database(
        cli: Cli, dask_args: list[str], missing_db: Path, tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_text("name,country\nHuawei Technologies,CN\nJane Doe,DE\n")
    base = ["screen-batch", str(parties), "--name-column", "name"]
    _ok(cli, [*base, "-o", str(tmp_path / "dask.csv"), *dask_args])
    assert not missing_db.exists()
    _ok(cli, [*base, "-o", str(tmp_path / "one.csv")])
    written = (tmp_path / "dask.csv").read_bytes()
    assert written == (tmp_path / "one.csv").read_bytes() and b"Huawei" in written
