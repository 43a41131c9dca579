"""A SIGNIFICANT change since the baseline that nobody answered stands for the lesion (services.standing
.significant_change): the lesion list's flag and the referral prompt's reason say it whichever capture is on screen,
until a decision 'monitor' or 'discharge' on that capture answers it or the lesion's status moves on. A real SQLite
register; comparisons made by the real pipeline, or stored as rows where the verdict itself is the point."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.attention import lesion_flag, referral_reason
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.register_ops import review_capture
from dermadesk.services.standing import significant_change
from dermadesk.storage.register import Register
from tests.services.test_scale_corrections import MM, smooth_blob
from tests.services.test_standing import EARLIER, lesion_with_results

STILL = "status still 'monitoring'"


def grown_lesion(register: Register, tmp_path: Path) -> int:
    """A baseline of 10 Jan 2026 (radius 50 px) and a follow-up of 3 Mar 2026 (60 px) at the same scale, compared
    on import (no model: not assessed): area +44 %, SIGNIFICANT."""
    lid = register.lesions.add("t", register.patients.add("t", "G-1", "Grow Ing").id, "anterior torso").id
    for name, radius, day in (("base", 50, "2026-01-10"), ("follow", 60, "2026-03-03")):
        path = tmp_path / f"{name}.png"
        path.write_bytes(smooth_blob(radius))
        import_files(register, "t", lid, [path], CaptureMeta(taken_at=day, mm_per_px=MM))
    return lid


def store(register: Register, lid: int, followup: int, verdict: str, reason: str) -> None:
    """A comparison of ``followup`` with the lesion's first capture, as the comparing stores it."""
    base = register.captures.for_lesion(lid)[0].id
    scales = {"scales": {"baseline": None, "followup": None}}
    register.comparisons.add("t", lid, base, followup, None, verdict, [reason], scales, None)


def test_a_significant_change_on_import_flags_the_lesion_until_a_decision_answers_it(register, tmp_path) -> None:
    lid = grown_lesion(register, tmp_path)
    base, follow = register.captures.for_lesion(lid)
    change = significant_change(register, lid)
    assert change is not None and change.capture.id == follow.id and change.baseline.id == base.id
    assert not change.carried and change.reasons[0].startswith("area grew by 4")
    note = f"significant change on 3 Mar 2026 ({change.reasons[0]})"
    assert change.note == note
    answer = (
        "answer it with a decision (monitor, discharge) on the 3 Mar 2026 capture, "
        "or mark the lesion referred or excised"
    )
    assert lesion_flag(register, lid) == ("⚠ CHANGED", f"{note}; {STILL} — {answer}")
    # the prompt's reason whichever capture is on screen (the baseline's own comparison has nothing to say)
    assert referral_reason(register, lid, base.id) == note
    assert referral_reason(register, lid, follow.id) == "SIGNIFICANT change"  # that capture's own verdict says it
    review_capture(register, "t", base.id, "monitor", "")  # a decision on another capture answers nothing
    assert significant_change(register, lid) is not None
    review_capture(register, "t", follow.id, "monitor", "reviewed: growth in pregnancy, benign pattern")
    assert significant_change(register, lid) is None
    assert lesion_flag(register, lid) == ("", "") and referral_reason(register, lid, base.id) == ""


def test_a_decision_refer_leaves_it_standing_until_the_lesion_is_marked_referred(register, tmp_path) -> None:
    lid = grown_lesion(register, tmp_path)
    follow = register.captures.for_lesion(lid)[-1].id
    review_capture(register, "t", follow, "refer", "to plastics")
    assert lesion_flag(register, lid)[0] == "⚠ CHANGED"  # the status still says 'monitoring'
    register.lesions.update("t", lid, status="referred")
    assert significant_change(register, lid) is None and lesion_flag(register, lid) == ("", "")


