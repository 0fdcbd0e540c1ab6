"""The ledger commands, through Typer (input parsing and output only; logic is the API's)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
import typer
import yaml
from ledger_helpers import dsp5
from typer.testing import CliRunner

from exportcheck.cli import ledger_cmds
from exportcheck.errors import InvalidInput, LedgerError


@pytest.fixture
def cli(db_url):
    app = typer.Typer()
    ledger_cmds.register(app)
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(app, [*args, "--db", db_url])
        if ok:
            assert result.exit_code == 0, (result.output, result.exception)
        return result

    return run


def test_add_show_list_report(cli, tmp_path):
    path = tmp_path / "lic.yaml"
    path.write_text(yaml.safe_dump([dsp5("L-1"), dsp5("L-2", value="50.00")]))
    assert "added: DDTC DSP5 L-1" in cli("licences", "add", str(path)).output
    assert "already present" in cli("licences", "add", str(path)).output
    assert "L-2" in cli("licences", "list").output
    shown = json.loads(cli("licences", "show", "L-1", "--json").stdout)
    assert shown["lines"][0]["remaining_value"] == "100000.00"
    report = json.loads(cli("licences", "report", "--json", "--as-of", "2020-01-01").stdout)
    assert report["approved"] == "100050.00" and report["blocked"] == "0.00"


def test_ship_suspend_and_refusal(cli, tmp_path):
    path = tmp_path / "lic.json"
    path.write_text(json.dumps(dsp5("L-1")))
    cli("licences", "add", str(path))
    args = ["ship", "--licence", "L-1", "--date", "2020-06-01", "--to", "HK",
            "--consignee", "Hong Kong Police Force", "--end-user", "Hong Kong Police Force",
            "--item", "I(a)=2@1500.00", "--key", "inv-9"]  # no comma: review 17 M3
    out = json.loads(cli(*args, "--json").stdout)
    assert out["created"] and out["total_value"] == "1500.00"
    assert "already recorded" in cli(*args).output
    cli("licences", "suspend", "L-1", "--effective", "2020-06-30", "--reason", "HK",
        "--citation", "22 CFR 126.7")
    late = cli(*[a if a != "2020-06-01" else "2020-07-01" for a in args[:-1]], "inv-10",
               ok=False)
    assert isinstance(late.exception, LedgerError) and "suspended" in str(late.exception)
    bad = cli("ship", "--licence", "L-1", "--item", "I(a)=lots", ok=False)
    assert isinstance(bad.exception, InvalidInput)


def test_policy_event_file(cli, tmp_path):
    lic = tmp_path / "lic.json"
    lic.write_text(json.dumps(dsp5("L-1")))
    cli("licences", "add", str(lic))
    ev = tmp_path / "ev.yaml"
    ev.write_text(yaml.safe_dump({"key": "hk", "title": "HK", "action": "revoked",
                                  "effective": "2020-07-15", "citation": "85 FR 43413",
                                  "filter": {"destinations": ["HK"]}}))
    assert "1 licences affected" in cli("licences", "policy", str(ev)).output


def test_audit_verify_and_export(cli, db_url, tmp_path):
    lic = tmp_path / "lic.json"
    lic.write_text(json.dumps(dsp5("L-1")))
    cli("licences", "add", str(lic))
    assert "OK: 1 entries verify" in cli("audit", "verify").output
    out = tmp_path / "audit.csv"
    assert "1 audit entries" in cli("audit", "export", "--format", "csv", "-o", str(out)).output
    assert out.read_text().startswith("seq,recorded_at,actor,kind")
    engine = sa.create_engine(db_url)
    with engine.begin() as c:
        if c.dialect.name == "postgresql":
            c.execute(sa.text("DROP TRIGGER audit_log_no_change ON audit_log"))
        else:
            c.execute(sa.text("DROP TRIGGER audit_log_no_update"))
        c.execute(sa.text("UPDATE audit_log SET actor = 'mallory'"))
    engine.dispose()
    broken = cli("audit", "verify", ok=False)
    assert broken.exit_code == 1 and "BROKEN at entry #1" in broken.output


def _main(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the real entry point: errors must be one line `error: ...` and exit code 2."""
    from exportcheck.cli.app import main

    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    out, err = capsys.readouterr()
    return exit_.value.code or 0, out, err


def _one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    for needle in needles:
        assert needle in err, (needle, err)


def test_huge_licence_value_is_a_one_line_error(db_url, tmp_path, capsys):
    path = tmp_path / "lic.yaml"
    path.write_text(yaml.safe_dump(dsp5("L-1", value="999999999999999999999.00")))
    code, _, err = _main(capsys, "licences", "add", str(path), "--db", db_url)
    _one_line_error(code, err, "lines.0.value", "too large")


def test_huge_shipment_value_is_a_one_line_error(db_url, tmp_path, capsys):
    path = tmp_path / "lic.yaml"
    path.write_text(yaml.safe_dump(dsp5("L-1")))
    assert _main(capsys, "licences", "add", str(path), "--db", db_url)[0] == 0
    code, _, err = _main(capsys, "ship", "--licence", "L-1", "--date", "2020-06-01", "--to",
                         "HK", "--consignee", "Hong Kong Police Force", "--end-user",
                         "Hong Kong Police Force", "--item", "I(a)=1@999999999999999999999.00",
                         "--key", "k1", "--db", db_url)
    _one_line_error(code, err, "lines.0.value", "too large")


