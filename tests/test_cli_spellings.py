"""One spelling works wherever a command takes the same thing: ``capture add --taken`` and ``capture edit --taken-at``
each take the other's spelling too, and ``capture review`` takes the capture id as ``capture edit ID`` does, or as
``--capture ID`` as before (walkthrough 25, finding 11). A real SQLite register, the real commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.cli import _walk, build_parser
from dermadesk.main import main
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.test_cli import run


@pytest.fixture
def lesion(capsys, data_dir: Path, tmp_path: Path) -> list[Path]:
    images = []
    for i in range(2):
        images.append(tmp_path / f"s{i}.jpg")
        images[-1].write_bytes(lesion_jpeg(seed=11, scale=1.0 + 0.2 * i))
    run(capsys, "patient", "add", "--mrn", "S-1", "--name", "Spel Ling")
    run(capsys, "lesion", "add", "--patient", "S-1", "--site", "anterior torso")
    return images


def taken(data_dir: Path) -> list[str]:
    with Register(data_dir) as reg:
        return [c.taken_at for c in reg.captures.for_lesion(1)]


def test_capture_add_takes_taken_at_and_capture_edit_takes_taken(capsys, data_dir: Path, lesion: list[Path]) -> None:
    assert (
        run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", "2026-01-10", str(lesion[0]))[0] == 0
    )
    code, out, err = run(
        capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken-at", "2026-02-10", str(lesion[1])
    )
    assert (code, err) == (0, "") and out.startswith("capture 2 (10 Feb 2026) added")
    assert taken(data_dir) == ["2026-01-10", "2026-02-10"]
    code, out, _ = run(capsys, "capture", "edit", "2", "--taken", "2026-03-10")
    assert code == 0 and out.splitlines()[0] == "capture 2 (10 Mar 2026): date taken 10 Feb 2026 → 10 Mar 2026"
    code, out, _ = run(capsys, "capture", "edit", "2", "--taken-at", "2026-03-12")
    assert code == 0 and "10 Mar 2026 → 12 Mar 2026" in out
    assert taken(data_dir) == ["2026-01-10", "2026-03-12"]


def test_both_spellings_are_shown_in_help(capsys) -> None:
    for command, first in (("add", "--taken YYYY-MM-DD, --taken-at"), ("edit", "--taken-at YYYY-MM-DD, --taken")):
        with pytest.raises(SystemExit):
            main(["capture", command, "--help"])
        assert first in capsys.readouterr().out


def spellings(prog: str) -> list[set[str]]:
    """The spellings of each option of a command, the common ones (--json, --data-dir, ...) left out."""
    parser = next(p for p in _walk(build_parser()) if p.prog == prog)
    common = {"-h", "--data-dir", "--json", "--operator"}
    return [set(a.option_strings) for a in parser._actions if a.option_strings and not common & set(a.option_strings)]


FIELDS = {  # the fields add and edit both set, each with every spelling both take
    "patient": [
        {"--mrn"},
        {"--name"},
        {"--birth-date"},
        {"--sex"},
        {"--skin-type"},
        {"--notes"},
        {"--even-if-duplicate"},
    ],
    "lesion": [{"--site"}, {"--label"}],
    "capture": [{"--taken", "--taken-at"}, {"--modality"}, {"--mm-per-px"}],
}


@pytest.mark.parametrize("noun", sorted(FIELDS))
def test_add_and_edit_spell_a_field_alike(noun: str) -> None:
    """A field ``add`` and ``edit`` of the same noun both set is spelled the same ways in both, and an option
    spelled alike in both takes the same other spellings in both."""
    add, edit = spellings(f"dermadesk {noun} add"), spellings(f"dermadesk {noun} edit")
    assert [f for f in FIELDS[noun] if f not in add or f not in edit] == []
    shared = [(a, [e for e in edit if e & a]) for a in add if any(e & a for e in edit)]
    assert [(a, e) for a, e in shared if e != [a]] == []


def test_capture_review_takes_the_id_as_capture_edit_does(capsys, data_dir: Path, lesion: list[Path]) -> None:
    assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", str(lesion[0]))[0] == 0
    code, out, _ = run(capsys, "capture", "review", "1", "--decision", "monitor", "--operator", "Dr A")
    assert code == 0 and out.endswith(": decision monitor, re-check as the tier suggests\n")
    code, out, _ = run(capsys, "capture", "review", "--capture", "1", "--notes", "flat, regular", "--operator", "Dr A")
    assert code == 0 and out.endswith(": notes saved (decision kept)\n")
    with Register(data_dir) as reg:
        c = reg.captures.get(1)
        assert (c.decision, c.clinician_notes) == ("monitor", "flat, regular")


@pytest.mark.parametrize(
    "argv, said",
    [
        ([], "one of the arguments ID --capture is required"),
        (["1", "--capture", "1"], "argument --capture: not allowed with argument ID"),
    ],
)
def test_capture_review_wants_the_id_once(capsys, argv: list[str], said: str) -> None:
    with pytest.raises(SystemExit) as done:
        main(["capture", "review", *argv, "--decision", "monitor"])
    err = capsys.readouterr().err
    assert done.value.code == 2 and err.startswith("usage: dermadesk capture review")
    assert err.splitlines()[-1] == f"dermadesk capture review: error: {said}"
