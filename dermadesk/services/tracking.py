"""Change tracking: compare two captures of a lesion and store the comparison row (reading the stored rows as the
captures are now: ``stored_comparisons``, whose names are importable from here too)."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from dermadesk.analysis.change import ChangeResult, compare
from dermadesk.analysis.decode import decode_image
from dermadesk.analysis.hand_alignment import similarity_from_points
from dermadesk.domain.dates import capture_when, human_date
from dermadesk.domain.errors import Cancelled, DermaDeskError, ValidationError
from dermadesk.domain.records import Capture, Comparison
from dermadesk.services.progress import NEVER, CancelLike, ProgressFn, no_progress
from dermadesk.services.risk_record import no_risk_trend
from dermadesk.services.since_review import COMPARED_ACTION
from dermadesk.services.stored_comparisons import (  # the read side; "X as X": importable from here too
    ChangeLine as ChangeLine,
    LesionTrend as LesionTrend,
    after_review,
    capture_areas as capture_areas,
    change_line as change_line,
    current_comparisons,
    interval_days,
    latest_change as latest_change,
    lesion_trend as lesion_trend,
    reviewed_pairs as reviewed_pairs,
    unmade_with_baseline,
)
from dermadesk.storage.register import Register


Points = list[tuple[tuple[float, float], tuple[float, float]]]  # ((x, y) on the baseline, (x, y) on the follow-up)


def _ordered(register: Register, baseline_id: int, followup_id: int) -> tuple[Capture, Capture]:
    a, b = register.captures.get(baseline_id), register.captures.get(followup_id)
    if a.lesion_id != b.lesion_id:
        raise ValidationError(f"captures {a.id} and {b.id} belong to different lesions")
    return (b, a) if (b.taken_at, b.id) < (a.taken_at, a.id) else (a, b)


def _manual_record(register: Register, a: Capture, b: Capture) -> tuple[np.ndarray, Points] | None:
    """The pair's latest stored alignment if made by hand: also one stored with the two the other way round (a
    date corrected past the other capture's), then inverted, with its points swapped."""
    for row in reversed(register.comparisons.for_lesion(a.lesion_id)):
        pair = (row.baseline_capture_id, row.followup_capture_id)
        if pair in ((a.id, b.id), (b.id, a.id)):
            reg = (row.metrics or {}).get("registration") or {}
            if reg.get("method") == "manual" and reg.get("ok") and row.transform:
                points = [(tuple(p), tuple(f)) for p, f in reg.get("points") or []]
                matrix = np.asarray(row.transform, np.float64)
                if pair == (a.id, b.id):
                    return matrix, points
                inverse = np.linalg.inv(matrix[:, :2])
                return np.hstack([inverse, -inverse @ matrix[:, 2:]]), [(f, p) for p, f in points]
            return None
    return None


def manual_alignment(register: Register, baseline_id: int, followup_id: int) -> np.ndarray | None:
    """The hand-made alignment of record for this pair: the latest stored comparison of the pair, if it
    was aligned by hand (a reset stores an automatic one after it). None: align automatically."""
    record = _manual_record(register, *_ordered(register, baseline_id, followup_id))
    return record[0] if record else None


class Decoded:
    """The pixels of the captures decoded within one piece of work (an import's comparisons, those after a review),
    by image hash: a follow-up compared with the baseline and then with the reviewed capture is decoded once. The
    ``keep`` images used last are held (read-only), no more."""

    def __init__(self, keep: int = 3) -> None:
        self.keep, self._rgb = keep, dict[str, np.ndarray]()

    def rgb(self, register: Register, capture: Capture) -> np.ndarray:
        rgb = self._rgb.pop(capture.image_sha256, None)
        if rgb is None:
            rgb = decode_image(register.images.read(capture.image_sha256), capture.original_name).rgb
            if self.keep:
                rgb.setflags(write=False)  # shared by the comparisons that use it: none may draw on it
        self._rgb[capture.image_sha256] = rgb  # the newest last
        while len(self._rgb) > self.keep:
            del self._rgb[next(iter(self._rgb))]
        return rgb


