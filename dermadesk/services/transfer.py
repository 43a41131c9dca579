"""Moving patients between registers (field laptop and clinic): export, preview, import.

Each call takes ``progress(fraction, message)`` and a cancel token, like every service. An import reads and
checks the whole package (decryption, every checksum) before it plans, and plans before it writes; the
writing is the images (content-addressed, idempotent) and then one transaction, so a crash or a refusal
leaves no half-imported patient. A field changed on both sides is left as here unless ``answers`` answers it:
keep this register's value (recorded, so a package still holding the other value no longer asks) or take the
package's (``storage.transfer_answers``). Once written, the lesions whose capture dates or scales it corrected are
compared again (``corrected_lesions``), as after a correction here; the comparisons whose risk part the assessments
and comparisons it brought outdated (``assessed_captures``; or a modality it corrected: ``transfer_modality``) are
compared again as after an assessment here (``services.reassessed``); and the decisions and captures it brought are
followed by the comparisons with a reviewed capture they call for (``compare_since_import``), as a decision saved
here is. A stored comparison its corrections make current again (a scale brought back to the one it was made with)
is not made again: the outcome names it. A cancel stops the comparing only; the same package imported again imports
nothing twice and compares what is left (``transfer_left``: ``corrected_lesions``, ``assessed_captures`` and
``review_followups`` are there).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dermadesk.domain.errors import Cancelled, DermaDeskError, ValidationError
from dermadesk.domain.records import Comparison, check_date
from dermadesk.services.progress import NEVER, CancelLike, ProgressFn, no_progress
from dermadesk.storage.register import Register
from dermadesk.storage.sealed import KdfParams, check_new_passphrase
from dermadesk.storage.transfer import (
    OpenedPackage,
    collect_records,
    ready_to_export,
    select_patients,
    write_package,
)
from dermadesk.storage.transfer_answers import NO_ANSWERS, Answers
from dermadesk.storage.transfer_files import HEAT_MAP, IMAGE, image_files
from dermadesk.storage.transfer_apply import apply_import
from dermadesk.storage.transfer_merge import ImportPlan, describe, plan_import
from dermadesk.domain.text import counted, missing_folder
from dermadesk.services.transfer_left import ToCompare, earlier_imports, left_to_compare, still_outdated, this_import
from dermadesk.services.transfer_modality import ModalityBrought, as_data, modality_brought

PACKAGE_SUFFIX = ".ddtx"


@dataclass
class ExportResult:
    path: Path
    mrns: list[str]
    counts: dict[str, int]
    images: int  # the captures' image files; the assessments' heat maps counted apart (``transfer_files``)
    heat_maps: int  # those the app shows: a NOT ASSESSABLE result's is packed, not counted (``transfer_files``)
    bytes: int
    encrypted: bool
    package_uid: str


@dataclass
class ImportOutcome:
    """A preview (``applied`` False) or a finished import: the plan, and where the package came from; ``recompare``: the
    lesions whose capture dates or scales it corrected (``corrected_lesions``), compared again after it, ``recompared``
    the rows that stored (with the baseline, then with a reviewed capture), ``recompare_error`` why that stopped where
    it failed (an image that cannot be read), ``brought`` those lesions' comparisons the package brought that are
    current here (made there after the correction, so not made again here: ``brought_comparisons``); ``reassess``:
    the lesions with a comparison whose risk tiers the assessments (or comparisons) it brought outdated
    (``assessed_captures``, ``reassessed.outdated``), ``reassessed`` the rows compared again for them,
    ``reassess_error`` why that stopped short (an image that cannot be read); ``compared``:
    the comparisons with a reviewed capture made after it (``compare_since_import``: none of those ``reassessed``
    holds), ``compare_stopped`` where a cancel (or Ctrl-C) stopped the comparing, the import itself done,
    ``stopped_at`` in which step: "corrections" (``recompare``), "tiers" (``reassess``) or "review" (``compared``),
    the steps before it done, ``left`` then the lesions with a comparison still to make (``left_to_compare``: the same
    import again finishes them), ``tiers_left`` those whose comparisons made with another risk tier are not compared
    again yet; ``in_use_again`` the stored comparisons its corrections put back in use (made before with the dates or
    scales it brought back), not made again; ``left_before`` (a preview too) the lesions an earlier import of the same
    package left with a comparison to make (cancelled then), compared by this one; ``made_there`` the other comparisons
    it added that are in use here (made on the package's workstation: ``sent_comparisons``); ``modality`` the captures
    whose modality it changed (``transfer_modality``: their assessment now, or out of date). Each list of comparisons
    holds those stored before a cancel too."""

    package: str
    package_uid: str
    source: dict[str, str]
    created: str
    encrypted: bool
    plan: ImportPlan
    applied: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    compared: list[Comparison] = field(default_factory=list)
    compare_stopped: bool = False
    recompare: list[int] = field(default_factory=list)
    recompared: list[Comparison] = field(default_factory=list)
    recompare_error: str = ""
    brought: list[Comparison] = field(default_factory=list)
    reassess: list[int] = field(default_factory=list)
    reassessed: list[Comparison] = field(default_factory=list)
    reassess_error: str = ""
    stopped_at: str = ""
    left: list[int] = field(default_factory=list)
    tiers_left: list[int] = field(default_factory=list)
    in_use_again: list[Comparison] = field(default_factory=list)
    left_before: list[int] = field(default_factory=list)
    made_there: list[Comparison] = field(default_factory=list)
    modality: list[ModalityBrought] = field(default_factory=list)

    def status_line(self) -> str | None:
        """The app's status bar once the import ended: "Import done; comparing cancelled: 1 lesion left" where a
        cancel stopped the comparing (None otherwise: the task's own "done")."""
        if not self.compare_stopped:
            return None
        return "Import done; comparing cancelled" + (f": {counted(len(self.left), 'lesion')} left" if self.left else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "package_uid": self.package_uid,
            "from": self.source,
            "created": self.created,
            "encrypted": self.encrypted,
            "applied": self.applied,
            **describe(self.plan),
            "left_by_earlier_import": self.left_before,  # lesions an earlier import of it left to compare
            "modality_corrected": as_data(self.modality),  # captures whose modality it changed
        }


def export_patients(
    register: Register,
    out: Path,
    passphrase: str | None,
    mrns: list[str] | None = None,
    since: str | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
    kdf: KdfParams | None = None,
    overwrite: bool = False,
) -> ExportResult:
    """Write the chosen patients (default: all not deleted; ``since``: only those with anything new or changed
    from that day, each with its whole history) to a sealed package. ``passphrase`` None: not encrypted. An
    existing ``out`` is replaced only with ``overwrite`` (after the user said so)."""
    if passphrase is not None:
        check_new_passphrase(passphrase)
    since = check_date(since, "--since date") if since else None
    out = Path(out)
    if not out.parent.is_dir():
        raise ValidationError(missing_folder(out.parent))
    if out.exists() and not overwrite:
        raise ValidationError(f"{out} already exists; nothing was written (choose another name, or overwrite it)")
    progress(0.0, "choosing patients")
    ids = select_patients(register.database, mrns, since)
    if not ids:
        raise ValidationError("no patients to export" + (f" with anything new since {since}" if since else ""))
    ready_to_export(register.database)  # nothing written in a read-only folder: refused where that cannot be
    records = collect_records(register.database, ids)
    cancel.raise_if_cancelled()
    manifest = write_package(
        register.database,
        register.images,
        out,
        records,
        passphrase,
        kdf,
        lambda f, m: progress(0.05 + 0.95 * f, m),
        cancel.raise_if_cancelled,
    )
    progress(1.0, f"exported {counted(len(ids), 'patient')}")
    files = image_files(records)
    return ExportResult(
        out,
        [r["mrn"] for r in records["patients"]],
        manifest["counts"],
        len(files[IMAGE]),
        len(files[HEAT_MAP]),
        out.stat().st_size,
        passphrase is not None,
        manifest["package_uid"],
    )


def open_package(
    register: Register,
    path: Path,
    passphrase: str | None,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
) -> OpenedPackage:
    """Decrypt and check a package (into a private folder of the data directory, or of the system's temporary folder
    where that is read-only: a preview writes nothing there); close() it when done."""
    near = None if register.read_only else register.data_dir
    return OpenedPackage(Path(path), near, passphrase, progress, cancel.raise_if_cancelled)


def _outcome(package: OpenedPackage, plan: ImportPlan, applied: bool) -> ImportOutcome:
    return ImportOutcome(
        package.path.name,
        package.package_uid,
        package.source,
        str(package.manifest.get("created", "")),
        package.header.encrypted,
        plan,
        applied,
    )


def preview(register: Register, package: OpenedPackage, answers: Answers = NO_ANSWERS) -> ImportOutcome:
    """What an import would add, find already here, and leave out with a conflict (a field changed on both sides:
    as ``answers`` answers it); nothing is written."""
    plan = plan_import(register.database, package.records, package.source["uid"], answers)
    outcome = _outcome(package, plan, applied=False)
    outcome.left_before = left_to_compare(register, earlier_imports(register, package.package_uid))
    return outcome


def import_opened(
    register: Register,
    package: OpenedPackage,
    actor: str,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
    answers: Answers = NO_ANSWERS,
    compare: bool = True,
) -> ImportOutcome:
    """Merge an opened package into the register (one transaction after the images), fields changed on both
    sides as ``answers`` answers them; then (``compare``, the last fifth of ``progress``; a cancel then stops the
    comparing only, the import written) the lesions whose capture dates or scales it corrected compared again
    (``corrected_lesions``, ``tracking.refresh_lesions``, as after a correction here), the comparisons whose risk tiers
    the assessments it brought outdated (``compare_assessed``, as after an assessment here), and the comparisons with
    a reviewed capture that what it brought calls for (``compare_since_import``). What an earlier import of the same
    package left to compare (cancelled then: ``transfer_left``) is compared with it, also where nothing is new.
    Returns what was done."""
    from dermadesk.services.stored_comparisons import in_use, in_use_again
    from dermadesk.services.transfer_left import CORRECTED
    from dermadesk.storage.transfer_done import lesions_to_correct

    cancel.raise_if_cancelled()
    earlier, before = ToCompare(), dict[tuple[int, int], int]()
    if compare:  # before this import's own audit rows; the comparisons in use before its corrections
        earlier = earlier_imports(register, package.package_uid)
        before = in_use(register, lesions_to_correct(register.database, package.records, CORRECTED))
    source = {"package_uid": package.package_uid, "file": package.path.name, "workstation": package.source}
    plan = apply_import(
        register,
        package.records,
        package.image,
        actor,
        source,
        list(package.records.get("workstations") or []),
        lambda f, m: progress(0.8 * f, m),
        cancel.raise_if_cancelled,
        answers,
    )
    outcome = _outcome(package, plan, applied=plan.changes_anything)
    outcome.modality = modality_brought(register, plan)  # their assessment now (made there), or out of date
    outcome.left_before = left_to_compare(register, earlier) if compare else []
    if compare and (plan.changes_anything or outcome.left_before):
        now = this_import(register, plan)
        todo = now.joined(replace(earlier, corrected=[i for i in earlier.corrected if i in outcome.left_before]))
        outcome.recompare = todo.corrected
        outcome.brought = brought_comparisons(register, plan, outcome.recompare)
        start = 0.9 if outcome.recompare else 0.8  # comparing again (with the baseline first), then after a review
        step = "corrections"
        try:
            if outcome.recompare:
                compare_again(register, actor, outcome, lambda f, m: progress(0.8 + 0.1 * f, m), cancel)
            step = "tiers"
            start = compare_assessed(register, actor, todo.assessed, outcome, start, progress, cancel)
            step = "review"
            compare_since_import(register, actor, todo.followups, lambda f, m: progress(start + (1 - start) * f, m),
                                 cancel, outcome.reassess, outcome.compared)
        except (Cancelled, KeyboardInterrupt):  # the import is written: only the comparing stops
            outcome.compare_stopped, outcome.stopped_at = True, step
            outcome.left, outcome.tiers_left = left_to_compare(register, todo), still_outdated(register, todo)
        made = {r.id for r in outcome.recompared + outcome.reassessed + outcome.compared}
        made |= {plan.local_ids[("comparisons", row["uid"])] for row in plan.rows["comparisons"]}  # brought
        outcome.in_use_again = in_use_again(register, before, now.corrected, made)
        outcome.made_there = sent_comparisons(register, plan, {c.id for c in outcome.brought})
    progress(1.0, "imported" if plan.changes_anything else "nothing new to import")
    return outcome


def brought_comparisons(register: Register, plan: ImportPlan, lesion_ids: list[int]) -> list[Comparison]:
    """Of the comparisons a carried-out import added, those of ``lesion_ids`` (whose capture dates or scales it
    corrected) current here: made on the package's workstation after the correction there, so not made again here
    (``tracking.refresh_baseline_comparison`` finds their pairs compared). By lesion, each by id."""
    from dermadesk.services.stored_comparisons import current_comparisons

    added = {plan.local_ids[("comparisons", row["uid"])] for row in plan.rows["comparisons"]}
    return [c for lid in lesion_ids for c in current_comparisons(register, lid) if c.id in added]


def sent_comparisons(register: Register, plan: ImportPlan, but: Collection[int]) -> list[Comparison]:
    """Of the comparisons a carried-out import added, but ``but`` (``brought``), those in use here after its comparing
    (their pair's latest current row): made on the package's workstation, as the assessments it brought were. By
    lesion, each by id."""
    from dermadesk.services.since_review import latest_pairs
    from dermadesk.services.stored_comparisons import current_comparisons

    added = {plan.local_ids[("comparisons", row["uid"])] for row in plan.rows["comparisons"]} - set(but)
    lesions = sorted({plan.local_ids[("lesions", row["lesion_uid"])] for row in plan.rows["comparisons"]})
    in_use = [c for lid in lesions for c in latest_pairs(current_comparisons(register, lid)).values()]
    return sorted((c for c in in_use if c.id in added), key=lambda c: (c.lesion_id, c.id))


def compare_again(
    register: Register, actor: str, outcome: ImportOutcome, progress: ProgressFn, cancel: CancelLike
) -> None:
    """``outcome.recompare`` compared again (``tracking.refresh_lesions``), the rows stored put in
    ``outcome.recompared``; a comparison that fails (an image that cannot be read now) stops it, said in
    ``outcome.recompare_error``, the import written. A cancel is raised."""
    from dermadesk.services.tracking import refresh_lesions  # loads the image pipeline: not for an export

    try:
        refresh_lesions(register, actor, outcome.recompare, progress, cancel, outcome.recompared)
    except Cancelled:
        raise
    except DermaDeskError as exc:
        outcome.recompare_error = str(exc)


def compare_assessed(register: Register, actor: str, captures: list[int], outcome: ImportOutcome, start: float,
                     progress: ProgressFn, cancel: CancelLike) -> float:
    """After an import (its corrections compared again): the comparisons whose risk tiers the assessments and
    comparisons it brought (for ``captures``: ``assessed_captures``) outdated compared again as after Re-assess
    capture here (the same rule: ``reassessed.compare_after_assessment``; a comparison with a reviewed capture not
    made yet is left to ``compare_since_import``: a first comparison, not one compared again), their lesions in
    ``outcome.reassess``, the rows stored in ``outcome.reassessed``, an image that cannot be read said in
    ``outcome.reassess_error``; a cancel is raised.
    ``progress`` from ``start`` to the fraction returned: half of what is left where anything is outdated (stored rows
    only), else ``start``."""
    from dermadesk.services import reassessed  # loads the image pipeline: not for an export

    outcome.reassess = reassessed.outdated(register, captures, missing=False) if captures else []
    if not outcome.reassess:  # a comparison with a reviewed capture not stored yet: compare_since_import makes it
        return start
    end = start + (1 - start) / 2
    try:
        reassessed.compare_after_assessment(register, actor, captures, lambda f, m: progress(start + (end - start) * f,
                                            m), cancel, outcome.reassessed, missing=False)
    except Cancelled:
        raise
    except DermaDeskError as exc:
        outcome.reassess_error = str(exc)
    return end


def compare_since_import(
    register: Register,
    actor: str,
    followups: dict[int, set[int]],
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
    lesions: Collection[int] = (),
    stored: list[Comparison] | None = None,
) -> list[Comparison]:
    """After an import: the captures of ``followups`` (``review_followups``), and every capture of ``lesions``
    (those compared again for the tiers, ``compare_assessed``: a verdict made again may make a capture a reviewed one),
    compared with the reviewed capture before each where no current comparison of that pair is stored
    (``tracking.reviewed_pairs``: stored rows only), as after a decision saved here (``tracking.compare_since_review``),
    so that the ⚠ CHANGED flag reads them rather than the estimate from the comparisons with the baseline. Slow where
    there is any (images are decoded); cancelling raises Cancelled between comparisons, those stored kept (and given to
    ``stored`` as each is stored). The rows stored."""
    from dermadesk.services.tracking import Decoded, compare_with_reviewed, reviewed_pairs

    todo: dict[int, tuple[set[int], int]] = {}
    followups_of = {k: set(v) for k, v in followups.items()}
    for lesion_id in lesions:
        followups_of.setdefault(lesion_id, set()).update(c.id for c in register.captures.for_lesion(lesion_id))
    for lesion_id, later in followups_of.items():
        if pairs := reviewed_pairs(register, lesion_id, later):
            todo[lesion_id] = (later, len(pairs))
    total, done, images = sum(n for _, n in todo.values()), 0, Decoded()
    out = [] if stored is None else stored  # the caller's list, filled in place

    def overall(fraction: float, message: str) -> None:  # a lesion's comparisons, counted among all of them
        progress((done + fraction * todo[lesion_id][1]) / total, message)

    for lesion_id, (later, n) in todo.items():
        compare_with_reviewed(register, actor, lesion_id, later, cancel, overall, images, stored=out)
        done += n
    return out


def import_package(
    register: Register,
    path: Path,
    passphrase: str | None,
    actor: str,
    dry_run: bool = False,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
    answers: Answers = NO_ANSWERS,
) -> ImportOutcome:
    """Open, check, preview and (unless ``dry_run``) import a package in one call."""
    with open_package(register, path, passphrase, lambda f, m: progress(0.5 * f, m), cancel) as package:
        if dry_run:
            return preview(register, package, answers)
        return import_opened(register, package, actor, lambda f, m: progress(0.5 + 0.5 * f, m), cancel, answers)
