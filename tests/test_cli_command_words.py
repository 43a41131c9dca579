"""The command line's words: ``assess`` takes the capture id as ``capture review``, ``edit`` and ``delete`` take it
(``assess 12``), or as ``--capture 12`` as before; ``capture add`` and ``analyze`` name the image formats the
importer reads (``decode.FORMATS_TEXT``), not "JPEG, PNG, ..."; and a command word that is none, or none given, is
said as one in every command group ("'edit' is not a patient command (choose from ...)"), where argparse named its
internal name ("argument action: invalid choice"). A real SQLite register, the real commands, the tiny model."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from dermadesk.analysis.decode import FORMATS_TEXT
from dermadesk.cli import _walk, build_parser
from dermadesk.main import main
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.test_cli import run


def test_assess_takes_the_capture_id_as_capture_review_does(
    capsys, installed_model: Path, data_dir: Path, tmp_path: Path
) -> None:
    image = tmp_path / "a.jpg"
    image.write_bytes(lesion_jpeg(seed=3))
    run(capsys, "patient", "add", "--mrn", "A-1", "--name", "Ass Ess")
    run(capsys, "lesion", "add", "--patient", "A-1", "--site", "anterior torso")
    assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", str(image))[0] == 0
    code, by_id, err = run(capsys, "assess", "1", "--device", "cpu", "--model", "tiny-test")
    assert (code, err) == (0, "") and "assessed with tiny-test" in by_id
    code, by_option, err = run(capsys, "assess", "--capture", "1", "--device", "cpu", "--model", "tiny-test")
    assert (code, err) == (0, "") and by_option == by_id  # the same capture, said alike
    with Register(data_dir) as reg:
        assert len(reg.assessments.for_capture(1)) == 2  # one row each: both assessed capture 1


@pytest.mark.parametrize(
    "argv, said",
    [
        ([], "one of the arguments ID --capture is required"),
        (["1", "--capture", "1"], "argument --capture: not allowed with argument ID"),
    ],
)
def test_assess_wants_the_id_once(capsys, argv: list[str], said: str) -> None:
    with pytest.raises(SystemExit) as done:
        main(["assess", *argv])
    err = capsys.readouterr().err
    assert done.value.code == 2 and err.startswith("usage: dermadesk assess")
    assert err.splitlines()[-1] == f"dermadesk assess: error: {said}"


@pytest.mark.parametrize("argv", [["capture", "add"], ["analyze"]])
def test_image_help_names_the_formats_read(capsys, argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    help_text = " ".join(capsys.readouterr().out.split())  # argparse wraps it
    assert f"image files ({FORMATS_TEXT}) or folders of them" in help_text and "PNG, ...)" not in help_text


def groups() -> list[tuple[str, list[str]]]:
    """(prog, its command words) of every parser that takes a command word: dermadesk itself and each group."""
    found = []
    for parser in [build_parser(), *_walk(build_parser())]:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                found.append((parser.prog, list(action.choices)))
    return found


def test_every_command_group_is_checked() -> None:
    progs = [prog for prog, _ in groups()]
    assert progs[0] == "dermadesk" and {"dermadesk patient", "dermadesk lesion", "dermadesk capture"} <= set(progs)
    assert {"dermadesk db", "dermadesk transfer"} <= set(progs)


@pytest.mark.parametrize("prog, words", groups())
def test_a_word_that_is_no_command_is_said_as_one(capsys, prog: str, words: list[str]) -> None:
    group = prog.removeprefix("dermadesk").strip()
    with pytest.raises(SystemExit) as done:
        main([*group.split(), "frobnicate"])
    err = capsys.readouterr().err
    what = f"{group} command" if group else "command"
    assert done.value.code == 2 and err.startswith(f"usage: {prog} ")
    assert err.splitlines()[-1] == f"{prog}: error: 'frobnicate' is not a {what} (choose from {', '.join(words)})"
    assert "action" not in err.splitlines()[-1] and "invalid choice" not in err


@pytest.mark.parametrize("prog, words", [g for g in groups() if g[0] != "dermadesk"])  # none given: the app opens
def test_no_command_given_to_a_group_is_said_as_one(capsys, prog: str, words: list[str]) -> None:
    group = prog.removeprefix("dermadesk ")
    with pytest.raises(SystemExit) as done:
        main(group.split())
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert err.splitlines()[-1] == f"{prog}: error: give a {group} command (choose from {', '.join(words)})"


@pytest.mark.parametrize(
    "argv, prog, meant",
    [
        (["patient", "lst"], "dermadesk patient", "list"),
        (["patinet", "list"], "dermadesk", "patient"),  # the top level too
        (["capture", "reveiw", "3"], "dermadesk capture", "review"),
        (["lesion", "shwo", "1"], "dermadesk lesion", "show"),
        (["transfer", "exprot"], "dermadesk transfer", "export"),
    ],
)
def test_a_misspelt_command_word_is_named_with_the_one_meant(capsys, argv: list[str], prog: str, meant: str) -> None:
    """As a misspelt option is: "'lst' is not a patient command: did you mean 'list'? (choose from ...)"."""
    words = dict(groups())[prog]
    with pytest.raises(SystemExit) as done:
        main(argv)
    err = capsys.readouterr().err
    group = prog.removeprefix("dermadesk").strip()
    what = f"{group} command" if group else "command"
    assert done.value.code == 2 and err.startswith(f"usage: {prog} ")
    said = f"'{argv[len(group.split())]}' is not a {what}: did you mean '{meant}'? (choose from {', '.join(words)})"
    assert err.splitlines()[-1] == f"{prog}: error: {said}"


def test_every_group_suggests_a_close_word(capsys) -> None:
    """Each group's own first word with a stray letter in it is named back ("adqd": "add")."""
    for prog, words in groups():
        group = prog.removeprefix("dermadesk").split()
        with pytest.raises(SystemExit):
            main([*group, words[0][:-1] + "q" + words[0][-1]])
        assert f"did you mean '{words[0]}'?" in capsys.readouterr().err.splitlines()[-1], prog
