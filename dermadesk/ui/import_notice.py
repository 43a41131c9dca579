"""What the notice after File > Import patients from another workstation... says of the comparing the import did on
its worker (``transfer.import_opened``), step by step as it runs them: each step done says what it compared again,
the stored comparisons its corrections put back in use are said as ``capture edit`` says them ("... compared before
with the baseline, in use again: SIGNIFICANT ..."), and a step a cancel stopped says what was not done, the lesions
with a comparison still to make and how to finish it (import the same package again: nothing is imported twice). Its
details list each comparison the import made, brought or put back in use, with its result (``comparison_lines``), as
the command line prints them. A capture whose modality the import corrected is said first, with its assessment now
or, out of date, how to assess it (``modality_text``)."""

from __future__ import annotations

from dermadesk.domain.dates import capture_when
from dermadesk.services.compared_text import in_use_again_in_words, in_words, lesion_of_patient, lesions_of_patients
from dermadesk.services.transfer import ImportOutcome
from dermadesk.services.transfer_modality import brought_words
from dermadesk.storage.register import Register
from dermadesk.ui.transfer_preview import plural

AGAIN = "the captures whose dates or scales it corrected"
BEFORE = "the comparisons made with the risk tiers before the assessments it brought"


def _corrections(outcome: ImportOutcome, register: Register) -> str:
    """The corrections' step done, each lesion under what happened to it: those compared again, those whose stored
    comparisons they put back in use (each said), those with nothing to compare again."""
    again = {r.lesion_id for r in outcome.recompared + outcome.brought}
    back = {r.lesion_id for r in outcome.in_use_again}
    rest = [i for i in outcome.recompare if i not in again | back]
    text = f" Comparing {AGAIN} again stopped: {outcome.recompare_error}." if outcome.recompare_error else ""
    if again:
        text += (
            f" {plural(len(again), 'lesion')} compared again: the package corrected the date or scale of "
            f"{'its' if len(again) == 1 else 'their'} captures."
        )
    if back:
        text += " Stored comparisons in use again, as the package brought back the date or scale they were made with:"
        text += "".join(f" {in_use_again_in_words(register, row)}." for row in outcome.in_use_again)
    if rest and not outcome.recompare_error:
        text += (
            f" The package corrected the date or scale of captures of {plural(len(rest), 'lesion')}: nothing to "
            "compare again."
        )
    return text


def modality_text(outcome: ImportOutcome, register: Register) -> str:
    """ " Capture of 16 Feb 2026, Lesion 1 of T-9 Tom Transfer: modality dermoscopic → clinical, as corrected in the
    package; its assessment for a clinical image: NOT ASSESSABLE, no risk tier." for each capture whose modality the
    import corrected (out of date: "...; assess it again (Patient > Re-assess capture)."); "" where none."""
    text = ""
    for brought in outcome.modality:
        capture = register.captures.get(brought.capture_id)
        when = capture_when(capture, register.captures.for_lesion(capture.lesion_id))
        where = lesion_of_patient(register, capture.lesion_id)
        text += f" Capture of {when}, {where}: {brought_words(register, brought)}."
    return text


def comparison_lines(outcome: ImportOutcome, register: Register) -> list[str]:
    """Each comparison the import brought that is in use here, made again, put back in use, or made (those before a
    cancel too), a line each, as the command line prints them without its ids: "Lesion 1 of T-9 Tom Transfer: 16 Feb
    2026 → 30 Mar 2026 compared with the reviewed capture: NOT SIGNIFICANT (...)"."""
    there = f"at workstation {outcome.source['hostname']}"
    return (
        [in_words(register, row, there, new=True) for row in outcome.made_there]
        + [in_words(register, row, there) for row in outcome.brought]
        + [in_words(register, row) for row in outcome.recompared]
        + [in_use_again_in_words(register, row) for row in outcome.in_use_again]
        + [in_words(register, row) for row in outcome.reassessed]
        + [in_words(register, row, new=True) for row in outcome.compared]
    )


def details_text(outcome: ImportOutcome) -> str:
    """After a cancel, that the comparisons made before it are kept and listed in the details (``comparison_lines``);
    "" otherwise (each comparison is in the details all the same)."""
    if outcome.compare_stopped and outcome.recompared + outcome.reassessed + outcome.compared:
        return " The comparisons made before the cancel are kept (see details)."
    return ""


def _finish(outcome: ImportOutcome, register: Register) -> str:
    """After a cancel: the lesions with a comparison still to make, and how to finish it."""
    if not outcome.left:
        return ""
    return (
        f" Still to compare: {lesions_of_patients(register, outcome.left)}. Import {outcome.package} again to "
        "finish: nothing is imported twice, and what is left is compared."
    )


def compared_text(outcome: ImportOutcome, register: Register) -> str:
    """The notice's sentences on the comparing ("" where nothing was compared or left): what an earlier import of the
    package left and this one compared, each step done, the step a cancel stopped (``outcome.stopped_at``) with what
    is left until it is done, a step that stopped on an image that cannot be read with why."""
    text, stopped = "", outcome.stopped_at
    if outcome.left_before:
        text += (
            " Compared what an earlier import of this package left to compare: "
            f"{lesions_of_patients(register, outcome.left_before)}."
        )
    if stopped == "corrections":  # cancelled after the import was written: the later steps did not run
        text += (
            f" Comparing {AGAIN} again was cancelled: a capture may show no change line until it is compared "
            "again, and a lesion's ⚠ CHANGED flag may estimate the change since its reviewed capture from the "
            "comparisons with the baseline."
        )
        if outcome.tiers_left:
            text += (
                f" Comparing {BEFORE} again was not done either: until they are compared, the change since the "
                "baseline, the trend chart and a lesion's ⚠ flag may read the tier before."
            )
        return (
            text
            + "".join(f" {in_use_again_in_words(register, r)}." for r in outcome.in_use_again)
            + _finish(outcome, register)
        )
    text += _corrections(outcome, register)
    n = len(outcome.reassess)
    if stopped == "tiers" and n:  # the comparisons with a reviewed capture, after it, did not run either
        return (
            text
            + (
                f" Comparing {BEFORE} again was cancelled, and so was comparing the later captures with a "
                "reviewed capture: until they are compared, the change since the baseline, the trend chart and "
                "a lesion's ⚠ flag may read the tier before."
            )
            + _finish(outcome, register)
        )
    if outcome.reassess_error:
        text += f" Comparing {BEFORE} again stopped: {outcome.reassess_error}."
    elif n:
        brought = "modality corrections or assessments" if outcome.modality else "assessments"
        text += (
            f" {plural(n, 'lesion')} compared again: the package brought {brought} that changed "
            f"{'its' if n == 1 else 'their'} captures' risk tiers."
        )
    if stopped:  # the last step: the comparisons with a reviewed capture its decisions, captures or tiers call for
        text += (
            " Comparing the later captures with the reviewed capture was cancelled: until they are compared, "
            "a lesion's ⚠ CHANGED flag estimates the change since it from the comparisons with the baseline."
        )
    return text + _finish(outcome, register)
