"""Review 29, an engineer running nightly batches on Dask and one process: files that came
back empty without an error.

The module's cluster (``client`` in conftest) is reached through ``--scheduler``.
"""

from __future__ import annotations

import contextlib
import resource
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.scale.test_dask import Cli

IMPACT = ["--from", "2020-06-29", "--to", "2021-01-15"]
ORDERS = ("item,destination,date,end_user\r" + "3A991,HK,2021-01-15,Acme Ltd\r" * 20
          + "3A001.a.2,HK,2020-07-15,Carrie Lam\r")
NAMES = "id,name\r" + "1,Acme Ltd\r" * 20 + "2,Carrie Lam\r"


def _command(command: str, src: Path, tmp_path: Path) -> list[str]:
    if command == "batch":
        return ["batch", str(src), "-o", str(tmp_path / "o.csv")]
    if command == "impact":
        return ["impact", str(src), *IMPACT, "-o", str(tmp_path / "imp")]
    return ["screen-batch", str(src), "--name-column", "name", "-o", str(tmp_path / "o.csv")]


@pytest.mark.parametrize("command", ["batch", "screen-batch", "impact"])
def test_a_file_whose_lines_end_in_a_carriage_return_alone_is_refused(
        cli: Cli, dask_args: list[str], tmp_path: Path, command: str) -> None:
    """Lines ended by CR alone (classic Mac OS, some ERP exports) read as one header line:
    ``batch`` wrote "0 lines → o.csv ()" and ``screen-batch`` "0 rows screened, 0 with a
    hit", exit 0, in one process and on Dask alike: 21 parties never screened, unsaid."""
    src = tmp_path / "in.csv"
    src.write_bytes((NAMES if command == "screen-batch" else ORDERS).encode())
    args = _command(command, src, tmp_path)
    one, many = cli(args), cli([*args, *dask_args, "--partition-rows", "7"])
    for code, _, err in (one, many):
        last = [ln for ln in err.splitlines() if not ln.startswith("warning: ")]
        assert code == 2, err
        assert len(last) == 1 and last[0].startswith(f"error: cannot read {src}: "), err
        assert "carriage return alone" in last[0] and "CRLF" in last[0]
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "imp").exists()


