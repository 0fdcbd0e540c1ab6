"""The Dask paths of ``screen-batch``, ``batch`` and ``impact`` give the single-process output.

One LocalCluster of 2 worker processes serves the module; the commands reach it through
``--scheduler`` (and once through ``EXPORTCHECK_DASK_SCHEDULER``). Partitions are made small so
that every input spans several of them and order has to be restored.
"""

from __future__ import annotations

import json
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from distributed import Client

from exportcheck.impact.portfolio import generate
from exportcheck.scale import workers
from exportcheck.screen.service import SAMPLES_DIR

Cli = Callable[[list[str]], tuple[int, str, str]]
NAMES = ["Carrie Lam", "陳大文", "", "Huawei Technologies", "Nobody In Particular",
         "KIM JONG UN", "习近平", "华为技术有限公司", "x" * 600, "Maria Schmidt", "李家超",
         "Rosoboronexport", "   ", "Wang Wei"]


def _names_csv(path: Path, n: int = 300) -> Path:
    rows = [NAMES[i % len(NAMES)] + (f" {i}" if i % 5 == 4 else "") for i in range(n)]
    countries = [["CN", "HK", None, "RU", "DE"][i % 5] for i in range(n)]
    pl.DataFrame({"id": [f"p{i}" for i in range(n)], "name": rows,
                  "country": countries}).write_csv(path)
    return path


def _orders(n: int = 300) -> pl.DataFrame:
    """A portfolio with errors: unknown items, bad dates, values that are not numbers."""
    df = generate(n, seed=5).with_columns(
        pl.lit("2021-01-15").alias("date"), pl.col("value").cast(pl.Utf8))
    i = pl.int_range(pl.len())
    return df.with_columns(
        pl.when(i % 41 == 7).then(pl.lit("9Z999")).otherwise(pl.col("item")).alias("item"),
        pl.when(i % 53 == 3).then(pl.lit("2021-02-30")).otherwise(pl.col("date")).alias("date"),
        pl.when(i % 47 == 5).then(pl.lit("lots")).otherwise(pl.col("value")).alias("value"),
        pl.when(i % 9 == 2).then(pl.lit("陳大文")).when(i % 31 == 1).then(pl.lit("Carrie Lam"))
        .otherwise(pl.col("end_user")).alias("end_user"),
    )


def _loads(client: Client) -> dict[str, int]:
    return {w: c.get("screener", 0) for w, c in client.run(workers.load_counts).items()}


def test_screen_batch_equals_single_process(cli: Cli, dask_args: list[str],
                                            tmp_path: Path) -> None:
    src = _names_csv(tmp_path / "names.csv")
    base = ["screen-batch", str(src), "--name-column", "name", "--country-column", "country"]
    code, _, err = cli([*base, "-o", str(tmp_path / "one.csv")])
    assert code == 0, err
    code, out, err = cli([*base, "-o", str(tmp_path / "dask.csv"), *dask_args,
                          "--partition-rows", "37"])
    assert code == 0, err
    assert "300 rows screened" in out
    one, many = (tmp_path / "one.csv").read_bytes(), (tmp_path / "dask.csv").read_bytes()
    assert one == many
    result = pl.read_csv(tmp_path / "dask.csv")
    assert result["row"].to_list() == list(range(1, 301))
    assert (result["error"].fill_null("") != "").sum() > 0  # empty and overlong names
    assert (result["hit_count"] > 0).sum() > 0


def test_screen_parquet_row_groups_keep_order(cli: Cli, dask_args: list[str],
                                              tmp_path: Path) -> None:
    src = tmp_path / "names.parquet"
    pl.read_csv(_names_csv(tmp_path / "names.csv"), infer_schema_length=0).write_parquet(
        src, row_group_size=20)
    base = ["screen-batch", str(src), "--name-column", "name"]
    assert cli([*base, "-o", str(tmp_path / "one.parquet")])[0] == 0
    code, _, err = cli([*base, "-o", str(tmp_path / "dask.parquet"), *dask_args,
                        "--partition-rows", "50"])
    assert code == 0, err
    one, many = (pl.read_parquet(tmp_path / f) for f in ("one.parquet", "dask.parquet"))
    assert one.equals(many)
    assert many["name"].to_list() == pl.read_parquet(src)["name"].fill_null("").to_list()


