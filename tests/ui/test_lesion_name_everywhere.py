"""One lesion read five ways: "Lesion 1 · posterior torso (left)" in the list, "⚠ CHANGED #1 · L post. torso" once
flagged, "⚠ CHANGED #1 L post. torso" beside another flagged one, "Lesion 1 · post. torso (L)", and "Lesion 1 left
scapula (left posterior torso)" in the import dialog; the list never showed the label. Now the lesion list (its rows
and tooltips), the body map's marker tooltips, the import dialog and the command line's ``patient show``/``lesion
show`` name it the one way (``domain.lesion_name``): the same parts, with and without a label, flagged and not (real
window, real register, the flags from stored comparisons; the command line on the same data folder)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from dermadesk.domain.lesion_name import lesion_name, name_parts
from dermadesk.main import main
from dermadesk.ui.lesion_list import LesionList, compact_name
from tests.conftest import lesion_jpeg
from tests.ui.helpers import settled
from tests.ui.test_flag_one_form import add_lesions, one_line, shown_cut

SPOTS = [  # (site, view, x, y, flag), label
    (("posterior torso", "back", 0.4, 0.3, "changed"), "left scapula"),
    (("upper extremity", "front", 0.25, 0.35, None), ""),
    (("lower extremity", "front", 0.6, 0.75, "changed"), ""),
    (("anterior torso", "front", 0.45, 0.35, None), "mole by the navel"),
]
PARTS = [  # what each is called, in full and its site in the short form (the narrow list's)
    (("Lesion 1", "left scapula", "posterior torso (left)"), "post. torso (L)"),
    (("Lesion 2", "upper extremity (right, front)"), "upper extr. (R, front)"),
    (("Lesion 3", "lower extremity (left, front)"), "lower extr. (L, front)"),
    (("Lesion 4", "mole by the navel", "anterior torso (right)"), "ant. torso (R)"),
]
FLAGS = ["⚠ CHANGED", "", "⚠ CHANGED", ""]


def named_patient(window, tmp_path: Path) -> list:
    reg = window.session.register
    pid = reg.patients.add("t", mrn="N-1", name="Nora Name").id
    lids = add_lesions(reg, pid, tmp_path, [spot for spot, _ in SPOTS])
    for lid, (_, label) in zip(lids, SPOTS):
        if label:
            reg.lesions.update("t", lid, label=label)
    return [reg.lesions.get(lid) for lid in lids]


def unflagged(text: str, flag: str) -> tuple[str, ...]:
    assert text.startswith(f"{flag} " if flag else "Lesion "), text  # the flag a prefix, one space after it
    return tuple(text.removeprefix(f"{flag} " if flag else "").split(" · "))


def test_the_list_the_import_dialog_and_the_command_line_name_a_lesion_alike(
    qtbot, window, dialogs, tmp_path, capsys
) -> None:
    lesions = named_patient(window, tmp_path)
    assert lesion_name(lesions[0], "⚠ CHANGED") == "⚠ CHANGED Lesion 1 · left scapula · posterior torso (left)"
    window.resize(1920, 1080)  # room for every full name
    window.refresh(lesions[0].patient_id)
    settled(qtbot, window)
    lst = window.lesions.list
    qtbot.waitUntil(lambda: lst.item(0).text() == "⚠ CHANGED Lesion 1 · left scapula · posterior torso (left)")
    for row, (les, (parts, _), flag) in enumerate(zip(lesions, PARTS, FLAGS)):
        assert name_parts(les) == parts
        item = lst.item(row)
        assert unflagged(item.text(), flag) == parts  # the row: the flag, then the name
        tip = item.toolTip().split("\n")
        assert tip[0] == f"{' · '.join(parts)}, monitoring"  # the tooltip: the whole name, its status
        assert len(tip) == (2 if flag else 1) and (not flag or tip[1].startswith(f"{flag}: significant change"))
        bm = window.lesions.body_map  # its marker's tooltip: the same name, then the same flag line
        mark = bm.marker_tip(bm.to_widget(les.body_view, les.body_x, les.body_y)).split("\n")
        assert mark[0] == " · ".join(parts) and (not flag or mark[1] == tip[1])

    seen: list[str] = []

    def read_target(d) -> bool:
        seen.append(d.target.text())  # where the dialog says the images go
        return False  # cancelled: nothing imported

    image = tmp_path / "new.jpg"
    image.write_bytes(lesion_jpeg(seed=99, width=96, height=72))
    for les, (parts, _) in zip(lesions, PARTS):
        window.show_lesion(les.id)
        dialogs.files.append([str(image)])
        dialogs.fillers.append(read_target)
        asked = len(seen)
        window.c.import_images()  # the files' headers are read in the background first, then the dialog asks
        qtbot.waitUntil(lambda n=asked: len(seen) > n, timeout=20000)
        assert seen[-1] == f"Into: <b>{escape(' · '.join(parts))} of N-1 Nora Name</b>"

    capsys.readouterr()
    assert main(["patient", "show", "N-1"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  id ")]
    assert len(lines) == 4
    for line, les, (parts, _), flag in zip(lines, lesions, PARTS, FLAGS):
        head, rest = line.split(": ", 1)
        assert head == f"  id {les.id}" and rest.endswith(" for its captures)")
        assert unflagged(rest.split(", monitoring, ")[0], flag) == parts
    for les, (parts, _), flag in zip(lesions, PARTS, FLAGS):
        assert main(["lesion", "show", str(les.id)]) == 0
        first = capsys.readouterr().out.splitlines()[0]
        assert first.startswith(f"lesion id {les.id} of patient N-1 Nora Name: ") and first.endswith(", monitoring")
        assert unflagged(first.split(": ", 1)[1].removesuffix(", monitoring"), flag) == parts


def test_the_narrow_list_names_every_lesion_compact_its_site_first(qtbot, window, tmp_path) -> None:
    """At 150 % on 1280x720 (853x480) every row is compact (never mixed with full or short ones): its number, its
    site in the one short form, then its label ("⚠ CHANGED Lesion 1 · left s…" showed no site); a row too wide wraps
    onto a second line at a " · " (it was cut at its end, its label left out where it would leave the site cut), its
    tooltip the full name."""
    lesions = named_patient(window, tmp_path)
    window.resize(853, 480)
    window.refresh(lesions[0].patient_id)
    settled(qtbot, window)
    lst = window.lesions.list
    for row, (les, (parts, short), flag) in enumerate(zip(lesions, PARTS, FLAGS)):
        item = lst.item(row)
        name = compact_name(les, flag)
        assert LesionList.names(item)[1] == lesion_name(les, flag, short=True)  # the short name, not shown here
        label = parts[1:-1]  # the label as in full, after the site
        assert tuple(name.removeprefix(f"{flag} ").split(" · ")) == (str(row + 1), short, *label)
        shown_cut(lst, item, name)
        assert one_line(item) == name, item.text()  # whole: its site with its side, and its label
        assert item.toolTip().startswith(f"{' · '.join(parts)}, monitoring")
    assert LesionList.names(lst.item(0))[2] == "⚠ CHANGED 1 · post. torso (L) · left scapula"
    assert "\n" in lst.item(0).text() and "\n" in lst.item(3).text()  # too wide for one line: on two
