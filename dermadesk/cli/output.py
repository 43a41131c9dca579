"""Printing results as text or JSON, and the shared command context."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from dermadesk.config import DATA_DIR_ENV, FROM_SETTINGS, Settings, data_dir_source, resolve_data_dir, usable_name
from dermadesk.contract import CLASSES
from dermadesk.domain.dates import capture_when, human_date, local_day
from dermadesk.domain.errors import IntegrityError, NotFoundError, ValidationError
from dermadesk.domain.records import Assessment, Capture, Comparison
from dermadesk.domain.text import figures_unsaid, missing_folder

if TYPE_CHECKING:
    from dermadesk.contract.manifest import RiskThresholds
    from dermadesk.inference.registry import ModelRegistry
    from dermadesk.services.tracking import ChangeLine
    from dermadesk.storage.register import Register


NOT_A_DIAGNOSIS = "decision support, not a diagnosis"  # said wherever a command prints an assessment
OPERATOR_ENV = "DERMADESK_OPERATOR"
DEVICES = ("auto", "cpu", "gpu")  # as inference.session.DEVICES (not imported here: it loads ONNX Runtime)
DEVICE_HELP = (
    "where the model runs: auto (a usable GPU, else the CPU), cpu, or gpu (falls back to the CPU with a warning "
    "where no GPU can be used); default: the device setting, auto unless changed"
)
MODALITY_HELP = "how the images were taken; a model assesses only the modalities it was validated on"


def to_jsonable(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {k: to_jsonable(v) for k, v in dataclasses.asdict(obj).items()}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None  # JSON has no NaN or Infinity: an unusable number is "no value"
    return obj


@dataclass
class Context:
    """What every command gets: where the data is, the settings, and the output style."""

    data_dir: Path
    settings: Settings
    json: bool
    chosen: bool = False  # the data folder is the one chosen in the app's Settings (no --data-dir, no env)
    writes: bool = True  # the command may change the data folder (``writes_data``): refused where it is read-only

    @classmethod
    def from_args(cls, args: Any) -> "Context":
        """The data folder and its settings; ``--operator`` (else $DERMADESK_OPERATOR) names who acts in this
        command only, nothing saved."""
        data_dir = resolve_data_dir(getattr(args, "data_dir", None))
        settings = Settings.load(data_dir)
        given = getattr(args, "operator", None) or os.environ.get(OPERATOR_ENV, "")
        if given.strip():
            if not (name := usable_name(given.strip())):
                raise ValidationError("--operator: a name without control or direction characters, please")
            settings.operator = name
        chosen = data_dir_source(getattr(args, "data_dir", None)) == FROM_SETTINGS
        ctx = cls(data_dir, settings, bool(getattr(args, "json", False)), chosen, writes_data(args))
        name = getattr(getattr(args, "func", None), "__name__", "")
        ctx.refuse_if_read_only(*REFUSED_AS.get(name, ()))  # before a passphrase is asked for or a file read
        return ctx

    def note_if_no_operator(self) -> None:
        """On stderr, where a change will be recorded under the computer's account: how to name a person."""
        if not self.settings.operator:
            print(
                f"dermadesk: note: recorded as '{self.settings.actor()}' (the computer's account): no operator is "
                f"set; give --operator NAME (or ${OPERATOR_ENV}), or set it in the app (Edit > Change operator)",
                file=sys.stderr,
                flush=True,
            )

    def emit(self, obj: Any, text: str | None = None) -> None:
        """One JSON document (or the human text) on stdout."""
        if self.json:
            print(json.dumps(to_jsonable(obj), ensure_ascii=False, allow_nan=False), flush=True)
        elif text is not None:
            print(text, flush=True)

    def register(self, adds: bool = False) -> Any:
        """The register (an interrupted restore is finished first, and said so on stderr). Only a command that
        ``adds`` data makes a new one where there is none, and only in a folder that is there or whose parent is
        (said once on stderr): a command that only reads, or a mistyped or unmounted --data-dir, never leaves an
        empty register behind (NotFoundError: "no register at ...; nothing was created")."""
        from dermadesk.storage.lost_register import NEVER_NEW, NEW_BESIDE
        from dermadesk.storage.register import Register

        self.refuse_if_read_only()
        try:
            reg = Register(self.data_dir, new=NEW_BESIDE if adds else NEVER_NEW)
        except (NotFoundError, IntegrityError) as exc:
            if not self.chosen:
                raise
            raise type(exc)(
                f"{exc} (the data folder chosen in the app's Settings; --data-dir DIR or {DATA_DIR_ENV} gives another)"
            ) from exc
        if reg.created:
            print(f"dermadesk: note: a new, empty register was created at {self.data_dir}", file=sys.stderr, flush=True)
        if reg.recovered:
            print(f"dermadesk: note: {reg.recovered}", file=sys.stderr, flush=True)
        if reg.identity_note:
            print(f"dermadesk: note: {reg.identity_note}", file=sys.stderr, flush=True)
        if reg.read_only:
            print(
                f"dermadesk: note: the data folder {self.data_dir} is read-only ({reg.read_only}): read as it is, "
                "nothing was written there",
                file=sys.stderr,
                flush=True,
            )
        return reg

    def refuse_if_read_only(self, what: str = "nothing was changed", to: str = "make changes") -> None:
        """ReadOnlyFolder before a command that ``writes`` does anything, where this account cannot write the data
        folder (a read-only share, a copy on a DVD or a write-protected stick, wrong permissions): "...: ``what``.
        To ``to``, copy the whole folder somewhere writable ..." (``REFUSED_AS``: a command's own words)."""
        from dermadesk.storage.read_only import ReadOnlyFolder, cannot_write

        if self.writes and (why := cannot_write(self.data_dir)):
            raise ReadOnlyFolder(self.data_dir, why, what, to)