def compare_pair(register: Register, baseline_id: int, followup_id: int, days: int | None = None,
                 matrix: np.ndarray | None = None, automatic: bool = False, points: Points | None = None,
                 progress: ProgressFn = no_progress, cancel: CancelLike = NEVER,
                 images: Decoded | None = None) -> tuple[Capture, Capture, ChangeResult]:
    """Compare two captures of the same lesion (older one as baseline), storing nothing.

    ``matrix`` (follow-up -> baseline, original pixels) aligns by hand (``points``: the marks it came
    from); without it a manual alignment of record for the pair is used, unless ``automatic``. Cancelling
    raises Cancelled between the steps (decoding, comparing). ``images``: pixels decoded already, kept for the
    next comparison (else each image is decoded here and let go).
    """
    a, b = _ordered(register, baseline_id, followup_id)
    if matrix is None and not automatic:
        record = _manual_record(register, a, b)
        if record is not None:
            matrix, points = record
    progress(0.05, "reading the images")
    images = images or Decoded(keep=0)
    img_a = images.rgb(register, a)
    cancel.raise_if_cancelled()
    img_b = images.rgb(register, b)
    cancel.raise_if_cancelled()
    progress(0.2, "aligning and comparing")
    aa, ab = register.assessments.latest(a.id), register.assessments.latest(b.id)
    result = compare(img_a, img_b, days if days is not None else interval_days(a, b), a.mm_per_px,
                     (aa.malignant_probability if aa else None, ab.malignant_probability if ab else None),
                     (aa.risk_tier if aa else None, ab.risk_tier if ab else None), manual_matrix=matrix,
                     manual_pairs=len(points) if matrix is not None and points else None,
                     followup_mm_per_px=b.mm_per_px)
    cancel.raise_if_cancelled()
    if matrix is not None:
        result.manual_points = [[list(p), list(f)] for p, f in points or []]
    result.reasons += [n for n in (no_risk_trend("baseline", aa), no_risk_trend("follow-up", ab)) if n is not None]
    return a, b, result


def compare_captures(register: Register, actor: str, baseline_id: int, followup_id: int,
                     days: int | None = None, matrix: np.ndarray | None = None, automatic: bool = False,
                     action: str = "create", points: Points | None = None, progress: ProgressFn = no_progress,
                     cancel: CancelLike = NEVER, images: Decoded | None = None) -> tuple[Comparison, ChangeResult]:
    """Compare two captures of the same lesion (older one as baseline) and store the result (audited).
    A cancel stops before the row is written: nothing is stored then."""
    a, b, result = compare_pair(register, baseline_id, followup_id, days, matrix, automatic, points, progress, cancel,
                                images)
    cancel.raise_if_cancelled()
    with register.database.transaction():  # looked up and written at once: two threads comparing it store one row
        same = stored_same(register, a, b, result)
        if same is not None:  # the same result again: the stored row stands, nothing is written
            return same, result
        row = register.comparisons.add(actor, a.lesion_id, a.id, b.id, result.interval_days, result.verdict,
                                       result.reasons, row_metrics(result, a, b),
                                       result.alignment.transform_list() if result.alignment else None, action)
    return row, result


def compare_for_view(register: Register, actor: str, baseline_id: int, followup_id: int,
                     progress: ProgressFn = no_progress, cancel: CancelLike = NEVER) -> ChangeResult:
    """The comparison a view shows: stored (audited) only when the pair has no current comparison of record, e.g.
    after a correction whose comparing again was cancelled or left this pair out; so what the view shows is what
    the change line, trend, referral prompt and reports read. Looking again at a pair stored already stores nothing."""
    a, b = _ordered(register, baseline_id, followup_id)
    if any((c.baseline_capture_id, c.followup_capture_id) == (a.id, b.id)
           for c in current_comparisons(register, a.lesion_id)):
        return compare_pair(register, a.id, b.id, progress=progress, cancel=cancel)[2]
    return compare_captures(register, actor, a.id, b.id, progress=progress, cancel=cancel)[1]