def test_batch_equals_single_process(client: Client, cli: Cli, dask_args: list[str],
                                     tmp_path: Path) -> None:
    """Twice, from CSV then Parquet: the second run answers from the keys the workers decided
    in the first (same rules, lists and owners), and still equals the single process."""
    orders = _orders()
    orders.write_csv(tmp_path / "orders.csv")
    orders.write_parquet(tmp_path / "orders.parquet", row_group_size=30)
    for fmt in ("csv", "parquet"):
        src = str(tmp_path / f"orders.{fmt}")
        code, one_out, err = cli(["batch", src, "-o", str(tmp_path / f"one.{fmt}")])
        assert code == 0, err
        code, out, err = cli(["batch", src, "-o", str(tmp_path / f"dask.{fmt}"), *dask_args,
                              "--partition-rows", "45"])
        assert code == 0, err
        assert out == one_out.replace("one.", "dask.")  # the same counts line
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "dask.csv").read_bytes()
    one, many = (pl.read_parquet(tmp_path / f) for f in ("one.parquet", "dask.parquet"))
    assert one.equals(many)
    assert many["order_id"].to_list() == orders["order_id"].to_list()
    assert many["error"].drop_nulls().len() >= 10
    memos = client.run(lambda: sum(len(v) for k, v in workers._cache.items()
                                   if isinstance(k, tuple) and k[0] == "decided"))
    assert sum(memos.values()) > 50


def test_impact_equals_single_process(cli: Cli, dask_args: list[str], tmp_path: Path) -> None:
    src = tmp_path / "orders.csv"
    _orders().with_columns(
        pl.when(pl.int_range(pl.len()) % 4 == 0).then(pl.lit("EUR")).otherwise(
            pl.col("currency")).alias("currency")).write_csv(src)
    base = ["impact", str(src), "--from", "2020-06-29", "--to", "2021-01-15",
            "--rate", "EUR=1.08"]
    code, one_out, err = cli([*base, "-o", str(tmp_path / "one")])
    assert code == 0, err
    code, out, err = cli([*base, "-o", str(tmp_path / "many"), *dask_args,
                          "--partition-rows", "40"])
    assert code == 0, err
    assert out == one_out.replace("/one/", "/many/")
    one, many = (pl.read_parquet(tmp_path / d / "lines.parquet") for d in ("one", "many"))
    assert one.equals(many)
    assert many["changed"].sum() > 0 and many["error"].drop_nulls().len() > 0
    assert many["line"].to_list() == list(range(1, 301))
    summaries = [json.loads((tmp_path / d / "summary.json").read_text()) for d in ("one", "many")]
    assert summaries[0] == summaries[1]
    assert (tmp_path / "one" / "report.html").read_text() == (
        tmp_path / "many" / "report.html").read_text()


def test_index_loaded_once_per_worker(client: Client, cli: Cli, dask_args: list[str],
                                      tmp_path: Path) -> None:
    lists = shutil.copytree(SAMPLES_DIR, tmp_path / "lists")  # a spec no worker has seen
    src = _names_csv(tmp_path / "names.csv", 400)
    before = _loads(client)
    code, _, err = cli(["screen-batch", str(src), "--name-column", "name", "--lists-from",
                        str(lists), "-o", str(tmp_path / "out.csv"), *dask_args,
                        "--partition-rows", "25"])  # 16 partitions
    assert code == 0, err
    grown = {w: n - before.get(w, 0) for w, n in _loads(client).items()}
    assert all(g <= 1 for g in grown.values()), grown
    assert sum(grown.values()) >= 1
    # what a task carries instead of the index
    spec = workers.paths_screener_spec([lists])
    assert len(pickle.dumps(spec)) < 1_000


