"""What a transfer import calls for comparing (``ToCompare``), and what of it is left to compare.

An import's comparing runs in three steps after the import is written (``transfer.import_opened``): the lesions whose
capture dates or scales it corrected, the comparisons whose risk tiers the assessments it brought outdated, and the
comparisons with a reviewed capture its decisions and captures call for. A cancel (or Ctrl-C, or a closed app) stops
it between comparisons, the import itself done; ``left_to_compare`` then names the lesions with a comparison still to
make, from the stored rows. Importing the same package again finishes that: nothing is imported twice, and the import
finds in its audit rows what the earlier import of the package called for (``earlier_imports``) and compares what of
it is still left, as the first import would have."""

from __future__ import annotations

from dataclasses import dataclass, field

from dermadesk.domain.records import Capture
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_done import package_imported
from dermadesk.storage.transfer_merge import ImportPlan

CORRECTED = ("taken_at", "mm_per_px")  # a capture's fields whose change leaves its stored comparisons stale


@dataclass
class ToCompare:
    """What an import calls for comparing, by ids here: ``corrected`` the lesions whose captures' dates or scales it
    corrected (compared again as after a correction here), ``assessed`` the captures it brought an assessment or
    comparison for, or corrected the modality of (their lesions' comparisons made with another tier compared again),
    ``followups`` lesion -> the captures to compare with the reviewed capture before each (after a decision it
    brought, or captures it added)."""

    corrected: list[int] = field(default_factory=list)
    assessed: list[int] = field(default_factory=list)
    followups: dict[int, set[int]] = field(default_factory=dict)

    def joined(self, other: ToCompare) -> ToCompare:
        """Both, each list in order without repeats."""
        followups = {k: set(v) for k, v in self.followups.items()}
        for lesion_id, captures in other.followups.items():
            followups.setdefault(lesion_id, set()).update(captures)
        return ToCompare(
            sorted({*self.corrected, *other.corrected}), sorted({*self.assessed, *other.assessed}), followups
        )


def this_import(register: Register, plan: ImportPlan) -> ToCompare:
    """What a carried-out import calls for comparing (``corrected_lesions``, ``assessed_captures``,
    ``review_followups``)."""
    return ToCompare(corrected_lesions(register, plan), assessed_captures(plan), review_followups(register, plan))


def corrected_lesions(register: Register, plan: ImportPlan) -> list[int]:
    """The lesions whose captures a carried-out import corrected (a date or a scale brought up to date from the
    package): the comparisons stored with those captures before are stale (``tracking.current_comparisons``), so
    they are compared again as after a correction here. (A capture the package has in another lesion is a conflict,
    left out: no import moves a capture.)"""
    fixed = {u.local_id for u in plan.updates if u.table == "captures" and set(CORRECTED) & u.changes.keys()}
    return sorted({register.captures.get(i).lesion_id for i in fixed})


def assessed_captures(plan: ImportPlan) -> list[int]:
    """The captures a carried-out import brought an assessment for (one here already, or one it added), the two
    captures of each comparison it brought, and those whose modality it corrected (their assessment now is one made
    for the modality they have now, or none: ``transfer_modality``): a comparison stored with the tier one of them had
    before (here, or there before its assessment) is outdated (``risk_record``), as after an assessment made here."""
    ids, rows = plan.local_ids, plan.rows
    uids = [r["capture_uid"] for r in rows["assessments"]]
    uids += [r[k] for r in rows["comparisons"] for k in ("baseline_capture_uid", "followup_capture_uid")]
    modality = {u.local_id for u in plan.updates if u.table == "captures" and "modality" in u.changes}
    return sorted({i for i in (ids.get(("captures", uid)) for uid in uids) if i is not None} | modality)


def review_followups(register: Register, plan: ImportPlan) -> dict[int, set[int]]:
    """Lesion -> the captures whose comparison with a reviewed capture before them a carried-out import may have
    left missing: those dated after a capture whose decision it brought (updated, or added with the capture), as a
    decision saved here makes (``tracking.after_review``), and the captures it added (compared with the baseline where
    this register's decisions were not known)."""
    from dermadesk.services.stored_comparisons import after_review  # loads the image pipeline: not for an export

    ids = plan.local_ids
    decided = [u.local_id for u in plan.updates if u.table == "captures" and "decision" in u.changes]
    decided += [ids[("captures", r["uid"])] for r in plan.rows["captures"] if r.get("decision")]
    out: dict[int, set[int]] = {}
    for capture_id in decided:
        lesion_id, later = after_review(register, capture_id)
        out.setdefault(lesion_id, set()).update(later)
    for row in plan.rows["captures"]:
        capture = register.captures.get(ids[("captures", row["uid"])])
        out.setdefault(capture.lesion_id, set()).add(capture.id)
    return out


