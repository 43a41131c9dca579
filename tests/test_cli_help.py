"""Every argument of every command says in ``--help`` what it is for: ``assess --capture`` and ``--device`` said
nothing. Read from the parser the command line uses, and from ``--help`` as a user runs it."""

from __future__ import annotations

import argparse

import pytest

from dermadesk.cli import _walk, build_parser
from dermadesk.main import main


def unexplained() -> list[str]:
    """'PROG ARGUMENT' for each argument of each command and sub-command given without a help text."""
    root = build_parser()
    missing = []
    for parser in [root, *_walk(root)]:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                missing += [f"{parser.prog} {c.dest}" for c in action._choices_actions if not c.help]
            elif not (action.help or "").strip():
                missing.append(f"{parser.prog} {'/'.join(action.option_strings) or action.dest}")
    return missing


def test_every_argument_has_a_help_text() -> None:
    assert unexplained() == []


@pytest.mark.parametrize(
    "argv, said",
    [
        (["assess", "--help"], ["--capture ID", "capture id", "--device {auto,cpu,gpu}", "where the model runs"]),
        (["analyze", "--help"], ["PATH", "image files", "falls back to the CPU"]),
        (["capture", "add", "--help"], ["IMAGE", "one capture each", "millimetres per pixel", "where the model runs"]),
        (["capture", "review", "--help"], ["left out: kept", "clears it"]),
    ],
)
def test_help_as_a_user_reads_it(capsys, argv: list[str], said: list[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps to the terminal's width
    assert done.value.code == 0
    assert [s for s in said if s not in out] == []
