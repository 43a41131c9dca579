"""What the notice after File > Import patients from another workstation... says of the comparing the import did on
its worker (``transfer.import_opened``), step by step as it runs them: each step done says what it compared again,
the stored comparisons its corrections put back in use are said as ``capture edit`` says them ("... compared before
with the baseline, in use again: SIGNIFICANT ..."), and a step a cancel stopped says what was not done, the lesions
with a comparison still to make and how to finish it (import the same package again: nothing is imported twice)."""

from __future__ import annotations

from dermadesk.services.compared_text import in_use_again_in_words, lesions_of_patients
from dermadesk.services.transfer import ImportOutcome
from dermadesk.storage.register import Register
from dermadesk.ui.transfer_preview import plural

AGAIN = "the captures whose dates or scales it corrected"
BEFORE = "the comparisons made with the risk tiers before the assessments it brought"


def _corrections(outcome: ImportOutcome, register: Register) -> str:
    """The corrections' step done: the lesions compared again, or nothing to compare again; then each stored
    comparison they put back in use."""
    n, text = len(outcome.recompare), ""
    if outcome.recompare_error:
        text += f" Comparing {AGAIN} again stopped: {outcome.recompare_error}."
    elif outcome.recompared or outcome.brought:
        text += (
            f" {plural(n, 'lesion')} compared again: the package corrected the date or scale of "
            f"{'its' if n == 1 else 'their'} captures."
        )
    elif n:
        text += (
            f" The package corrected the date or scale of captures of {plural(n, 'lesion')}: nothing to compare again."
        )
    return text + "".join(f" {in_use_again_in_words(register, row)}." for row in outcome.in_use_again)


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
        text += (
            f" {plural(n, 'lesion')} compared again: the package brought assessments that changed "
            f"{'its' if n == 1 else 'their'} captures' risk tiers."
        )
    if stopped:  # the last step: the comparisons with a reviewed capture its decisions, captures or tiers call for
        text += (
            " Comparing the later captures with the reviewed capture was cancelled: until they are compared, "
            "a lesion's ⚠ CHANGED flag estimates the change since it from the comparisons with the baseline."
        )
    return text + _finish(outcome, register)