# what a command refused in a read-only folder says it did not do, and what the advice is for, where "nothing was
# changed. To make changes, ..." would not say it (a model is installed into the data folder's models/)
REFUSED_AS = {"models": ("nothing was installed", "install a model")}


READS_ONLY = frozenset(
    {"patient_list", "patient_show", "lesion_show", "db_export", "report_cmd", "backup_cmd", "analyze", "export_cmd"}
)  # export_cmd: transfer export writes its package only (no audit row); refused where it would write the register


def writes_data(args: Any) -> bool:
    """Whether the command ``args`` ran may change the data folder: every command but those that only read it
    (``db check`` without --clean, ``models`` without --install, ``transfer import --dry-run`` among them). A new
    command counts as one that writes until it is listed here: in a read-only folder it is refused rather than left
    half-done."""
    name = getattr(getattr(args, "func", None), "__name__", "")
    if name == "db_check":
        return bool(getattr(args, "clean", False))
    if name == "import_cmd":  # a preview: the package unpacked outside a folder that cannot be written
        return not getattr(args, "dry_run", False)
    if name == "models":
        return bool(getattr(args, "install", None))
    if name == "compare_cmd":  # two image files: nothing stored; stored captures (ids, as track_cmds reads them)
        return all(str(v).isdigit() and not Path(v).exists() for v in (getattr(args, "a", ""), getattr(args, "b", "")))
    return name not in READS_ONLY


def change_figures(metrics: dict[str, Any], reasons: Iterable[str] = ()) -> str:
    """A comparison's main figures, as ``compare`` and ``capture add`` print them under or beside its ``reasons``:
    "area +12.5%, diameter +4.0%, ΔE 1.2" (never "-0.0%": a change that rounds to zero is "+0.0%"); the sizes a
    reason gives already left out (``figures_unsaid``, as the app and the report say them): "no significant change
    ...: area +3%, diameter +2%" then "ΔE 0.4", never "area +2.5%, diameter +1.5%" again beside it; a figure not
    measured is left out (never "ΔE 0.0", which would read as no colour change); "" where the outline was not
    measured or nothing is left. A lesion cut off by the frame: "11.3% less area where both images show the lesion,
    diameter not known (it reaches the edge of an image), ..." (``domain.text.in_view``), never "area -11.3%" nor
    "area +12.0%", nor the diameter of the part in view."""
    m = metrics
    area, diameter, cut_off = m.get("area_change_percent"), m.get("diameter_change_percent"), bool(m.get("cut_off"))
    return figures_unsaid(reasons, area, diameter, m.get("delta_e"), cut_off=cut_off, places=1)


def capture_ref(register: Register, capture: Capture) -> str:
    """ "capture 7 (5 Jan 2026)": the id a command takes, with the capture as the app names it (``capture_when``
    among its lesion's captures now: its time, or its place that day, where that day has another)."""
    return f"capture {capture.id} ({capture_when(capture, register.captures.for_lesion(capture.lesion_id))})"