def test_crlf_and_a_quoted_carriage_return_are_still_read(cli: Cli, tmp_path: Path) -> None:
    """Windows line ends, and a CR inside a quoted value, are ordinary CSV."""
    src = tmp_path / "in.csv"
    src.write_bytes(b'item,destination,date,"end\ruser"\r\n3A991,HK,2021-01-15,"Acme\r Ltd"\r\n'
                    b"EAR99,DE,2024-01-01,Beta\r\n")
    args = ["batch", str(src), "-o", str(tmp_path / "o.csv"), "--no-screen"]
    code, out, err = cli(args)
    assert code == 0, err
    assert "2 lines" in out


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:  # in the child: a write past the limit fails with EFBIG (disk full)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.parametrize("command", ["batch", "screen-batch"])
def test_a_write_that_fails_half_way_leaves_the_earlier_output_whole(
        cli: Cli, tmp_path: Path, command: str) -> None:
    """One process wrote its result in place: a disk that filled half way (here a file-size
    limit) left last night's results cut to the first half, a truncated last row and all,
    where Dask leaves an earlier output as it was; screen-batch's failure was a traceback."""
    rows = [f"{n},3A991,HK,2021-01-15,Acme Trading {n} Ltd,1200" for n in range(3000)]
    src = tmp_path / "orders.csv"
    src.write_text("id,item,destination,date,end_user,value\n" + "\n".join(rows) + "\n")
    out = tmp_path / "results.csv"
    args = (["batch", str(src), "-o", str(out), "--no-screen"] if command == "batch" else
            ["screen-batch", str(src), "--name-column", "end_user", "-o", str(out),
             "--workers", "1"])
    code, _, err = cli(args)
    assert code == 0, err
    whole = out.read_bytes()
    run = subprocess.run([sys.executable, "-m", "exportcheck", *args], capture_output=True,
                         text=True, preexec_fn=_file_size_limit(len(whole) // 2), timeout=300)
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith(f"error: cannot write {out}: "), \
        run.stderr
    assert "Traceback" not in run.stderr
    assert out.read_bytes() == whole
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "orders.csv", "results.csv"]


def test_screen_batch_says_how_many_rows_were_not_screened(
        cli: Cli, dask_args: list[str], tmp_path: Path) -> None:
    """A row with an unknown country, a date of birth that is none or no name is not screened
    at all (its ``error`` says why), yet both paths summed up "40 rows screened, 0 with a hit":
    a nightly log read all clear of Carrie Lam, whose row was never looked at."""
    src = tmp_path / "names.csv"
    src.write_text("id,name,country,dob\n" + "".join(f"{n},Acme Trading {n},GB,\n"
                                                      for n in range(37))
                   + "37,Carrie Lam,ZZ,\n38,,HK,\n39,LAM Cheng Yuet-ngor,HK,1957-13-01\n")
    args = ["screen-batch", str(src), "--name-column", "name", "--country-column", "country",
            "--dob-column", "dob"]
    for extra in ([], [*dask_args, "--partition-rows", "9"]):
        code, out, err = cli([*args, "-o", str(tmp_path / "o.csv"), *extra])
        assert code == 0, err
        assert "40 rows screened, 0 with a hit; ERROR: 3 row(s) not screened (column error)" \
            in " ".join(out.split()), out


@contextlib.contextmanager
def _port_8787_taken() -> Iterator[None]:
    """Port 8787, Dask's dashboard port, held as another cluster on the machine holds it
    (left as it is if something holds it already)."""
    with socket.socket() as sock:
        with contextlib.suppress(OSError):
            sock.bind(("0.0.0.0", 8787))
            sock.listen()
        yield


def test_impact_of_an_empty_order_file_on_dask_is_one_line(tmp_path: Path) -> None:
    """One process said "error: the order file has no lines"; on Dask a worker raised it, so
    the terminal first showed distributed's "Compute Failed" log with its traceback. And with
    another cluster on the machine (a second nightly run), every ``--dask`` run began with
    Dask's "UserWarning: Port 8787 is already in use. Perhaps you already have a cluster
    running?", though exportcheck starts no dashboard."""
    src = tmp_path / "orders.csv"
    src.write_text("item,destination,value\n")
    with _port_8787_taken():
        run = subprocess.run([sys.executable, "-m", "exportcheck", "impact", str(src), *IMPACT,
                              "-o", str(tmp_path / "imp"), "--dask"],
                             capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip().splitlines() == ["error: the order file has no lines"], run.stderr
    assert not (tmp_path / "imp").exists()


@pytest.mark.parametrize("command", ["batch", "impact"])
def test_several_unnamed_columns_are_named_for_what_they_are(
        cli: Cli, dask_args: list[str], tmp_path: Path, command: str) -> None:
    """A spreadsheet's stray empty columns ("item,destination,date,,") were refused as
    "the column '_duplicated_0' is exportcheck batch's own output (is this file the result of
    an earlier batch or impact run?)": the reader's name for the second unnamed column."""
    src = tmp_path / "in.csv"
    src.write_text("item,destination,date,value,,\nEAR99,DE,2024-01-01,5,,\n")
    args = [*_command(command, src, tmp_path), "--no-screen"]
    for extra in ([], [*dask_args, "--partition-rows", "7"]):
        code, _, err = cli([*args, *extra])
        assert code == 2, err
        assert err.splitlines()[-1] == (
            f"error: order file {src}: columns 5 and 6 of the header have no name (two unnamed "
            "columns cannot be told apart): name them, or delete them if they are empty")
    src.write_text("item,destination,date,value,\nEAR99,DE,2024-01-01,5,\n")  # one: as before
    assert cli(args)[0] == 0