def test_scheduler_from_environment(client: Client, cli: Cli, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    lists = shutil.copytree(SAMPLES_DIR, tmp_path / "lists")
    src = _names_csv(tmp_path / "names.csv", 60)
    base = ["screen-batch", str(src), "--name-column", "name", "--lists-from", str(lists)]
    assert cli([*base, "-o", str(tmp_path / "one.csv")])[0] == 0
    before = _loads(client)
    monkeypatch.setenv("EXPORTCHECK_DASK_SCHEDULER", client.scheduler.address)
    code, _, err = cli([*base, "-o", str(tmp_path / "env.csv")])
    assert code == 0, err
    assert sum(_loads(client).values()) > sum(before.values())  # the workers screened it
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "env.csv").read_bytes()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--dask", "--scheduler", "tcp://127.0.0.1:9"], "not both"),
        (["--dask", "--workers", "2"], "--workers is for one machine"),
        (["--partition-rows", "10"], "--partition-rows needs --dask or --scheduler"),
        (["--scheduler", "tcp://127.0.0.1:9"], "cannot reach the Dask scheduler at "
                                               "tcp://127.0.0.1:9"),
    ],
)
def test_bad_options_fail_clearly(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  extra: list[str], message: str) -> None:
    monkeypatch.setattr("exportcheck.scale.cluster.CONNECT_TIMEOUT", 2)
    src = _names_csv(tmp_path / "names.csv", 5)
    code, _, err = cli(["screen-batch", str(src), "--name-column", "name", "-o",
                        str(tmp_path / "o.csv"), *extra])
    assert code == 2
    assert message in " ".join(err.split())
    assert not (tmp_path / "o.csv").exists()


# -- review 17 -------------------------------------------------------------------------------
def _review17_orders(path: Path) -> Path:
    """Headers in other cases, an SDN end user, an unknown destination, formula-like cells."""
    rows = []
    for i in range(60):
        dest = "XX" if i % 7 == 3 else "HK"
        party = '"LAM, Carrie"' if i % 5 == 0 else "@Acme"
        value = -5 if i % 11 == 2 else 100
        kind = "military" if i % 2 else "civil"
        rows.append(f"=SO-{i},EAR99,{dest},2024-01-01,{party},{value},{kind}\n")
    path.write_text("Order ID,Item,Destination,Date,END_USER,Value,End User Type\n"
                    + "".join(rows), encoding="utf-8")
    return path


def test_batch_on_dask_reads_headers_in_any_case_and_keeps_row_errors(
        cli: Cli, dask_args: list[str], tmp_path: Path) -> None:
    """END_USER/Value were ignored on Dask too, and with screening on an unknown destination
    stopped the run; the CSV cells a spreadsheet would run are neutralised as in one process."""
    src = str(_review17_orders(tmp_path / "orders.csv"))
    code, one_out, err = cli(["batch", src, "-o", str(tmp_path / "one.csv")])
    assert code == 0, err
    code, out, err = cli(["batch", src, "-o", str(tmp_path / "dask.csv"), *dask_args,
                          "--partition-rows", "9"])
    assert code == 0, err
    assert out == one_out.replace("one.", "dask.")
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "dask.csv").read_bytes()
    got = pl.read_csv(tmp_path / "dask.csv", infer_schema_length=0)
    assert got["outcome"][0] == "PROHIBITED" and got["end_user"][1] == "'@Acme"
    assert "unknown destination 'XX'" in got["error"][3]
    assert got["Order ID"][0] == "'=SO-0" and got["value"][2] == "-5"


