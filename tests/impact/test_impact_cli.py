"""``exportcheck impact``: the three output files, one-line errors, nothing half-written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from exportcheck.impact.portfolio import generate


@pytest.fixture
def orders(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    generate(400, seed=3).with_columns(pl.lit("2019-01-01").alias("date")).write_csv(path)
    return path


def test_impact_writes_lines_summary_and_report(
    orders: Path, tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    out = tmp_path / "impact"
    code, stdout, err = cli(
        ["impact", str(orders), "--from", "2020-06-29", "--to", "2021-01-15", "-o", str(out)]
    )
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["lines.parquet", "report.html",
                                                      "summary.json"]
    lines = pl.read_parquet(out / "lines.parquet")
    src = pl.read_csv(orders, infer_schema_length=0)
    assert lines["order_id"].to_list() == src["order_id"].to_list()
    assert lines["line"].to_list() == list(range(1, src.height + 1))
    assert {"customer", "value", "old_outcome", "new_outcome", "changed", "old_reasons",
            "new_reasons", "old_exceptions", "new_exceptions", "cause", "error"} <= set(
        lines.columns)
    assert "date" not in lines.columns
    summary = json.loads((out / "summary.json").read_text())
    assert summary["totals"]["lines"] == src.height
    assert summary["totals"]["changed_lines"] == lines["changed"].sum()
    assert summary["old"]["date"] == "2020-06-29" and summary["new"]["date"] == "2021-01-15"
    assert any("'date' ignored" in n for n in summary["notes"])
    assert f"{summary['totals']['changed_lines']:,} changed" in stdout
    assert "report: " in stdout and "report.html" in stdout


def _bad(tmp_path: Path, name: str, frame: pl.DataFrame) -> Path:
    path = tmp_path / name
    frame.write_csv(path)
    return path


@pytest.mark.parametrize(
    ("case", "extra", "message"),
    [
        ("no_item", ["--from", "2020-06-29", "--to", "2021-01-15"], "need an 'item' column"),
        ("ok", ["--from", "2021-01-15", "--to", "2020-06-29"], "is after --to"),
        ("ok", ["--from", "2018-06-29", "--to", "2021-01-15"], "before the rule base starts"),
        ("ok", ["--from", "2020-13-01", "--to", "2021-01-15"], "invalid --from date"),
        # no database yet: no stored version at all (and none created, review 39)
        ("ok", ["--from-lists", "998", "--to-lists", "999", "--on", "2021-01-15"],
         "there is no database"),
        ("ok", ["--from-lists", "abc", "--to-lists", "1", "--on", "2021-01-15"],
         "not a version number"),
        ("ok", ["--from-lists", "1", "--on", "2021-01-15"], "give both --from-lists"),
        ("mixed", ["--from", "2020-06-29", "--to", "2021-01-15"], "no rate is given for EUR"),
        ("mixed", ["--from", "2020-06-29", "--to", "2021-01-15", "--rate", "EUR"],
         "write CURRENCY=USD_PER_UNIT"),
        ("mixed", ["--from", "2020-06-29", "--to", "2021-01-15", "--rate", "EUR=-1"],
         "must be a positive number"),
        ("mixed", ["--from", "2020-06-29", "--to", "2021-01-15", "--rate", "EUR=1.08",
                   "--rate", "eur=1.1"], "two rates for EUR (1.08 and 1.1)"),
        ("ok", [], "nothing to compare"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]], case: str, extra: list[str],
    message: str,
) -> None:
    base = pl.DataFrame({"item": ["3A001.a.2", "EAR99"], "destination": ["HK", "DE"],
                         "value": ["1200", "10"], "currency": ["USD", "USD"]})
    frames = {
        "ok": base,
        "no_item": base.drop("item"),
        "mixed": base.with_columns(pl.Series("currency", ["USD", "EUR"])),
    }
    orders = _bad(tmp_path, f"{case}.csv", frames[case])
    out = tmp_path / "out"
    code, _, err = cli(["impact", str(orders), "-o", str(out), *extra])
    assert code == 2
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    assert message in err
    assert not out.exists()


def test_unwritable_outdir_is_refused_before_work(
    orders: Path, tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    a_file = tmp_path / "taken"
    a_file.write_text("keep me")
    for target, message in ((a_file, "is a file"), (tmp_path / "no" / "such", "does not exist")):
        code, _, err = cli(["impact", str(orders), "--from", "2020-06-29", "--to", "2021-01-15",
                            "-o", str(target)])
        assert code == 2 and message in err
    assert a_file.read_text() == "keep me"


def test_a_failed_write_leaves_the_old_files_whole(
    orders: Path, tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "impact"
    out.mkdir()
    (out / "summary.json").write_text('{"previous": true}')
    import exportcheck.impact.report as report

    def disk_full(*_a: object, **_k: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report, "render_report", disk_full)
    code, _, err = cli(["impact", str(orders), "--from", "2020-06-29", "--to", "2021-01-15",
                        "-o", str(out)])
    assert code == 2 and "No space left on device" in err
    assert sorted(p.name for p in out.iterdir()) == ["summary.json"]
    assert json.loads((out / "summary.json").read_text()) == {"previous": True}


def test_two_list_releases_from_the_database(
    tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    from exportcheck.screen.service import SAMPLES_DIR

    listed = "Centre Bright Electronics Company Limited"
    full = (SAMPLES_DIR / "consolidated.csv").read_text(encoding="utf-8")
    old = tmp_path / "old" / "consolidated.csv"
    old.parent.mkdir()
    old.write_text("".join(ln for ln in full.splitlines(keepends=True) if listed not in ln),
                   encoding="utf-8")
    for path in (old, SAMPLES_DIR / "consolidated.csv"):
        assert cli(["lists", "load", str(path)])[0] == 0
    code, out, _ = cli(["lists", "show", "--all", "--json"])
    ids = sorted(v["id"] for v in json.loads(out) if v["source"] == "csl")
    assert code == 0 and len(ids) == 2
    assert cli(["parties", "add", listed, "--country", "HK"])[0] == 0
    orders = _bad(tmp_path, "orders.csv", pl.DataFrame(
        {"order_id": ["L1", "L2"], "item": ["EAR99", "EAR99"], "destination": ["HK", "HK"],
         "value": ["900", "100"], "end_user": [listed, "Harbour Florists Ltd"]}))
    dest = tmp_path / "impact"
    code, out, err = cli(["impact", str(orders), "--from-lists", str(ids[0]), "--to-lists",
                          str(ids[1]), "--on", "2021-01-15", "-o", str(dest)])
    assert code == 0, err
    summary = json.loads((dest / "summary.json").read_text())
    assert summary["mode"] == "lists" and summary["totals"]["changed_lines"] == 1
    assert summary["parties"]["newly_hit"] == 1
    lines = pl.read_parquet(dest / "lines.parquet")
    assert lines["cause"][0].startswith("list entry now matched: EL entry")
    assert "1 newly hit" in out


def two_sdn_releases(tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]
                     ) -> tuple[int, int]:
    """The sample SDN list loaded twice: without Carrie Lam (29249), then as bundled (she was
    designated on 7 Aug 2020). Returns the two list-version ids, oldest first."""
    import shutil

    from exportcheck.screen.service import SAMPLES_DIR

    old, new = tmp_path / "sdn-old", tmp_path / "sdn-new"
    for folder in (old, new):
        folder.mkdir()
    for name in ("sdn.csv", "alt.csv"):
        text = (SAMPLES_DIR / name).read_text(encoding="utf-8")
        (old / name).write_text("".join(ln for ln in text.splitlines(keepends=True)
                                        if not ln.startswith("29249,")), encoding="utf-8")
        shutil.copy(SAMPLES_DIR / name, new / name)
    for folder in (old, new):
        assert cli(["lists", "load", str(folder / "sdn.csv"), str(folder / "alt.csv")])[0] == 0
    code, out, _ = cli(["lists", "show", "--all", "--json"])
    ids = sorted(v["id"] for v in json.loads(out) if v["source"] == "ofac-sdn")
    assert code == 0 and len(ids) == 2
    return ids[0], ids[1]


def licence_naming(db: str, party: str) -> None:
    """A BIS licence for 3A001.a.2 to Hong Kong ($50,000) naming ``party`` as consignee and end
    user, in the ledger at ``db``."""
    from exportcheck.ledger import Ledger

    parties = [{"role": "applicant", "name": "Acme"},
               *({"role": role, "name": party, "country": "HK"}
                 for role in ("consignee", "end_user"))]
    Ledger(db).add_licence({
        "agency": "BIS", "number": "D-HK-CL", "kind": "BIS", "destination": "HK",
        "valid_from": "2024-01-01", "valid_to": "2027-12-31", "parties": parties,
        "lines": [{"classification": "3A001.a.2", "quantity": 10, "value": "50000.00"}]})


def test_a_list_release_that_designates_a_licensed_party_hits_the_licence(
    tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    """A BIS licence to Hong Kong names Carrie Lam: with the release that lists her, a shipment
    on it is refused (the ledger's own party check), so its remaining value is counted as
    unusable, with the entry as the cause."""
    old, new = two_sdn_releases(tmp_path, cli)
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    licence_naming(db, "LAM, Carrie")
    orders = _bad(tmp_path, "orders.csv", pl.DataFrame(
        {"order_id": ["L1"], "item": ["EAR99"], "destination": ["HK"], "value": ["100"]}))
    dest = tmp_path / "impact"
    code, _, err = cli(["impact", str(orders), "--from-lists", str(old), "--to-lists",
                          str(new), "--on", "2024-06-01", "--db", db, "-o", str(dest)])
    assert code == 0, err
    lic = json.loads((dest / "summary.json").read_text())["licences"]
    (row,) = lic["rows"]
    assert (row["number"], row["unusable_value"]) == ("D-HK-CL", 50000.0)
    assert row["cause"].startswith("party_blocked: a party may not be dealt with")
    assert "SDN 29249" in row["cause"] and lic["hit"] == 1
    # the other way round, nothing is refused that was not before
    code, _, err = cli(["impact", str(orders), "--from-lists", str(new), "--to-lists", str(old),
                        "--on", "2024-06-01", "--db", db, "-o", str(tmp_path / "back")])
    assert code == 0, err
    assert json.loads((tmp_path / "back" / "summary.json").read_text())["licences"]["hit"] == 0


def test_the_console_names_the_two_list_releases_compared(
    tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    """Between two list releases the first line of the console says which versions each side
    screened with ("2021-01-15 [ofac-sdn@...] → 2021-01-15 [ofac-sdn@...]"). The versions were
    printed in square brackets as Rich markup, which took them for tags and dropped them: the
    line read "2021-01-15  → 2021-01-15 :", with nothing to tell the sides apart."""
    old, new = two_sdn_releases(tmp_path, cli)
    orders = _bad(tmp_path, "orders.csv", pl.DataFrame(
        {"item": ["EAR99"], "destination": ["HK"], "value": ["10"],
         "end_user": ["Carrie Lam"]}))
    dest = tmp_path / "impact"
    code, out, err = cli(["impact", str(orders), "--from-lists", str(old), "--to-lists",
                          str(new), "--on", "2021-01-15", "-o", str(dest)])
    assert code == 0, err
    summary = json.loads((dest / "summary.json").read_text())
    versions = summary["old"]["lists_version"], summary["new"]["lists_version"]
    assert versions[0] != versions[1]
    assert f"2021-01-15 [{versions[0]}] → 2021-01-15 [{versions[1]}]: " in out