def align_by_hand(register: Register, actor: str, baseline_id: int, followup_id: int, points: Points,
                  days: int | None = None, progress: ProgressFn = no_progress,
                  cancel: CancelLike = NEVER) -> tuple[Comparison, ChangeResult]:
    """Recompute the comparison with the similarity that maps the marked follow-up points onto the
    baseline's; stored with method "manual" (with the points) and audited as "align manually".

    ``points`` pair a spot on ``baseline_id``'s image with the same spot on ``followup_id``'s, in that
    order. Raises ValidationError for unusable points, or points that do not put the lesions on top of
    each other (nothing is stored then)."""
    a, b = _ordered(register, baseline_id, followup_id)
    if (a.id, b.id) != (baseline_id, followup_id):
        points = [(f, p) for p, f in points]  # given in the other order: keep points with their images
    try:
        matrix = similarity_from_points(points, ((a.width, a.height), (b.width, b.height)))
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    _, _, result = compare_pair(register, a.id, b.id, days, matrix, points=points, progress=progress, cancel=cancel)
    if result.alignment is not None and not result.alignment.ok:
        raise ValidationError(result.alignment.message)
    cancel.raise_if_cancelled()
    row = register.comparisons.add(actor, a.lesion_id, a.id, b.id, result.interval_days, result.verdict,
                                   result.reasons, row_metrics(result, a, b),
                                   result.alignment.transform_list() if result.alignment else None, "align manually")
    return row, result


def reset_alignment(register: Register, actor: str, baseline_id: int, followup_id: int,
                    progress: ProgressFn = no_progress, cancel: CancelLike = NEVER) -> tuple[Comparison, ChangeResult]:
    """Back to the automatic alignment: a new automatic comparison of record (audited as "reset alignment").
    ValidationError when the pair has no manual alignment to reset."""
    if manual_alignment(register, baseline_id, followup_id) is None:
        raise ValidationError("this pair is not aligned by hand: there is nothing to reset")
    return compare_captures(register, actor, baseline_id, followup_id, automatic=True, action="reset alignment",
                            progress=progress, cancel=cancel)


def pair_record(register: Register, baseline_id: int, followup_id: int) -> Comparison | None:
    """The pair's latest stored comparison (in date order), current or not; None when none is stored."""
    a, b = _ordered(register, baseline_id, followup_id)
    rows = [r for r in register.comparisons.for_lesion(a.lesion_id)
            if (r.baseline_capture_id, r.followup_capture_id) == (a.id, b.id)]
    return rows[-1] if rows else None


def reinstate_comparison(register: Register, actor: str, row: Comparison, action: str) -> Comparison:
    """Make a stored comparison the pair's comparison of record again, as it was (the undo and redo of an alignment
    by hand or its reset): a copy of ``row`` stored as the pair's latest, audited as ``action``; nothing is
    recomputed. The log keeps every row."""
    return register.comparisons.add(actor, row.lesion_id, row.baseline_capture_id, row.followup_capture_id,
                                    row.interval_days, row.verdict, row.reasons, row.metrics, row.transform, action)


def parse_points(text: str) -> Points:
    """``"x1,y1 x1',y1'; x2,y2 x2',y2'"`` (the spot on the first image, then on the second, per pair) -> pairs."""
    import re

    pairs: Points = []
    for chunk in filter(None, (c.strip() for c in text.split(";"))):
        try:
            left, right = re.sub(r"\s*,\s*", ",", chunk).split()
            xb, yb = (float(v) for v in left.split(","))
            xf, yf = (float(v) for v in right.split(","))
            if not all(np.isfinite(v) for v in (xb, yb, xf, yf)):
                raise ValueError("not finite")
        except ValueError as exc:
            raise ValidationError(f"cannot read the point pair {chunk!r}: write 'x,y x',y'' (the spot on the "
                                  "first image, then on the second), pairs separated by ';'") from exc
        pairs.append(((xb, yb), (xf, yf)))
    if len(pairs) < 2:
        raise ValidationError("manual alignment needs at least two point pairs")
    return pairs


def stored_same(register: Register, a: Capture, b: Capture, result: ChangeResult) -> Comparison | None:
    """The pair's latest current comparison when it holds exactly this result (same verdict, reasons, figures
    and alignment), else None: running ``compare A B`` again stores a row only when the result differs."""
    rows = [c for c in current_comparisons(register, a.lesion_id) if (c.baseline_capture_id, c.followup_capture_id)
            == (a.id, b.id)]
    if not rows:
        return None
    last = max(rows, key=lambda c: c.id)
    transform = result.alignment.transform_list() if result.alignment else None
    now = json.loads(json.dumps([result.interval_days, result.verdict, result.reasons, row_metrics(result, a, b),
                                 transform], default=float))
    return last if now == [last.interval_days, last.verdict, last.reasons, last.metrics, last.transform] else None