def test_batch_facts_on_dask_equal_one_process(cli: Cli, dask_args: list[str],
                                               tmp_path: Path) -> None:
    """The fact columns (headquarters, NAC notification, conditions met) reach the Dask
    workers: the same answers and line errors as in one process, across partitions."""
    src = tmp_path / "facts.csv"
    src.write_text(
        "item,destination,date,Headquarters,NAC Notified,conditions_met\n"
        + "3A090.a,VN,2024-06-15,,,\n3A090.a,VN,2024-06-15,vn,,ACA\n"
        + "3A090.a,CN,2024-06-01,,2024-04-01,NAC\n3A090.a,CN,2024-06-01,,2024-05-20,NAC\n"
        + "3A090.a,VN,2024-06-15,XX,,\n" * 2, encoding="utf-8")
    code, _, err = cli(["batch", str(src), "-o", str(tmp_path / "one.csv")])
    assert code == 0, err
    code, _, err = cli(["batch", str(src), "-o", str(tmp_path / "dask.csv"), *dask_args,
                        "--partition-rows", "2"])
    assert code == 0, err
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "dask.csv").read_bytes()
    got = pl.read_csv(tmp_path / "dask.csv", infer_schema_length=0)
    assert got["outcome"].to_list()[:4] == ["LICENSE_REQUIRED", "EXCEPTION_AVAILABLE",
                                            "EXCEPTION_AVAILABLE", "LICENSE_REQUIRED"]
    assert "unknown headquarters country 'XX'" in got["error"][5]


def test_impact_on_dask_reads_headers_in_any_case_and_keeps_row_errors(
        cli: Cli, dask_args: list[str], tmp_path: Path) -> None:
    src = str(_review17_orders(tmp_path / "orders.csv"))
    base = ["impact", src, "--from", "2020-06-29", "--to", "2021-01-15"]
    code, one_out, err = cli([*base, "-o", str(tmp_path / "one")])
    assert code == 0, err
    code, out, err = cli([*base, "-o", str(tmp_path / "many"), *dask_args,
                          "--partition-rows", "9"])
    assert code == 0, err
    assert out == one_out.replace("/one/", "/many/")
    one, many = (pl.read_parquet(tmp_path / d / "lines.parquet") for d in ("one", "many"))
    assert one.equals(many)
    # Carrie Lam: SDN under EO 13936 of 14 Jul 2020, after the old date
    assert many["new_outcome"][0] == "PROHIBITED" != many["old_outcome"][0]
    assert many["value"][1] == 100.0
    assert "unknown destination 'XX'" in many["error"][3]


@pytest.mark.parametrize("command", ["batch", "impact"])
def test_dask_refuses_an_earlier_runs_output_before_the_cluster_works(
        cli: Cli, dask_args: list[str], tmp_path: Path, command: str) -> None:
    src = tmp_path / "old.parquet"
    pl.DataFrame({"item": ["EAR99"], "destination": ["DE"], "date": ["2024-01-01"],
                  "outcome": ["NLR"], "hold": [False]}).write_parquet(src)
    args = (["-o", str(tmp_path / "o.parquet")] if command == "batch"
            else ["--from", "2020-06-29", "--to", "2021-01-15", "-o", str(tmp_path / "imp")])
    code, _, err = cli([command, str(src), *args, *dask_args])
    assert code == 2 and "'outcome', 'hold'" in err and "earlier" in err, err
    assert not (tmp_path / "o.parquet").exists() and not (tmp_path / "imp").exists()


# -- review 17, low findings --------------------------------------------------------------
BAD_FILES = {
    "ragged": ("item,destination,date,value\n" + "EAR99,DE,2024-01-01,1\n" * 30
               + "3A001.a.2,HK,2020-07-15,100,999\n", "utf-8"),
    "latin1": ("item,destination,date,end_user\n" + "EAR99,DE,2024-01-01,Acme\n" * 30
               + "EAR99,DE,2024-01-01,Müller\n", "latin-1"),
    "semicolon": ("item;destination;date;value\nEAR99;DE;2024-01-01;100\n", "utf-8"),
    # a line cut short would lose its end user (not screened) without a word
    "short": ("item,destination,date,end_user\n" + "EAR99,DE,2024-01-01,Acme\n" * 30
              + "3A001.a.2,HK,2021-01-15\n", "utf-8"),
    "utf16": ("item,destination,date\nEAR99,DE,2024-01-01\n", "utf-16"),
}