def test_a_later_capture_that_cannot_tell_is_not_compared_or_finds_none_hides_no_change(register, tmp_path) -> None:
    lid = lesion_with_results(register, tmp_path, ["low", "low", "low"])  # 10 Mar, 2 Jun, 1 Jul 2026
    _, middle, latest = (c.id for c in register.captures.for_lesion(lid))
    store(register, lid, middle, "significant", "area grew by 35%")
    change = significant_change(register, lid)
    assert change is not None and change.carried and change.capture.id == middle
    assert (
        change.note == "significant change on 2 Jun 2026 (area grew by 35%); latest capture's change: not compared yet"
    )
    store(register, lid, latest, "cannot tell", "cannot measure reliably")
    assert significant_change(register, lid).note.endswith("latest capture's change: cannot tell")  # type: ignore[union-attr]
    store(register, lid, latest, "not significant", "no significant change under short-term rules")
    assert significant_change(register, lid).note.endswith("latest capture's change: not significant")  # type: ignore[union-attr]
    store(register, lid, latest, "significant", "new colour: blue-grey")  # the pair compared again: its latest row
    change = significant_change(register, lid)
    assert change is not None and change.note == "significant change on 1 Jul 2026 (new colour: blue-grey)"


def test_an_urgent_result_takes_the_flag_and_its_line_names_the_change_too(register, tmp_path) -> None:
    lid = lesion_with_results(register, tmp_path, ["urgent", "routine"])
    first, latest = (c.id for c in register.captures.for_lesion(lid))
    store(register, lid, latest, "significant", "area grew by 35%")
    change = "significant change on 2 Jun 2026 (area grew by 35%)"
    urgent_answer = (  # an URGENT result: referring, the decision its advice calls for, offered first
        "answer it with a decision (refer, monitor, discharge) on the 10 Mar 2026 capture or a later one, "
        "or mark the lesion referred or excised"
    )
    assert lesion_flag(register, lid) == ("⚠ URGENT", f"{EARLIER}; {change}; {STILL} — {urgent_answer}")
    assert referral_reason(register, lid, latest) == f"SIGNIFICANT change; {EARLIER}"
    assert referral_reason(register, lid, first) == f"URGENT result; {change}"
    review_capture(register, "t", first, "monitor", "")  # the URGENT result answered: the change is left
    answer = (
        "answer it with a decision (monitor, discharge) on the 2 Jun 2026 capture, "
        "or mark the lesion referred or excised"
    )
    assert lesion_flag(register, lid) == ("⚠ CHANGED", f"{change}; {STILL} — {answer}")


def test_the_list_reads_stored_rows_only(register, tmp_path, monkeypatch) -> None:
    """The flag is asked for every lesion on the GUI thread: it never reads or compares an image."""
    from dermadesk.services import tracking

    lid = grown_lesion(register, tmp_path)

    def no_images(*_args: object, **_kw: object) -> None:
        raise AssertionError("an image was read")

    monkeypatch.setattr(register.images, "read", no_images)
    monkeypatch.setattr(tracking, "compare_pair", no_images)
    assert lesion_flag(register, lid)[0] == "⚠ CHANGED"


def test_an_urgent_result_is_offered_on_an_earlier_capture_too(register, tmp_path) -> None:
    """The prompt offers what stands whichever capture is on screen: an older routine capture does not hide the
    latest URGENT result (the list flags it all the while)."""
    lid = lesion_with_results(register, tmp_path, ["routine", "urgent"])
    first, latest = (c.id for c in register.captures.for_lesion(lid))
    assert referral_reason(register, lid, first) == "URGENT result on 2 Jun 2026"
    assert referral_reason(register, lid, latest) == "URGENT result"


def test_the_same_result_on_screen_and_standing_is_said_once(register, tmp_path) -> None:
    lid = lesion_with_results(register, tmp_path, ["urgent", "urgent"])  # was "URGENT result; URGENT result on ..."
    first, latest = (c.id for c in register.captures.for_lesion(lid))
    assert referral_reason(register, lid, first) == "URGENT result here and on 2 Jun 2026"
    assert referral_reason(register, lid, latest) == "URGENT result"


