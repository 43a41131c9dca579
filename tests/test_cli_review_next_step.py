"""``capture review`` says what a decision 'refer' or 'excise' leaves to do while the lesion is still 'monitoring',
as the flag in ``lesion show`` says it and with the command that does it ("next: arrange it, then mark the lesion
referred: dermadesk lesion edit 1 --status referred"); it says nothing of notes the capture does not have ("(notes
kept)" was said of none). The flag of an URGENT or REFER result nobody acted on offers referring first. A real SQLite
register, the real commands."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.storage.register import Register
from tests.services.test_standing import lesion_with_results
from tests.test_cli import run

ANSWER = (
    "answer it with a decision (refer, monitor, discharge) on the 10 Mar 2026 capture or a later one, "
    "or mark the lesion referred "
    "or excised"
)


def urgent_lesion(data_dir: Path, tmp_path: Path) -> tuple[int, int]:
    """A lesion whose one capture (10 Mar 2026) the model found URGENT, no decision, no notes: (lesion, capture)."""
    with Register(data_dir) as reg:
        lid = lesion_with_results(reg, tmp_path, ["urgent"])
        return lid, reg.captures.for_lesion(lid)[0].id


def test_an_urgent_result_offers_referring_first(capsys, data_dir: Path, tmp_path: Path) -> None:
    lid, _ = urgent_lesion(data_dir, tmp_path)
    code, out, _ = run(capsys, "lesion", "show", str(lid))
    assert (
        code == 0 and out.splitlines()[1] == f"  ⚠ URGENT: result on 10 Mar 2026; status still 'monitoring' — {ANSWER}"
    )
    code, out, _ = run(capsys, "patient", "show", "S-1")
    assert code == 0 and out.splitlines()[2].endswith(f" — {ANSWER}")  # as the app's lesion list says it


def test_a_decision_refer_says_the_next_step_and_nothing_of_notes(capsys, data_dir: Path, tmp_path: Path) -> None:
    lid, cid = urgent_lesion(data_dir, tmp_path)
    code, out, err = run(capsys, "capture", "review", "--capture", str(cid), "--decision", "refer")
    step = f"arrange it, then mark the lesion referred: dermadesk lesion edit {lid} --status referred"
    assert code == 0 and out.splitlines() == [f"capture {cid} (10 Mar 2026): decision refer", f"next: {step}"]
    code, out, _ = run(capsys, "lesion", "show", str(lid))  # the flag says the same step
    assert out.splitlines()[1].endswith(
        "— decision refer on the 10 Mar 2026 capture: arrange it, then mark the lesion referred"
    )
    code, out, _ = run(capsys, "--json", "capture", "review", "--capture", str(cid), "--decision", "refer")
    assert code == 0 and json.loads(out)["next_step"] == step  # nothing changed, the step still to do
    code, out, _ = run(capsys, *step.split(": ", 1)[1].split()[1:])  # the command as said
    assert code == 0 and out == f"Lesion 1 (id {lid}): status monitoring → referred\n"
    code, out, _ = run(capsys, "lesion", "show", str(lid))
    assert "⚠" not in out  # done: no flag
    code, out, _ = run(capsys, "capture", "review", "--capture", str(cid), "--notes", "letter sent")
    assert code == 0 and out == f"capture {cid} (10 Mar 2026): notes saved (decision kept)\n"  # marked: no next step


def test_excise_names_its_status_and_monitor_leaves_nothing_to_do(capsys, data_dir: Path, tmp_path: Path) -> None:
    lid, cid = urgent_lesion(data_dir, tmp_path)
    run(capsys, "capture", "review", "--capture", str(cid), "--notes", "seen by Dr B")
    code, out, _ = run(capsys, "capture", "review", "--capture", str(cid), "--decision", "excise")
    assert code == 0 and out.splitlines() == [
        f"capture {cid} (10 Mar 2026): decision excise (notes kept)",  # it has notes: kept, and said so
        f"next: arrange it, then mark the lesion excised: dermadesk lesion edit {lid} --status excised",
    ]
    code, out, _ = run(capsys, "--json", "capture", "review", "--capture", str(cid), "--decision", "monitor")
    assert code == 0 and json.loads(out)["next_step"] is None
    code, out, _ = run(capsys, "capture", "review", "--capture", str(cid), "--decision", "discharge")
    assert code == 0 and out == f"capture {cid} (10 Mar 2026): decision discharge (notes kept)\n"
