"""The command tree is built once per process: ``main()`` called again (a test suite, a
program embedding the CLI) neither registers each command a second time nor rebuilds the tree,
which used to cost every further call a little more than the one before."""

from __future__ import annotations

from cli_helpers import run_cli

from exportcheck.cli import app as cli_app


def test_repeated_calls_reuse_one_command_tree(capsys) -> None:
    assert run_cli(capsys, "--version")[0] == 0
    tree = cli_app.command()
    counts = (len(cli_app.app.registered_commands), len(cli_app.app.registered_groups))
    for _ in range(3):
        code, out, _ = run_cli(capsys, "check", "--item", "EAR99", "--to", "DE", "--on",
                               "2024-01-01")
        assert code == 0 and "NLR" in out
    assert cli_app.command() is tree
    assert (len(cli_app.app.registered_commands), len(cli_app.app.registered_groups)) == counts
    assert {"check", "batch", "ship", "reverse", "shipments", "licences"} <= set(tree.commands)