def test_the_command_line_shows_the_flag_as_the_lesion_list_does(capsys, register, tmp_path) -> None:
    """`patient show` prints a flagged lesion's flag and why under it (and in its JSON); a decision ends it."""
    import json

    from dermadesk.main import main

    lid = grown_lesion(register, tmp_path)
    follow = register.captures.for_lesion(lid)[-1].id
    flag, why = lesion_flag(register, lid)
    register.close()
    assert main(["patient", "show", "G-1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith(f"  id {lid}: ⚠ CHANGED Lesion 1 · anterior torso")  # named as the app's list names it
    assert lines[2] == f"    ⚠ CHANGED: {why}"
    assert main(["patient", "show", "G-1", "--json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)["lesions"]
    assert (item["flag"], item["flag_why"]) == ("CHANGED", why) and flag == "⚠ CHANGED"
    assert main(["capture", "review", "--capture", str(follow), "--decision", "monitor"]) == 0
    capsys.readouterr()
    assert main(["patient", "show", "G-1"]) == 0
    assert "⚠" not in capsys.readouterr().out


def test_the_command_line_hint_names_a_change_the_latest_capture_does_not_tell(register, tmp_path) -> None:
    """`capture add` / `assess`: where the new capture's own result says nothing, the change that stands is named."""
    from dermadesk.services.register_ops import REFERRAL_HINT
    from dermadesk.services.standing import carried_referral_hint

    lid = lesion_with_results(register, tmp_path, ["low", "low", "low"])
    _, middle, latest = (c.id for c in register.captures.for_lesion(lid))
    store(register, lid, middle, "significant", "area grew by 35%")
    store(register, lid, latest, "cannot tell", "cannot measure reliably")
    change = "significant change on 2 Jun 2026 (area grew by 35%); latest capture's change: cannot tell"
    assert carried_referral_hint(register, lid) == f"{change}; {REFERRAL_HINT.format(id=lid)}"
    store(register, lid, latest, "significant", "area grew by 40%")
    assert carried_referral_hint(register, lid) == ""  # the latest capture's own verdict: the CLI's own hint says it


def visit(register: Register, lid: int, tmp_path: Path, radius: int, day: str) -> int:
    """A further capture of the lesion (a blob of ``radius`` px at the same scale), compared with the baseline on
    import as the app does; its id. A corner pixel tells it from an earlier image of the same radius (the same file
    would be refused as a duplicate)."""
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(smooth_blob(radius), np.uint8), cv2.IMREAD_COLOR)
    image[0, 0] = (0, 0, 0)
    path = tmp_path / f"visit-{day}.png"
    path.write_bytes(cv2.imencode(".png", image)[1].tobytes())
    return import_files(register, "t", lid, [path], CaptureMeta(taken_at=day, mm_per_px=MM)).captures[0].id


def test_after_a_review_a_later_capture_flags_only_what_changed_since_the_reviewed_one(register, tmp_path) -> None:
    """Alarm fatigue: once 'monitor' answered the +44 % of 3 Mar, the unchanged lesion on 2 Jun (+44 % since the
    baseline again, SIGNIFICANT) is not flagged; grown further on 2 Sep, it is, for its growth since 3 Mar."""
    lid = grown_lesion(register, tmp_path)
    follow = register.captures.for_lesion(lid)[-1].id
    review_capture(register, "t", follow, "monitor", "reviewed: benign pattern")
    same = visit(register, lid, tmp_path, 60, "2026-06-02")
    rows = {(r.baseline_capture_id, r.followup_capture_id): r.verdict for r in register.comparisons.for_lesion(lid)}
    base = register.captures.for_lesion(lid)[0].id
    assert rows[(base, same)] == "significant" and rows[(follow, same)] == "not significant"  # since 3 Mar: none
    assert significant_change(register, lid) is None and lesion_flag(register, lid) == ("", "")
    assert referral_reason(register, lid, same) == "" and referral_reason(register, lid, follow) == ""
    grown = visit(register, lid, tmp_path, 72, "2026-09-02")
    change = significant_change(register, lid)
    assert change is not None and change.capture.id == grown and change.reviewed is not None
    assert change.reviewed.id == follow
    reason = change.reasons[0]  # its comparison with the reviewed capture, 6 months on: the long-term rules
    assert reason.startswith("marked enlargement: area grew by 4")
    assert reason.endswith("% since the reviewed capture of 3 Mar 2026")
    answer = (
        "answer it with a decision (monitor, discharge) on the 2 Sep 2026 capture, "
        "or mark the lesion referred or excised"
    )
    assert lesion_flag(register, lid) == (
        "⚠ CHANGED",
        f"significant change on 2 Sep 2026 ({reason}); {STILL} — {answer}",
    )
    assert referral_reason(register, lid, grown) == change.note == referral_reason(register, lid, same)
    review_capture(register, "t", grown, "monitor", "")  # answered again: the next visit is judged since 2 Sep
    assert significant_change(register, lid) is None


def test_what_is_new_since_the_reviewed_capture_from_the_two_stored_comparisons() -> None:
    """The rule's figures: growth since the reviewed capture from both area changes (a +44 % then +50 % lesion grew
    by about 4 %: not named), a colour new since it, and rows with no figures that cannot tell (None)."""
    from dermadesk.services.since_review import new_since_review

    since = "since the reviewed capture of 3 Mar 2026"
    reviewed = {"area_change_percent": 44.0, "new_colours": ["dark brown"]}
    assert new_since_review({"area_change_percent": 50.0, "new_colours": ["dark brown"]}, reviewed, since) == []
    later = {"area_change_percent": 50.0, "new_colours": ["dark brown", "blue-grey"]}
    assert new_since_review(later, reviewed, since) == [f"new colour: blue-grey {since}"]
    assert new_since_review({"area_change_percent": 20.0}, reviewed, since) == [f"area shrank by 17% {since}"]
    assert new_since_review({"area_change_percent": 60.0}, {}, since) is None  # no figures: the change stands


def test_growth_at_a_short_term_visit_stands_when_a_long_term_comparison_passes_it(register, tmp_path) -> None:
    """+21 % area in 7 weeks is SIGNIFICANT under the short-term rules; a year on, the same lesion compared with the
    baseline is NOT SIGNIFICANT under the long-term rules (symmetric growth under 30 %). Nobody answered the short-term
    change: it still stands, the later verdict named beside it, until a decision on that capture answers it."""
    lid = register.lesions.add("t", register.patients.add("t", "G-2", "Short Term").id, "anterior torso").id
    for name, radius, day in (("base", 50, "2025-01-10"), ("follow", 55, "2025-03-03")):
        path = tmp_path / f"{name}.png"
        path.write_bytes(smooth_blob(radius))
        import_files(register, "t", lid, [path], CaptureMeta(taken_at=day, mm_per_px=MM))
    short = register.captures.for_lesion(lid)[-1].id
    assert register.comparisons.for_lesion(lid)[-1].verdict == "significant"
    later = visit(register, lid, tmp_path, 55, "2026-01-12")
    rows = {r.followup_capture_id: r for r in register.comparisons.for_lesion(lid)}
    assert rows[later].verdict == "not significant", rows[later].reasons  # long-term rules
    change = significant_change(register, lid)
    assert change is not None and change.capture.id == short and change.carried
    assert change.note.startswith("significant change on 3 Mar 2025 (area grew by ")
    assert change.note.endswith("; latest capture's change: not significant")
    assert lesion_flag(register, lid)[0] == "⚠ CHANGED"
    assert referral_reason(register, lid, later) == change.note  # whichever capture is on screen
    review_capture(register, "t", later, "monitor", "")  # a decision on the later capture answers not this one
    assert significant_change(register, lid) is not None
    review_capture(register, "t", short, "monitor", "reviewed: benign pattern")
    assert significant_change(register, lid) is None and lesion_flag(register, lid) == ("", "")
