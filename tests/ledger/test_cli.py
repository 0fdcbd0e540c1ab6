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
    shown = json.loads(cli("licences", "show", "L-1", "--json").output)
    assert shown["lines"][0]["remaining_value"] == "100000.00"
    report = json.loads(cli("licences", "report", "--json", "--as-of", "2020-01-01").output)
    assert report["approved"] == "100050.00" and report["blocked"] == "0.00"


def test_ship_suspend_and_refusal(cli, tmp_path):
    path = tmp_path / "lic.json"
    path.write_text(json.dumps(dsp5("L-1")))
    cli("licences", "add", str(path))
    args = ["ship", "--licence", "L-1", "--date", "2020-06-01", "--to", "HK",
            "--consignee", "Hong Kong Police Force", "--end-user", "Hong Kong Police Force",
            "--item", "I(a)=2@1,500.00", "--key", "inv-9"]
    out = json.loads(cli(*args, "--json").output)
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
