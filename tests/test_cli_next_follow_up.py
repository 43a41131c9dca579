"""``lesion show`` and ``patient show`` always say the lesion's next follow-up ("next follow-up: 24 Nov 2027 (12
months, clinician's decision)", or what to do instead), not only once it is overdue, and --json carries it; the
decision's "by ... on ..." names who last set the decision or its interval (Nurse Ada's 'monitor', then Dr Lena
Brandt's 12 months: Dr Brandt's, counted from her day). A real SQLite register, the real commands."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from dermadesk.domain.dates import human_date, local_day
from dermadesk.domain.follow_up import months_after
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.services.test_standing import assess, lesion_with_results
from tests.test_cli import run
from tests.test_cli_review_keeps import capture  # noqa: F401  (the fixture: capture 1, no decision)

NURSE, DOCTOR = "Nurse Ada", "Dr Lena Brandt"


def test_the_clinicians_interval_names_her_and_counts_from_her_day(capsys, capture, data_dir: Path) -> None:  # noqa: F811
    assert run(capsys, "--operator", NURSE, "capture", "review", "1", "--decision", "monitor")[0] == 0
    with Register(data_dir) as reg:  # the nurse's 'monitor' saved a month ago
        reg.database.conn.execute("DROP TRIGGER audit_log_no_update")
        reg.database.conn.execute("UPDATE audit_log SET at = '2026-10-20T09:00:00.000+00:00' WHERE actor = ?", (NURSE,))
    notes = "Stable on dermoscopy; re-check in a year."
    code, _, _ = run(capsys, "--operator", DOCTOR, "capture", "review", "1", "--recheck", "12", "--notes", notes)
    assert code == 0
    with Register(data_dir) as reg:
        last = reg.audit.entries("capture", 1)[0]
        assert last.actor == DOCTOR and "decision" not in last.after  # her row changed the interval, not the decision
        day = dt.date.fromisoformat(local_day(last.at) or "")
    due = months_after(day, 12)
    code, out, _ = run(capsys, "lesion", "show", "1")
    assert code == 0
    assert f"decision monitor, re-check in 12 months, by {DOCTOR} on {human_date(day.isoformat())}" in out
    assert NURSE not in out
    assert f"  next follow-up: {human_date(due.isoformat())} (12 months, clinician's decision)" in out.splitlines()
    code, out, _ = run(capsys, "lesion", "show", "1", "--json")
    shown = json.loads(out)
    assert code == 0 and shown["captures"][0]["decided_by"] == DOCTOR
    assert shown["next_follow_up"] == {
        "due": due.isoformat(),
        "interval": "12 months",
        "whose": "clinician",
        "overdue": False,
        "action": None,
        "also": None,
    }
    code, out, _ = run(capsys, "patient", "show", "R-1")
    assert code == 0 and f"    next follow-up: {human_date(due.isoformat())} (12 months, clinician's decision)" in out
    code, out, _ = run(capsys, "patient", "show", "R-1", "--json")
    assert json.loads(out)["lesions"][0]["next_follow_up"]["due"] == due.isoformat()


def test_the_tiers_interval_and_an_action_are_said_too(capsys, register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["monitor"])  # 10 Mar 2026, MONITOR: 3 calendar months
    urgent = register.lesions.add("t", register.patients.by_mrn("S-1").id, "posterior torso", "back").id
    (tmp_path / "u.jpg").write_bytes(lesion_jpeg(seed=21, width=96, height=72))

    added = import_files(register, "t", urgent, [tmp_path / "u.jpg"], CaptureMeta(taken_at="2026-11-02"))
    assess(register, added.captures[0].id, "urgent")
    register.close()
    overdue = dt.date.today() > dt.date(2026, 6, 10)
    code, out, _ = run(capsys, "lesion", "show", str(lid))
    bracket = "3-month re-check" if overdue else "3 months"  # past its date: the re-check's interval, not how late
    said = f"  {'⚠ OVERDUE: next follow-up was due' if overdue else 'next follow-up:'} 10 Jun 2026 ({bracket})"
    assert code == 0 and said in out.splitlines()
    code, out, _ = run(capsys, "lesion", "show", str(lid), "--json")
    assert json.loads(out)["next_follow_up"] == {
        "due": "2026-06-10",
        "interval": "3 months",
        "whose": "tier",
        "overdue": overdue,
        "action": None,
        "also": None,
    }
    code, out, _ = run(capsys, "patient", "show", "S-1")
    said = [line for line in out.splitlines() if "next follow-up" in line]
    assert code == 0 and said[1] == "    next follow-up: specialist review now"  # one line per lesion
    assert len(said) == 2 and said[0].endswith(f"10 Jun 2026 ({bracket})")
    assert run(capsys, "lesion", "edit", str(urgent), "--status", "referred")[0] == 0
    code, out, _ = run(capsys, "lesion", "show", str(urgent), "--json")
    assert json.loads(out)["next_follow_up"] == {
        "due": None,
        "interval": None,
        "whose": None,
        "overdue": False,
        "action": "with the specialist (lesion referred)",
        "also": None,
    }
    code, out, _ = run(capsys, "lesion", "show", str(urgent))
    assert code == 0 and "  next follow-up: with the specialist (lesion referred)" in out.splitlines()


def test_an_overdue_follow_up_is_said_once(capsys, register: Register, tmp_path: Path) -> None:
    """Its flag said "follow-up was due 10 Jun 2026 (3 months)" and the line under it "next follow-up: was due 10 Jun
    2026 (3 months)": one line says both now, its bracket the re-check's interval ("(3 months)" read as three months
    overdue); --json keeps the flag's why and the follow-up's fields."""
    lid = lesion_with_results(register, tmp_path, ["monitor"])  # 10 Mar 2026, MONITOR: due 10 Jun 2026, passed
    register.close()
    code, out, _ = run(capsys, "lesion", "show", str(lid))
    assert code == 0 and out.count("10 Jun 2026") == 1, out
    assert out.splitlines()[1] == "  ⚠ OVERDUE: next follow-up was due 10 Jun 2026 (3-month re-check)"
    code, out, _ = run(capsys, "patient", "show", "S-1")
    assert code == 0 and out.count("10 Jun 2026") == 1, out
    assert "    ⚠ OVERDUE: next follow-up was due 10 Jun 2026 (3-month re-check)" in out.splitlines()
    code, out, _ = run(capsys, "lesion", "show", str(lid), "--json")
    shown = json.loads(out)
    assert (shown["flag"], shown["flag_why"]) == ("OVERDUE", "follow-up was due 10 Jun 2026 (3-month re-check)")
    assert shown["next_follow_up"] == {
        "due": "2026-06-10",
        "interval": "3 months",
        "whose": "tier",
        "overdue": True,
        "action": None,
        "also": None,
    }
    code, out, _ = run(capsys, "patient", "show", "S-1", "--json")
    lesion = json.loads(out)["lesions"][0]
    assert lesion["flag_why"] == shown["flag_why"] and lesion["next_follow_up"] == shown["next_follow_up"]


def test_a_not_assessable_captures_interval_gives_the_date(
    capsys, register: Register, data_dir: Path, tmp_path: Path
) -> None:
    """'monitor, re-check in 9 months' on a NOT ASSESSABLE capture: the date from the clinician's interval, the retake
    said besides (it said only "retake the image (not assessable), then assess", --json due and interval null)."""
    lid = lesion_with_results(register, tmp_path, [None])  # 10 Mar 2026, NOT ASSESSABLE
    register.close()
    assert (
        run(capsys, "--operator", DOCTOR, "capture", "review", "1", "--decision", "monitor", "--recheck", "9")[0] == 0
    )
    with Register(data_dir) as reg:
        day = dt.date.fromisoformat(local_day(reg.audit.entries("capture", 1)[0].at) or "")
    due = months_after(day, 9)
    retake = "retake the image (not assessable), then assess"
    code, out, _ = run(capsys, "lesion", "show", str(lid))
    said = f"  next follow-up: {human_date(due.isoformat())} (9 months, clinician's decision); {retake}"
    assert code == 0 and said in out.splitlines(), out
    code, out, _ = run(capsys, "lesion", "show", str(lid), "--json")
    assert json.loads(out)["next_follow_up"] == {
        "due": due.isoformat(),
        "interval": "9 months",
        "whose": "clinician",
        "overdue": False,
        "action": None,
        "also": retake,
    }
    code, out, _ = run(capsys, "patient", "show", "S-1", "--json")
    assert json.loads(out)["lesions"][0]["next_follow_up"]["due"] == due.isoformat()


def test_a_refer_result_answered_monitor_by_tier_says_where_its_interval_comes_from(
    capsys, register: Register, tmp_path: Path
) -> None:
    """``lesion show`` said "decision monitor" and "next follow-up: ... (3 months)" under a REFER result, whose advice
    names no interval; now the decision says the tier's interval was left and the follow-up where 3 months come from."""
    lid = lesion_with_results(register, tmp_path, ["refer"])
    (c,) = register.captures.for_lesion(lid)
    register.captures.review("Dr Fresh", c.id, "monitor", "", None)
    day = dt.date.fromisoformat(local_day(register.audit.entries("capture", c.id)[0].at) or "")
    register.close()
    code, out, _ = run(capsys, "lesion", "show", str(lid))
    assert code == 0
    assert f"decision monitor, re-check as the tier suggests, by Dr Fresh on {human_date(day.isoformat())}" in out
    due = human_date(months_after(day, 3).isoformat())
    said = f"  next follow-up: {due} (3 months: the re-check for a REFER result answered 'monitor')"
    assert said in out.splitlines()
    code, out, _ = run(capsys, "lesion", "show", str(lid), "--json")  # --json as before: the tier's interval
    assert json.loads(out)["next_follow_up"]["interval"] == "3 months"
    assert json.loads(out)["next_follow_up"]["whose"] == "tier"