def test_overflowing_licence_quantity_is_a_one_line_error(db_url, tmp_path, capsys):
    path = tmp_path / "lic.yaml"
    path.write_text(yaml.safe_dump(dsp5("L-1")).replace("quantity: 100", "quantity: 1e400"))
    assert "1e400" in path.read_text()
    code, _, err = _main(capsys, "licences", "add", str(path), "--db", db_url)
    _one_line_error(code, err, "lines.0.quantity", "too large")


@pytest.mark.parametrize("argv", [("licences", "list"), ("audit", "verify"),
                                  ("licences", "report")])
def test_unreachable_database_is_a_one_line_error(argv, capsys, monkeypatch):
    monkeypatch.setenv("EXPORTCHECK_DATABASE_URL", "postgresql://bob:s3cret@127.0.0.1:1/x")
    code, _, err = _main(capsys, *argv)
    _one_line_error(code, err, "127.0.0.1:1/x", "bob:***@", "EXPORTCHECK_DATABASE_URL")
    assert "s3cret" not in err


def test_audit_seal_links_entries_left_unsealed(cli, db_url, tmp_path):
    from exportcheck.ledger.api import Ledger

    ledger = Ledger(db_url, sealing="manual")
    ledger.add_licence(dsp5("L-1"))
    ledger.append_event(kind="screening.disposition", actor="a", payload={"n": 1})
    out = json.loads(cli("audit", "seal", "--json").stdout)
    assert (out["sealed"], out["head_seq"], out["unsealed"], out["blocked"]) == (2, 2, 0, "")
    assert "sealed 0 entries; head #2" in cli("audit", "seal").output
    ledger.append_event(kind="screening.disposition", actor="a", payload={"n": 2})
    engine = sa.create_engine(db_url)
    with engine.begin() as c:  # edit the unsealed entry: sealing must refuse to bless it
        if c.dialect.name == "postgresql":
            c.execute(sa.text("DROP TRIGGER audit_log_no_change ON audit_log"))
        else:
            c.execute(sa.text("DROP TRIGGER audit_log_no_update"))
        c.execute(sa.text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"))
    engine.dispose()
    refused = cli("audit", "seal", ok=False)
    assert refused.exit_code == 1 and "NOT SEALED" in refused.output and "#3" in refused.output


def test_ship_states_the_facts_an_exception_rests_on(cli):
    """``ship --headquarters --conditions-met``: ACA for 3A090.a to Vietnam (June 2024), as
    ``check`` takes them; a mistyped date is a one-line error before anything is written."""
    args = ["ship", "--exception", "ACA", "--date", "2024-06-15", "--to", "VN",
            "--consignee", "Compute Trading JSC", "--end-user", "Compute Trading JSC",
            "--item", "3A090.a=2@40000", "--key", "aca-1"]
    refused = cli(*args, ok=False)
    assert isinstance(refused.exception, LedgerError)
    assert str(refused.exception).endswith(
        "facts not given: headquarters, conditions met ACA) "
        "(give --headquarters CC, --conditions-met ACA)"), str(refused.exception)
    out = json.loads(cli(*args, "--headquarters", "VN", "--conditions-met", "ACA",
                         "--json").stdout)
    assert out["created"] and out["determination"][0]["exception"]["symbol"] == "ACA"
    bad = cli(*args[:-1], "aca-2", "--nac-notified", "2024-02-30", ok=False)
    assert isinstance(bad.exception, InvalidInput) and "--nac-notified" in str(bad.exception)


def test_a_repeated_key_of_a_reversed_shipment_says_it_is_reversed(cli, tmp_path):
    """The replay answers ``reversed: true`` in JSON; the text said only "already recorded",
    as if the shipment stood and had drawn on the licence."""
    path = tmp_path / "lic.json"
    path.write_text(json.dumps(dsp5("L-1")))
    cli("licences", "add", str(path))
    args = ["ship", "--licence", "L-1", "--date", "2020-06-01", "--to", "HK",
            "--consignee", "Hong Kong Police Force", "--end-user", "Hong Kong Police Force",
            "--item", "I(a)=2@1500.00", "--key", "inv-9"]
    cli(*args)
    cli("reverse", "inv-9", "--reason", "keyed twice", "--key", "rev-9")
    again = cli(*args).output
    assert "already recorded" in again and "REVERSED: nothing is drawn" in again
    shown = json.loads(cli("licences", "show", "L-1", "--json").stdout)
    assert shown["lines"][0]["shipped_value"] == "0.00"


def test_choices_are_read_in_any_case_as_the_api_reads_them(cli, tmp_path):
    """Review 30: ``audit export --format CSV`` was refused and ``licences show L-1 --agency
    " ddtc "`` answered "no licence", where the API takes both; an agency the ledger holds
    no licences of (OFAC) is refused as such, not answered "no licence"."""
    path = tmp_path / "lic.json"
    path.write_text(json.dumps(dsp5("L-1")))
    cli("licences", "add", str(path))
    out = tmp_path / "audit.csv"
    assert "audit entries" in cli("audit", "export", "--format", " CSV ", "-o", str(out)).output
    assert out.read_text(encoding="utf-8").startswith("seq,")
    shown = json.loads(cli("licences", "show", "L-1", "--agency", " ddtc ", "--json").stdout)
    assert shown["number"] == "L-1" and shown["agency"] == "DDTC"
    ofac = cli("licences", "show", "L-1", "--agency", "OFAC", ok=False)
    assert isinstance(ofac.exception, InvalidInput)
    assert "the ledger holds licences of BIS and DDTC" in str(ofac.exception)
    bad = cli("audit", "export", "--format", "xml", ok=False)
    assert isinstance(bad.exception, InvalidInput) and "'json' or 'csv'" in str(bad.exception)
