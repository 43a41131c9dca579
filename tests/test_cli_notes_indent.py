"""``lesion show`` (and ``capture list``) print notes typed as an indented list with their indentation, as the
lesion report does: "Plan:" / "  - refer to dermatology" / "    - photo sent" printed every line at the notes'
margin, the list's levels lost, and a wrapped line went back to that margin. Now each line keeps its typed
indentation after the label's (a tab as four spaces) and wraps under its own text (a list item's under the text after
its mark: tests/test_cli_notes_list_hang.py); an indented first line is stored and printed indented (the register
stripped its spaces). A real register, the real commands."""

from __future__ import annotations

from pathlib import Path

from dermadesk.cli.lesion_cmds import NOTES_WIDTH
from dermadesk.storage.register import Register
from tests.test_cli import run

NOTES = (
    "  Indented first line.\nGrew about a third since May.\nPlan:\n"
    "  - refer to dermatology, with the photo and the measurements from both visits\n    - photo sent\n\t- tabbed"
)
SHOWN = [
    "    clinician notes:   Indented first line.",
    "                     Grew about a third since May.",
    "                     Plan:",
    "                       - refer to dermatology, with the photo and the",
    "                         measurements from both visits",  # under the item's text, not its dash
    "                         - photo sent",
    "                         - tabbed",
]


def test_lesion_show_keeps_the_notes_indentation(capsys, lesion_files: list[Path], data_dir: Path) -> None:
    assert run(capsys, "patient", "add", "--mrn", "L-1", "--name", "Lis Levels")[0] == 0
    assert run(capsys, "lesion", "add", "--patient", "L-1", "--site", "anterior torso")[0] == 0
    added = ("capture", "add", "--lesion", "1", "--no-assess", "--notes", "Scale:\n  - ruler sticker\n\t- 0.02 mm")
    assert run(capsys, *added, str(lesion_files[0]))[0] == 0
    assert run(capsys, "capture", "review", "--capture", "1", "--decision", "monitor", "--notes", NOTES)[0] == 0
    with Register(data_dir) as reg:
        assert reg.captures.get(1).clinician_notes == NOTES  # the first line's indentation stored, not stripped
    for command in (("lesion", "show", "1"), ("capture", "list", "--lesion", "1")):
        code, out, _ = run(capsys, *command)
        lines = out.splitlines()
        at = lines.index(SHOWN[0])
        assert code == 0 and lines[at : at + len(SHOWN)] == SHOWN and all(len(line) <= NOTES_WIDTH for line in SHOWN)
        at = next(i for i, line in enumerate(lines) if line.startswith("    capture notes:"))
        assert lines[at : at + 3] == [
            "    capture notes: Scale:",
            "                     - ruler sticker",
            "                       - 0.02 mm",  # a tab: four spaces
        ]


def test_blank_lines_around_typed_notes_are_not_kept(capsys, lesion_files: list[Path], data_dir: Path) -> None:
    assert run(capsys, "patient", "add", "--mrn", "L-2", "--name", "Bo Blank")[0] == 0
    assert run(capsys, "lesion", "add", "--patient", "L-2", "--site", "anterior torso")[0] == 0
    assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", str(lesion_files[0]))[0] == 0
    typed = "\n \n  - first\n\n\n  - second  \n\n"
    assert run(capsys, "capture", "review", "--capture", "1", "--notes", typed)[0] == 0
    with Register(data_dir) as reg:
        assert reg.captures.get(1).clinician_notes == "  - first\n\n\n  - second"  # its first line's indent kept
    lines = run(capsys, "lesion", "show", "1")[1].splitlines()
    assert lines[-3:] == ["    clinician notes:   - first", "", "                       - second"]  # one blank kept
    assert run(capsys, "capture", "review", "--capture", "1", "--notes", typed)[1].startswith("nothing")  # no change


def test_a_blank_line_between_paragraphs_is_kept(capsys, lesion_files: list[Path]) -> None:
    """Two paragraphs typed with a blank line between (or several) print with one empty line between them, as the
    lesion report leaves one line's room there; they printed run together, the second read as the first's next line."""
    assert run(capsys, "patient", "add", "--mrn", "L-3", "--name", "Pia Paragraph")[0] == 0
    assert run(capsys, "lesion", "add", "--patient", "L-3", "--site", "anterior torso")[0] == 0
    added = ("capture", "add", "--lesion", "1", "--no-assess", "--notes", "Taken in clinic.\n\nRuler in view.")
    assert run(capsys, *added, str(lesion_files[0]))[0] == 0
    typed = "Seen with daughter.\n\n\n \nPlan:\n  - refer to dermatology, with the photo and the measurements from both"
    assert run(capsys, "capture", "review", "--capture", "1", "--decision", "monitor", "--notes", typed)[0] == 0
    for command in (("lesion", "show", "1"), ("capture", "list", "--lesion", "1")):
        code, out, _ = run(capsys, *command)
        lines = out.splitlines()
        at = lines.index("    capture notes: Taken in clinic.")
        assert code == 0 and lines[at : at + 3] == [
            "    capture notes: Taken in clinic.",
            "",
            "                   Ruler in view.",
        ]
        at = lines.index("    clinician notes: Seen with daughter.")
        assert lines[at:] == [
            "    clinician notes: Seen with daughter.",
            "",  # three blank lines typed (one of spaces): one kept
            "                     Plan:",
            "                       - refer to dermatology, with the photo and the",
            "                         measurements from both",
        ]
