"""Assertions shared by the command-line tests."""

from __future__ import annotations


def one_line_error(result: tuple[int, str, str], *needles: str) -> str:
    """Exit code 2 and a single ``error: ...`` line naming each needle; no traceback."""
    code, _, err = result
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``exportcheck ARGS`` in this process: (exit code, stdout, stderr)."""
    from exportcheck.cli.app import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
