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
