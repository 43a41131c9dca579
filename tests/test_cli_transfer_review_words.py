"""``dermadesk transfer import``: a review conflict in the words the app uses. Clinician notes typed on several
lines are said on one, their lines joined by " / " as in the app's preview (the CLI printed a literal "\\n":
'Excise next week.\\nConsent taken.'); and "last agreed" says the re-check interval agreed with a 'monitor'
decision even where the interval is no part of the conflict (the same on both sides now), as the interval goes with
the decision kept or taken. Real registers, a real package, the real command line."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage.register import Register
from tests.services.test_transfer_review_who import first_capture
from tests.test_cli_transfer import run
from tests.transfer_data import fill

NOTES = "Excise next week.\nConsent taken."


def _apart(tmp_path: Path) -> tuple[str, str]:
    """P-1 agreed 'monitor', re-check in 6 months, 'watch it'; then the field laptop reviewed it 'refer' with notes on
    two lines, and the clinic 'monitor' with no interval of its own (as the tier suggests) and other notes: both
    intervals none now, the decisions and notes in conflict. The clinic's folder and the laptop's package."""
    clinic, field, package = tmp_path / "clinic", tmp_path / "field", tmp_path / "in.ddtx"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
        reg.captures.review("Dr Ames", first_capture(reg), "monitor", "watch it", 6)
        export_patients(reg, package, None)
    with Register(field) as reg:
        import_package(reg, package, None, "nurse")
        reg.captures.review("Dr Lee", first_capture(reg), "refer", NOTES, None)
        export_patients(reg, package, None, overwrite=True)
    with Register(clinic) as reg:
        reg.captures.review("Dr Ames", first_capture(reg), "monitor", "still watching", None)
    return str(clinic), str(package)


def _conflict(capsys, tmp_path: Path) -> str:
    clinic, package = _apart(tmp_path)
    code, out, _ = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--dry-run")
    [line] = [line for line in out.splitlines() if line.startswith("conflict 1: ")]
    assert code == 0 and "review (decision and clinician notes, answered together)" in line
    return out


def test_notes_on_two_lines_are_said_on_one_joined_by_a_slash(capsys, tmp_path: Path) -> None:
    out = _conflict(capsys, tmp_path)
    assert "in the package: decision 'refer', clinician notes 'Excise next week. / Consent taken.' — by Dr Lee" in out
    assert "\\n" not in out


def test_last_agreed_says_the_interval_agreed_with_the_decision(capsys, tmp_path: Path) -> None:
    out = _conflict(capsys, tmp_path)
    assert "; last agreed: decision 'monitor', re-check in 6 months, clinician notes 'watch it')" in out