def lesion_ref(register: Register, lesion_id: int) -> str:
    """ "Lesion 1 (id 3)": the lesion as the app and ``patient show`` name it, with the id a command takes (never
    "lesion 3" for a patient's only lesion, Lesion 1)."""
    les = register.lesions.get(lesion_id)
    return les.title if les.number is None else f"{les.title} (id {les.id})"  # no number: "Lesion (id 3)" already


MOST_DAYS_NAMED = 4  # a lesion's capture days named each up to this many, else its first and latest


def taken_days_text(captures: Sequence[Capture]) -> str:
    """When a lesion's captures were taken, for ``patient show``: "taken 5 Jan 2026"; "taken 5 Jan 2026, 10 Feb 2026
    and 12 May 2026" (a day with more than one: "5 Jan 2026 (2 that day)"); past ``MOST_DAYS_NAMED`` days, "first
    taken 5 Jan 2024, latest 12 May 2026". Days on this workstation's calendar, as the app's timeline says them;
    "" for none."""
    taken = [local_day(c.taken_at) or c.taken_at for c in captures]  # an unreadable stamp said as it is
    days = sorted(set(taken))
    if not days:
        return ""
    if len(days) > MOST_DAYS_NAMED:
        return f"first taken {human_date(days[0])}, latest {human_date(days[-1])}"
    if len(days) == 1:
        return f"{'all ' if len(taken) > 1 else ''}taken {human_date(days[0])}"
    named = [human_date(d) + (f" ({taken.count(d)} that day)" if taken.count(d) > 1 else "") for d in days]
    return f"taken {', '.join(named[:-1])} and {named[-1]}"


def compared_since_review_text(register: Register, row: Comparison) -> str:
    """A comparison with a reviewed capture made after a decision (``capture review``) or an import (``transfer
    import``), in one line, its captures named as every command names them (``capture_ref``): "capture 3 (30 Mar
    2026) compared with the reviewed capture 2 (16 Feb 2026): SIGNIFICANT (area grew by 25% ...)"."""
    reviewed, later = (register.captures.get(i) for i in (row.baseline_capture_id, row.followup_capture_id))
    return (
        f"{capture_ref(register, later)} compared with the reviewed {capture_ref(register, reviewed)}: "
        f"{row.verdict.upper()}" + first_reason(row)
    )


def first_reason(row: Comparison) -> str:
    """ " (area grew by 56%)": a comparison's first reason, as a line naming the comparison gives it; where neither
    capture could be assessed, for the same reasons, their "no risk trend" said once (``said_once``, as the Change
    tab and the report say it); "" where it gives none."""
    from dermadesk.services.compared_text import first_reason as reason

    return reason(row)


def change_text(line: ChangeLine, row: Comparison) -> str:
    """A follow-up's change since the lesion's baseline in one line, as the app's assessment panel says it (verdict,
    its first reason) with the main figures it does not give already (``change_figures``): "change since the baseline,
    capture 1 (5 Jan 2026): SIGNIFICANT (area grew by 44%); area +44.2%, diameter +20.1%, ΔE 3.0", "...: NOT
    SIGNIFICANT (no significant change under long-term rules (...): area +3%, diameter +2%); ΔE 0.4"."""
    figures = change_figures(row.metrics or {}, [line.first_reason])  # the sizes it gives: said once
    return (
        f"change since the baseline, capture {row.baseline_capture_id} ({line.baseline}): {line.verdict.upper()}"
        + (f" ({line.first_reason})" if line.first_reason else "")
        + (f"; {figures}" if figures else "")
    )


def refuse_missing_folder(folder: Path) -> None:
    """The folder part of ``refuse_to_write``, for what a command writes into ``folder`` (a file, or a folder made
    there: db export's): ValidationError where it is not there, a USB drive not connected, never made on the local
    disk in its place."""
    if not os.path.isdir(folder):
        raise ValidationError(missing_folder(folder))


