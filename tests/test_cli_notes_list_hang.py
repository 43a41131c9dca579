"""``lesion show`` (and ``capture list``) wrap a list item in notes under the text after its mark, as the lesion
report hangs it: "- refer to dermatology with ..." went on under its dash (and "* ", "12. ", "2) " items under their
mark) while the report went on under "refer". The same notes as the report's test, one rule for what a list item is
(``domain.text.list_mark``); a line that is no list item ("-not ...") wraps under its own start. A real register, the
real commands."""

from __future__ import annotations

from pathlib import Path

from dermadesk.cli.lesion_cmds import NOTES_WIDTH
from tests.reports.test_notes_list_hang import NOTES
from tests.test_cli import run

SHOWN = [
    "    clinician notes: - first with the photographs, the measurements from both",
    "                       visits and a letter to the practice that referred her",  # under "first", not its dash
    "                     Plan:",
    "                     - dash with the photographs, the measurements from both",
    "                       visits and a letter to the practice that referred her",
    "                     * star with the photographs, the measurements from both",
    "                       visits and a letter to the practice that referred her",
    "                       12. number with the photographs, the measurements from",  # typed two spaces in
    "                           both visits and a letter to the practice that",
    "                           referred her",
    "                         2) bracket with the photographs, the measurements from",
    "                            both visits and a letter to the practice that",
    "                            referred her",
    "                     -not a list item, no space after its dash, with the",  # no list item: under its start
    "                     photographs, the measurements from both visits and a letter",
    "                     to the practice that referred her",
]


def test_a_wrapped_list_item_goes_on_under_its_text(capsys, lesion_files: list[Path]) -> None:
    assert run(capsys, "patient", "add", "--mrn", "H-1", "--name", "Hana Hang")[0] == 0
    assert run(capsys, "lesion", "add", "--patient", "H-1", "--site", "anterior torso")[0] == 0
    assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", str(lesion_files[0]))[0] == 0
    assert run(capsys, "capture", "review", "--capture", "1", "--decision", "monitor", "--notes", NOTES)[0] == 0
    for command in (("lesion", "show", "1"), ("capture", "list", "--lesion", "1")):
        code, out, err = run(capsys, *command)
        lines = out.splitlines()
        assert (code, err) == (0, "") and lines[lines.index(SHOWN[0]) :] == SHOWN
    assert all(len(line) <= NOTES_WIDTH for line in SHOWN)
    for at, first in ((0, "first"), (3, "dash"), (5, "star"), (7, "number"), (10, "bracket")):
        wrapped = SHOWN[at + 1]  # starts under the item's first word, after its mark
        assert len(wrapped) - len(wrapped.lstrip()) == SHOWN[at].index(f" {first} ") + 1