def row_metrics(result: ChangeResult, a: Capture, b: Capture) -> dict:
    """What a comparison row stores as its metrics: the result's figures and the two captures' mm per pixel it
    was made with (``scales``), so that a row made before a scale was corrected (or after, once the correction
    is undone) is known as such (``current_comparisons``)."""
    return {**result.to_dict(), "scales": {"baseline": a.mm_per_px, "followup": b.mm_per_px}}


def refresh_baseline_comparison(register: Register, actor: str, lesion_id: int, cancel: CancelLike = NEVER,
                                progress: ProgressFn = no_progress, stored: list[Comparison] | None = None
                                ) -> Comparison | None:
    """After a correction: compare with the baseline, as they are now, the lesion's latest capture and every
    capture compared before, each unless a current comparison of its pair is stored already. A capture that is
    no longer the latest (its date corrected before another's) keeps a comparison of record too; then each with a
    reviewed capture before it with that capture (``compare_with_reviewed``). ``progress`` names each comparison
    ("comparing the capture of 30 Mar 2026 with the baseline", then "... with the reviewed capture of 16 Feb 2026"),
    its fraction counting them all. Returns the newest row stored against the baseline (None: none needed, or fewer
    than two captures); ``stored`` is given every row stored, with the baseline and then with a reviewed capture."""
    captures = register.captures.for_lesion(lesion_id)
    if len(captures) < 2:
        return None
    base, todo = captures[0], unmade_with_baseline(register, lesion_id)
    row, share = None, len(todo) / (len(todo) + 1)  # the comparisons with a reviewed capture: known once these are
    stored = [] if stored is None else stored  # the caller's list, filled in place
    for i, c in enumerate(todo):
        cancel.raise_if_cancelled()
        progress(share * i / len(todo), f"comparing the capture of {capture_when(c, captures)} with the baseline")
        row = compare_captures(register, actor, base.id, c.id, cancel=cancel)[0]
        stored.append(row)
    compare_with_reviewed(register, actor, lesion_id, cancel=cancel,
                          progress=lambda f, text: progress(share + (1 - share) * f, text), stored=stored)
    return row


def refresh_lesions(register: Register, actor: str, lesion_ids: list[int], progress: ProgressFn = no_progress,
                    cancel: CancelLike = NEVER, stored: list[Comparison] | None = None) -> None:
    """``refresh_baseline_comparison`` for each lesion not deleted (a correction, a move, their undo, dates or scales
    an import corrected), the fraction counting the lesions, each named where there are more ("lesion 2: comparing
    the capture of 30 Mar 2026 with the baseline"); ``stored`` is given every row stored, as it is stored."""
    for i, lesion_id in enumerate(lesion_ids):
        cancel.raise_if_cancelled()
        lesion = register.lesions.get(lesion_id)
        if lesion.deleted_at is None:

            def said(fraction: float, text: str, i: int = i, number: int | None = lesion.number) -> None:
                progress((i + fraction) / len(lesion_ids), f"lesion {number}: {text}" if len(lesion_ids) > 1 else text)

            refresh_baseline_comparison(register, actor, lesion_id, cancel, said, stored)


def baseline_pair(register: Register, lesion_id: int, capture_id: int | None = None) -> tuple[Capture, Capture] | None:
    """(the lesion's first capture, ``capture_id`` or else its latest) to compare; None with fewer than two."""
    captures = register.captures.for_lesion(lesion_id)
    if len(captures) < 2:
        return None
    base = captures[0]
    return base, next((c for c in captures if c.id == capture_id and c.id != base.id), captures[-1])


@dataclass(frozen=True)
class BaselineChange:
    """A capture's change since the lesion's baseline as the captures are now: the pair's latest current
    stored comparison (``comparison_id``), or computed afresh and not stored (``comparison_id`` None)."""

    baseline: Capture
    followup: Capture
    verdict: str
    reasons: list[str]
    interval_days: int | None
    metrics: dict
    comparison_id: int | None