@pytest.mark.parametrize(("command", "case"), [
    # every kind through batch; impact reads partitions through the same code (scale/frames),
    # so two kinds there: a bad line found in a later partition, and a header refused first
    *(("batch", case) for case in sorted(BAD_FILES)), ("impact", "latin1"), ("impact", "utf16")])
def test_a_file_that_cannot_be_read_gets_the_single_process_message_on_dask(
        cli: Cli, dask_args: list[str], tmp_path: Path, case: str, command: str) -> None:
    """L6: a ';' file said "needs a 'date' column" on Dask, and a bad line was named by no
    line; now the line of the whole file, from whichever partition holds it, and no worker
    traceback on the terminal."""
    text, encoding = BAD_FILES[case]
    src = tmp_path / "bad.csv"
    src.write_bytes(text.encode(encoding))
    args = ([command, str(src), "-o", str(tmp_path / "o.csv")] if command == "batch"
            else [command, str(src), "--from", "2020-06-29", "--to", "2021-01-15", "-o",
                  str(tmp_path / "imp")])
    one = cli(args)
    many = cli([*args, *dask_args, "--partition-rows", "7"])
    assert one[0] == many[0] == 2
    # (the Dask path loads the screener first: its warning about sample lists may come before)
    errors = [[ln for ln in err.splitlines() if not ln.startswith("warning: ")]
              for _, _, err in (one, many)]
    assert errors[0] == errors[1] and len(errors[0]) == 1, many[2]
    assert errors[0][0].startswith(f"error: cannot read {src}: ")
    assert "Traceback" not in many[2]
    if case in ("ragged", "latin1", "short"):
        assert "line 32 " in errors[0][0]


def test_batch_on_dask_numbers_the_lines_across_partitions(
        cli: Cli, dask_args: list[str], tmp_path: Path) -> None:
    """L6: the ``line`` column is the input's order line, whichever partition holds it."""
    src = tmp_path / "o.csv"
    src.write_text("item,destination,date,note\n" + "".join(
        f'EAR99,DE,2024-01-01,"{i}\nsecond line"\n' for i in range(40)), encoding="utf-8")
    code, _, err = cli(["batch", str(src), "-o", str(tmp_path / "dask.csv"), "--no-screen",
                        *dask_args, "--partition-rows", "6"])
    assert code == 0, err
    got = pl.read_csv(tmp_path / "dask.csv")
    assert got["line"].to_list() == list(range(1, 41))
    assert got["note"].to_list() == [f"{i}\nsecond line" for i in range(40)]


def test_impact_of_two_list_releases_on_licences_equals_single_process(
        cli: Cli, dask_args: list[str], tmp_path: Path) -> None:
    """The licences a list release bars through their parties are found on a worker, where
    the screeners are: the same summary as in one process."""
    from tests.impact.test_impact_cli import licence_naming, two_sdn_releases

    old, new = two_sdn_releases(tmp_path, cli)
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    licence_naming(db, "LAM, Carrie")
    src = tmp_path / "orders.csv"
    pl.DataFrame({"order_id": ["L1"], "item": ["EAR99"], "destination": ["HK"],
                  "value": ["100"]}).write_csv(src)
    base = ["impact", str(src), "--from-lists", str(old), "--to-lists", str(new),
            "--on", "2024-06-01", "--db", db]
    code, _, err = cli([*base, "-o", str(tmp_path / "one")])
    assert code == 0, err
    code, _, err = cli([*base, "-o", str(tmp_path / "many"), *dask_args])
    assert code == 0, err
    summaries = [json.loads((tmp_path / d / "summary.json").read_text()) for d in ("one", "many")]
    assert summaries[0]["licences"] == summaries[1]["licences"]
    assert summaries[1]["licences"]["rows"][0]["number"] == "D-HK-CL"
