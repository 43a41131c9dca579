"""What ``lesion show`` and ``patient show`` say that the walkthrough found missing or odd: the clinician's notes are
printed under the decision, wrapped to a terminal's width (only the decision and who made it were), as "clinician
notes", told apart from the capture's own notes ("capture notes"; once "import notes", though typed at ``capture
add --notes``); a skin type or birth date not recorded is left out, as the app's patient list leaves it ("skin type
?" read like a value). A real register, the real commands."""

from __future__ import annotations

from pathlib import Path

from dermadesk.cli.lesion_cmds import NOTES_WIDTH
from tests.test_cli import run
from tests.test_cli_lesion_show_recorded import NONE

NOTES = (
    "Border irregular at 6 o'clock with two new dots since the last visit; patient reports itching for three weeks. "
    "Photograph again in six weeks with the same lens.\nDiscussed with Dr Okafor: no excision for now."
)


def test_lesion_show_prints_the_clinicians_notes_wrapped(capsys, lesion_files: list[Path]) -> None:
    assert run(capsys, "patient", "add", "--mrn", "N-1", "--name", "Nora Notes", "--birth-date", "1970-05-02")[0] == 0
    assert run(capsys, "lesion", "add", "--patient", "N-1", "--site", "anterior torso")[0] == 0
    assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", str(lesion_files[0]))[0] == 0
    assert run(capsys, "capture", "review", "--capture", "1", "--decision", "monitor", "--notes", NOTES)[0] == 0
    code, out, _ = run(capsys, "lesion", "show", "1")
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("    decision monitor")) + 1
    notes = lines[start:]
    assert code == 0 and notes[0].startswith("    clinician notes: Border irregular at 6 o'clock")
    assert len(notes) > 3 and all(len(line) <= NOTES_WIDTH for line in notes)
    assert all(line.startswith(" " * len("    clinician notes: ")) for line in notes[1:])  # under their first word
    first, second = NOTES.split("\n")  # the clinician's line break kept: the second paragraph starts a line
    assert " ".join(line.strip() for line in notes).removeprefix("clinician notes: ") == f"{first} {second}"
    assert notes[-2].strip().endswith("same lens.") and notes[-1].strip().startswith("Discussed with Dr Okafor")
    assert run(capsys, "capture", "review", "--capture", "1", "--notes", "")[0] == 0
    code, out, _ = run(capsys, "lesion", "show", "1")
    assert code == 0 and "notes:" not in out  # cleared: nothing after the decision
    assert out.splitlines()[-1].startswith("    decision monitor")


IMPORT_NOTES = (
    "Referral photo sent by the GP surgery; taken through the polarised dermatoscope at clinic B, hair shaved before "
    "the photograph.\nScale from the ruler sticker."
)


def test_lesion_show_prints_a_captures_notes_under_it(capsys, lesion_files: list[Path]) -> None:
    """The notes saved with a capture (``capture add --notes``; a transfer package brings them too) are printed under
    the capture as "capture notes", wrapped as the clinician's notes are, and told apart from the clinician's notes
    ("clinician notes") under the decision; a capture without them prints none."""
    assert run(capsys, "patient", "add", "--mrn", "I-1", "--name", "Ida Import")[0] == 0
    assert run(capsys, "lesion", "add", "--patient", "I-1", "--site", "anterior torso")[0] == 0
    added = ("capture", "add", "--lesion", "1", "--no-assess", "--taken", "2026-01-05", "--notes", IMPORT_NOTES)
    assert run(capsys, *added, str(lesion_files[0]))[0] == 0
    assert (
        run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", "2026-03-02", str(lesion_files[1]))[0]
        == 0
    )
    code, out, _ = run(capsys, "lesion", "show", "1")
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  capture 1 (5 Jan 2026)"))
    assert lines[first + 1] == "    modality dermoscopic" + NONE  # what was recorded with it, then its notes
    notes = lines[first + 2 : next(i for i, line in enumerate(lines) if line.startswith("    not assessed"))]
    assert code == 0 and notes[0].startswith("    capture notes: Referral photo sent by the GP surgery")
    assert len(notes) > 2 and all(len(line) <= NOTES_WIDTH for line in notes)
    assert all(line.startswith(" " * len("    capture notes: ")) for line in notes[1:])  # under their first word
    assert notes[-1].strip() == "Scale from the ruler sticker."  # the line break kept
    assert " ".join(line.strip() for line in notes).removeprefix("capture notes: ") == IMPORT_NOTES.replace("\n", " ")
    assert out.count("capture notes:") == 1 and "import notes" not in out  # the second capture has none
    reviewed = ("capture", "review", "--capture", "1", "--decision", "monitor", "--notes", "Seen by Dr Ames")
    assert run(capsys, *reviewed)[0] == 0
    lines = run(capsys, "lesion", "show", "1")[1].splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  capture 1 (5 Jan 2026)"))
    assert lines[first + 2].startswith("    capture notes: Referral photo")  # the capture's, under the capture
    decided = next(i for i, line in enumerate(lines) if i > first and line.startswith("    decision monitor"))
    assert lines[decided + 1] == "    clinician notes: Seen by Dr Ames"  # the clinician's, under the decision


def test_patient_show_leaves_out_what_is_not_recorded(capsys) -> None:
    assert run(capsys, "patient", "add", "--mrn", "U-1", "--name", "Una Unknown")[0] == 0
    code, out, _ = run(capsys, "patient", "show", "U-1")
    assert code == 0 and out.splitlines()[0] == "U-1 Una Unknown"  # was "U-1 Una Unknown born ? skin type ?"
    known = ("--mrn", "K-1", "--name", "Kai Known", "--birth-date", "1961-03-12", "--skin-type", "II")
    assert run(capsys, "patient", "add", *known)[0] == 0
    code, out, _ = run(capsys, "patient", "show", "K-1")
    assert code == 0 and out.splitlines()[0] == "K-1 Kai Known born 12 Mar 1961 skin type II"