def baseline_change(register: Register, lesion_id: int, capture_id: int | None = None, compute: bool = True,
                    progress: ProgressFn = no_progress, cancel: CancelLike = NEVER) -> BaselineChange | None:
    """The change of ``capture_id`` (default: the latest capture) since the lesion's baseline, both as they are
    now (not deleted, current dates and scales). Never a stale row: a deleted or moved capture's comparison, one
    made with other dates or scales. With no current row of the pair it is computed (nothing stored), or None
    when not ``compute``; None with fewer than two captures."""
    pair = baseline_pair(register, lesion_id, capture_id)
    if pair is None:
        return None
    a, b = pair
    rows = [c for c in current_comparisons(register, lesion_id)
            if (c.baseline_capture_id, c.followup_capture_id) == (a.id, b.id)]
    if rows:
        row = max(rows, key=lambda c: c.id)
        return BaselineChange(a, b, row.verdict, row.reasons, row.interval_days, row.metrics or {}, row.id)
    if not compute:
        return None
    _, _, result = compare_pair(register, a.id, b.id, progress=progress, cancel=cancel)
    metrics = json.loads(json.dumps(row_metrics(result, a, b), default=float))  # plain numbers, as a row holds
    return BaselineChange(a, b, result.verdict, list(result.reasons), result.interval_days, metrics, None)


def compare_latest_with_baseline(register: Register, actor: str, lesion_id: int,
                                 progress: ProgressFn = no_progress) -> Comparison | None:
    """After an import: the newest capture against the first one, and every capture between not yet compared
    with it (images imported together left the trend chart without their areas); each of those with a reviewed
    capture before it also against that capture (``since_review``), its image decoded once for both; the newest's
    row (with the baseline), or None. ``progress`` says which comparison is under way (its fraction stays 0.99)."""
    captures = register.captures.for_lesion(lesion_id)
    if len(captures) < 2:
        return None
    done = {c.followup_capture_id for c in current_comparisons(register, lesion_id)
            if c.baseline_capture_id == captures[0].id}
    images, row = Decoded(), None
    for capture in [c for c in captures[1:-1] if c.id not in done] + [captures[-1]]:
        progress(0.99, "comparing with the baseline")
        row, _ = compare_captures(register, actor, captures[0].id, capture.id, images=images)
        # each in date order: the verdicts that choose its reviewed capture are stored by now
        compare_with_reviewed(register, actor, lesion_id, {capture.id}, progress=lambda _, text: progress(0.99, text),
                              images=images)
    return row


def compare_with_reviewed(register: Register, actor: str, lesion_id: int, followups: Collection[int] | None = None,
                          cancel: CancelLike = NEVER, progress: ProgressFn = no_progress,
                          images: Decoded | None = None, missing: bool = True, stored: list[Comparison] | None = None,
                          failed: list[tuple[Capture, Capture, str]] | None = None) -> list[Comparison]:
    """Compare each pair ``reviewed_pairs`` names (``missing``: as there), reviewed capture first; the rows stored
    (audited as ``COMPARED_ACTION``). A comparison that fails is left out (``failed`` is given the pair and why): the
    change since the reviewed capture is then estimated from the comparisons with the baseline. ``images``: pixels
    decoded already (``Decoded``); ``stored`` is given each row as it is stored (those stored before a cancel are
    kept, and said)."""
    todo, out = reviewed_pairs(register, lesion_id, followups, missing), []
    for i, (reviewed, capture) in enumerate(todo):
        cancel.raise_if_cancelled()
        progress(i / len(todo), f"comparing with the reviewed capture of {human_date(reviewed.taken_at)}")
        try:
            out.append(compare_captures(register, actor, reviewed.id, capture.id, action=COMPARED_ACTION,
                                        cancel=cancel, images=images)[0])
            if stored is not None:
                stored.append(out[-1])
        except Cancelled:  # a DermaDeskError too, but the user's: never taken for a pair that failed
            raise
        except DermaDeskError as exc:  # e.g. an image that cannot be read now: the change since the baseline stands
            if failed is not None:
                failed.append((reviewed, capture, str(exc)))
    return out


def compare_since_review(register: Register, actor: str, capture_id: int, progress: ProgressFn = no_progress,
                         cancel: CancelLike = NEVER) -> list[Comparison]:
    """After a decision is saved (or changed, or cleared) on ``capture_id``: the captures after it compared with the
    reviewed capture before each as it is now, where no current comparison of that pair is stored (a review saved
    after they were imported): the ⚠ CHANGED flag then reads that comparison, not the estimate from the comparisons
    with the baseline. Slow (images are decoded): the app runs it in the background (``reviewed_pairs`` first says
    whether there is anything to compare). The rows stored."""
    lesion_id, later = after_review(register, capture_id)
    return compare_with_reviewed(register, actor, lesion_id, later, cancel, progress, Decoded()) if later else []