def refuse_to_write(target: Path, overwrite: bool, what: str, example: str, given: Path | None = None) -> None:
    """The one rule for a file a command writes (a backup, a transfer package, a report), checked before anything is
    written: ValidationError, saying that nothing was written, where ``target`` (or ``given``, the name as typed
    where an extension was added to it) is a folder, where its folder is not there (a USB drive not connected:
    never made on the local disk in its place), and where a file of that name is there, unless ``overwrite``
    (an earlier backup or report is never lost unasked). ``what``: "backup", named with ``example`` in a folder."""
    folder = next((p for p in (given, target) if p is not None and os.path.isdir(p)), None)
    if folder is not None:  # os.path: a name too long for the disk is said by the write, naming the file
        raise ValidationError(
            f"{folder} is a folder: give the {what}'s file name, e.g. {folder / example}; nothing was written"
        )
    refuse_missing_folder(target.parent)
    if os.path.lexists(target) and not overwrite:
        raise ValidationError(f"{target} already exists; give --overwrite to replace it; nothing was written")


def fail(message: str, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"error": message}, ensure_ascii=False), flush=True)
    print(f"dermadesk: error: {message}", file=sys.stderr, flush=True)


def assessment_flags(a: Assessment, ood: bool = True) -> str:
    """`` [QUALITY WARN: ...; OUT OF DISTRIBUTION]`` for a text line, or "" when there is nothing to say."""
    flags = []
    if a.quality_status != "pass":
        flags.append(f"QUALITY {a.quality_status.upper()}: {'; '.join(a.quality_problems)}")
    if ood and a.ood_flag:
        flags.append("OUT OF DISTRIBUTION")
    return " [" + "; ".join(flags) + "]" if flags else ""


def tier_text(a: Assessment, thresholds: RiskThresholds | None = None) -> str:
    """An assessed image's tier with the malignant and melanoma chances that set it, as the app's tier line: "tier
    REFER, malignant 34% (melanoma 12%)", "malignant 19.6%" beside a threshold of 20 % of the model's ``thresholds``
    (``services.explain.tier_chances``; None: whole percent) (only for an assessment with a tier)."""
    from dermadesk.services.explain import tier_chances

    mal, mel = tier_chances(a, thresholds)
    return f"tier {(a.risk_tier or '').upper()}, malignant {mal} (melanoma {mel})"


def thresholds_of(registry: ModelRegistry, a: Assessment | None) -> RiskThresholds | None:
    """The risk thresholds of the model that made ``a``, where ``registry`` holds it (as its manifest states them: no
    model file is hashed for this): the precision of its figures (``tier_text``); None otherwise, or for an
    assessment without a tier."""
    from dermadesk.services.explain import model_thresholds

    if a is None or not a.assessable or not a.risk_tier:
        return None
    return model_thresholds(registry, a.model_name, a.model_version)


def assessment_json(a: Assessment, advice: str | None) -> dict[str, Any]:
    """An assessment for --json with the ``advice`` its text prints in place of the model's recommendation
    (``services.advice``: the lesion's change shapes it; None for one without a tier), "recommendation" kept as
    stored (the model's own) beside it."""
    return {**to_jsonable(a), "advice": advice}


def assessment_text(a: Assessment, advice: str | None = None, thresholds: RiskThresholds | None = None) -> str:
    """One assessment in words, the same for analyze, capture add and assess: when assessed, the tier, the malignant
    and melanoma chances that set it (the class with the highest chance plays no part), the recommendation and the
    most likely class; otherwise NOT ASSESSABLE with the reasons and what to do next, and no probabilities.
    ``advice``: the recommendation as the lesion's change shapes it (``services.advice``), where it is in a register;
    ``thresholds``: the model's, for the precision of its figures (``tier_text``)."""
    if a.assessable and a.risk_tier:  # the tier with the chances that set it, as the app's tier line
        top = next((c.name for c in CLASSES if c.code == a.top_class), a.top_class)
        return (
            f"{tier_text(a, thresholds)}: {a.recommendation if advice is None else advice} Most likely class: {top} "
            f"({a.probabilities.get(a.top_class, 0.0):.0%})." + assessment_flags(a)
        )
    # no class or malignant figure for an image the model cannot back, as the app and the printed report: a
    # clinician read "malignant 0.07" as reassurance (--json keeps the stored figures beside its status)
    # a quality warning is still worth knowing (a failed check is already among the reasons)
    warning = assessment_flags(a, ood=False) if a.quality_status == "warn" else ""
    return "NOT ASSESSABLE, no risk tier: " + " | ".join(a.status_reasons) + warning
