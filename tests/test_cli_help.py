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
        (["patient", "add", "--help"], ["--sex {female,male,other,unknown}", "--skin-type {I,II,III,IV,V,VI}"]),
    ],
)
def test_help_as_a_user_reads_it(capsys, argv: list[str], said: list[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps to the terminal's width
    assert done.value.code == 0
    assert [s for s in said if s not in out] == []


def test_every_date_option_shows_its_format() -> None:
    """A date is typed as YYYY-MM-DD, and every date option's usage says so (was ``--taken TAKEN``)."""
    root = build_parser()
    dates = {
        f"{parser.prog} {action.option_strings[0]}": action.metavar
        for parser in [root, *_walk(root)]
        for action in parser._actions
        if any(word in action.dest for word in ("date", "taken", "since"))
    }
    assert {
        "dermadesk capture add --taken",
        "dermadesk capture edit --taken-at",
        "dermadesk patient add --birth-date",
        "dermadesk transfer export --since",
    } <= set(dates)
    assert {name: m for name, m in dates.items() if m != "YYYY-MM-DD"} == {}


def test_usage_names_the_data_folder_dir(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["capture", "add", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "[--taken YYYY-MM-DD]" in out and "[--data-dir DIR]" in out and "--data-dir DATA_DIR" not in out


def test_file_options_show_file_not_the_option_name(capsys) -> None:
    """``--passphrase-file`` read ``--passphrase-file PASSPHRASE_FILE``, and a transfer's package file 'out' or 'file'
    (its help saying OUT): every file a command reads or writes shows as FILE, as the backup's and the error's
    ("give --passphrase-file FILE") do."""
    root = build_parser()
    options = {
        f"{parser.prog} {'/'.join(action.option_strings) or action.dest}": action.metavar
        for parser in [root, *_walk(root)]
        for action in parser._actions
        if action.dest in ("passphrase_file", "file", "out") and action.type is not None
    }
    assert {
        "dermadesk backup --passphrase-file",
        "dermadesk restore --passphrase-file",
        "dermadesk transfer export --passphrase-file",
        "dermadesk transfer import --passphrase-file",
        "dermadesk transfer export out",
        "dermadesk transfer import file",
        "dermadesk report --out",
    } <= set(options)
    assert {name: m for name, m in options.items() if m != "FILE"} == {}
    with pytest.raises(SystemExit):
        main(["transfer", "export", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "[--passphrase-file FILE]" in out and "PASSPHRASE_FILE" not in out and "replace FILE if it exists" in out
