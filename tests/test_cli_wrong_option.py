"""An option the command does not take is refused by that command, with its usage: argparse refused it at the top
level ("dermadesk: error: unrecognized arguments: --bogus" under the usage of ``dermadesk`` itself), which does not
say what the command takes (walkthrough 25, finding 12)."""

from __future__ import annotations

import pytest

from dermadesk.main import main


def refused(capsys: pytest.CaptureFixture, *argv: str) -> list[str]:
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    out, err = capsys.readouterr()
    assert done.value.code == 2 and out == ""
    return err.splitlines()


@pytest.mark.parametrize(
    "argv, prog, usage_says",
    [
        (["capture", "add", "--lesion", "1", "--bogus", "a.jpg"], "dermadesk capture add", "--lesion ID"),
        (["capture", "edit", "2", "--colour", "red"], "dermadesk capture edit", "--taken-at YYYY-MM-DD"),
        (["capture", "review", "--capture", "3", "--verdict=refer"], "dermadesk capture review", "--decision"),
        (["patient", "list", "--taken", "2026-01-01"], "dermadesk patient list", "--search SEARCH"),
        (["lesion", "edit", "1", "--x", "3"], "dermadesk lesion edit", "--status"),
        (["db", "check", "--wipe"], "dermadesk db check", "--clean"),
    ],
)
def test_the_command_given_refuses_with_its_usage(capsys, argv: list[str], prog: str, usage_says: str) -> None:
    err = refused(capsys, *argv)
    usage = " ".join(line for line in err if not line.startswith(prog + ":"))
    assert usage.startswith(f"usage: {prog} ") and usage_says in usage
    unknown = [a for a in argv if a.startswith("--")][-1]
    assert err[-1].startswith(f"{prog}: error: unrecognized arguments: {unknown}")


@pytest.mark.parametrize(
    "argv, prog, unknown, meant",
    [  # argparse took "refer" for the capture id: "argument ID: invalid int value: 'refer'"
        (["capture", "review", "5", "--decisoin", "refer"], "dermadesk capture review", "--decisoin", "--decision"),
        (
            ["capture", "review", "--capture", "5", "--decisoin", "refer"],
            "dermadesk capture review",
            "--decisoin",
            "--decision",
        ),
        (["capture", "review", "5", "--decisoin=refer"], "dermadesk capture review", "--decisoin", "--decision"),
        (["db", "check", "--cleen"], "dermadesk db check", "--cleen", "--clean"),
        (["lesion", "add", "--patient", "P-1", "--stie", "face"], "dermadesk lesion add", "--stie", "--site"),
        (
            ["capture", "add", "--lesion", "1", "--modalty", "clinical", "a.jpg"],
            "dermadesk capture add",
            "--modalty",
            "--modality",
        ),
        (["--jsn", "patient", "list"], "dermadesk patient list", "--jsn", "--json"),  # before the command word
        (["report", "--patinet", "P-1", "--out", "r.pdf"], "dermadesk report", "--patinet", "--patient"),
    ],
)
def test_a_misspelt_option_is_named_with_the_one_meant(capsys, argv, prog, unknown, meant) -> None:
    err = refused(capsys, *argv)
    assert err[0].startswith(f"usage: {prog} ")
    assert err[-1] == f"{prog}: error: unknown option {unknown} (did you mean {meant}?)"


def test_an_unknown_option_far_from_any_is_refused_as_before(capsys) -> None:
    err = refused(capsys, "capture", "review", "5", "--zzz", "refer")
    assert err[-1].startswith("dermadesk capture review: error:") and "did you mean" not in err[-1]


def test_an_unknown_option_before_any_command_is_refused_at_the_top(capsys) -> None:
    err = refused(capsys, "--bogus")
    assert err[0].startswith("usage: dermadesk [-h]") and err[-1] == "dermadesk: error: unrecognized arguments: --bogus"


def test_a_known_option_still_runs_the_command(capsys, data_dir) -> None:
    assert main(["patient", "add", "--mrn", "W-1", "--name", "Wendy Option"]) == 0
    capsys.readouterr()
    assert main(["patient", "list", "--limit", "5"]) == 0
    assert capsys.readouterr().out.split() == ["W-1", "Wendy", "Option"]