def _alive(register: Register, lesion_id: int) -> bool:
    return register.lesions.get(lesion_id).deleted_at is None


def earlier_imports(register: Register, package_uid: str) -> ToCompare:
    """What the imports of the package done here before called for comparing (read back from their audit rows,
    ``storage.transfer_done``), whether or not it was all compared; nothing where it was never imported. Lesions and
    captures deleted since are left out."""
    done = package_imported(register.database, package_uid, CORRECTED)
    if not (done.corrected or done.decided or done.added or done.assessed):
        return ToCompare()
    from dermadesk.services.stored_comparisons import after_review  # loads the image pipeline: not for an export

    captures = {i: register.captures.get(i) for i in done.corrected | done.decided | done.added | done.assessed}
    alive = {i for i, c in captures.items() if c.deleted_at is None and _alive(register, c.lesion_id)}
    followups: dict[int, set[int]] = {}
    for capture_id in sorted(done.decided & alive):
        lesion_id, later = after_review(register, capture_id)
        followups.setdefault(lesion_id, set()).update(later)
    for capture_id in sorted(done.added & alive):
        followups.setdefault(captures[capture_id].lesion_id, set()).add(capture_id)
    corrected = sorted({captures[i].lesion_id for i in done.corrected & alive})
    return ToCompare(corrected, sorted(done.assessed & alive), followups)


def correction_left(register: Register, lesion_id: int) -> bool:
    """A lesion whose captures were corrected with a comparison still to make: a capture not compared with the baseline
    as it is now, or a later capture not with its reviewed capture (stored rows only)."""
    from dermadesk.services.stored_comparisons import reviewed_pairs, unmade_with_baseline

    return _alive(register, lesion_id) and bool(
        unmade_with_baseline(register, lesion_id) or reviewed_pairs(register, lesion_id)
    )


def left_to_compare(register: Register, todo: ToCompare) -> list[int]:
    """The lesions of ``todo`` with a comparison still to make, by id (stored rows only, no image read): one whose
    captures were corrected (``correction_left``), one with a comparison made with another risk tier than its captures
    have now (``reassessed.outdated``), one with a later capture not compared with its reviewed capture."""
    if not (todo.corrected or todo.assessed or todo.followups):
        return []
    from dermadesk.services.stored_comparisons import reviewed_pairs  # loads the image pipeline: not for an export

    out = {i for i in todo.corrected if correction_left(register, i)}
    out.update(still_outdated(register, todo))
    out.update(i for i, later in todo.followups.items() if _alive(register, i) and reviewed_pairs(register, i, later))
    return sorted(out)


def finishing_package(register: Register, capture: Capture) -> str:
    """The file name of the latest transfer package whose import here left ``capture``'s comparison with its reviewed
    capture to make (its comparing cancelled), which importing it again makes: one that added the capture or brought
    a decision before it (``earlier_imports``: ``followups``), corrected its lesion's captures, or brought assessments
    that left its lesion's comparisons to make again; "" where none did (stored rows only, no image read)."""
    from dermadesk.storage.transfer_done import packages_of

    lesion_id = capture.lesion_id
    for package_uid, name in packages_of(register.database, lesion_id):
        todo = earlier_imports(register, package_uid)
        if capture.id in todo.followups.get(lesion_id, set()) or lesion_id in todo.corrected:
            return name
        if lesion_id in still_outdated(register, todo):
            return name
    return ""


def still_outdated(register: Register, todo: ToCompare) -> list[int]:
    """The lesions of ``todo``'s assessed captures with a comparison made with another risk tier than its captures have
    now, not compared again yet (``reassessed.outdated``, stored rows only)."""
    from dermadesk.services import reassessed  # loads the image pipeline: not for an export

    return reassessed.outdated(register, todo.assessed, missing=False) if todo.assessed else []
