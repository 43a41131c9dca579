"""What ``transfer import`` says of the comparing after an import (``transfer.import_opened``), step by step: first
each capture whose modality it corrected, with its assessment now or, out of date, how to assess it; the
comparisons the package brought from its workstation that are in use here ("compared at workstation W with the
baseline: ..."), the lesions its corrections had compared again and those whose stored comparisons they put back in use
(each lesion under what happened to it, then a line for each comparison, as ``capture edit`` prints them), those the
assessments it brought made again, the first comparisons with a reviewed capture; on stderr, a step that stopped on an
image that cannot be read, and, where a cancel or Ctrl-C stopped the comparing, what was not done, the comparisons made
before it (kept), the lesions with a comparison still to make and how to finish it: importing the same package again
(nothing is imported twice; what is left is compared)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dermadesk.cli.correct_cmds import recompared_text
from dermadesk.cli.output import capture_ref, compared_since_review_text, lesion_ref
from dermadesk.domain.records import Comparison
from dermadesk.services.transfer_modality import ModalityBrought, brought_words
from dermadesk.storage.register import Register

if TYPE_CHECKING:
    from dermadesk.services.transfer import ImportOutcome

FINISH = "import the same package again to finish (nothing is imported twice; what is left is compared)"


@dataclass
class Said:
    """An import's comparing in lines, read while its register is open: ``again`` the comparisons its corrections
    made again (those the package brought, made there after the correction, first), ``in_use`` those they put back
    in use, ``tiers`` those its assessments made again, ``compared`` the first comparisons with a reviewed capture,
    ``there`` the other comparisons the package brought, in use here; ``named`` each lesion said ("Lesion 1 (id 3)"),
    ``made`` the comparisons this import made, each as a pair ("Lesion 1 (id 3): capture 8 (1 Oct 2026) → capture 9
    (1 Nov 2026)"), ``modality`` each capture whose modality it corrected (``transfer_modality.brought_words``)."""

    again: list[str] = field(default_factory=list)
    in_use: list[str] = field(default_factory=list)
    tiers: list[str] = field(default_factory=list)
    compared: list[str] = field(default_factory=list)
    named: dict[int, str] = field(default_factory=dict)
    there: list[str] = field(default_factory=list)
    made: list[str] = field(default_factory=list)
    modality: list[str] = field(default_factory=list)

    def lesions(self, ids: list[int]) -> str:
        return ", ".join(self.named[i] for i in ids)


def said_of(reg: Register, done: ImportOutcome) -> Said:
    """``done``'s comparing in lines (``recompared_text``, ``compared_since_review_text``)."""
    there = f"at workstation {done.source['hostname']}"  # made there (after the correction), brought here
    ids = {*done.recompare, *done.reassess, *done.left, *done.tiers_left, *done.left_before}
    made = done.recompared + done.reassessed + done.compared
    ids |= {r.lesion_id for r in made + done.brought + done.in_use_again}
    return Said(
        [recompared_text(reg, row, there) for row in done.brought] + [recompared_text(reg, r) for r in done.recompared],
        [recompared_text(reg, row, again=True) for row in done.in_use_again],
        [recompared_text(reg, row) for row in done.reassessed],
        [compared_since_review_text(reg, row) for row in done.compared],
        {i: lesion_ref(reg, i) for i in ids},
        [recompared_text(reg, row, there, new=True) for row in done.made_there],
        [_pair(reg, row) for row in made],
        [_modality(reg, m) for m in done.modality],
    )


def _modality(reg: Register, brought: ModalityBrought) -> str:
    """ "capture 2 (3 Mar 2026): modality dermoscopic → clinical, as corrected in the package; assessment out of date:
    ...; assess it again (dermadesk assess --capture 2)"."""
    how = f"dermadesk assess --capture {brought.capture_id}"
    return f"{capture_ref(reg, reg.captures.get(brought.capture_id))}: {brought_words(reg, brought, how)}"


def _pair(reg: Register, row: Comparison) -> str:
    """ "Lesion 1 (id 3): capture 8 (1 Oct 2026) → capture 9 (1 Nov 2026)"."""
    first, second = reg.captures.get(row.baseline_capture_id), reg.captures.get(row.followup_capture_id)
    return f"{lesion_ref(reg, row.lesion_id)}: {capture_ref(reg, first)} → {capture_ref(reg, second)}"


def _lesions_of(rows: list[Comparison]) -> list[int]:
    return sorted({r.lesion_id for r in rows})


def earlier_text(done: ImportOutcome, said: Said) -> str:
    """ "compared what an earlier import of this package left to compare: Lesion 1 (id 3)" ("" where it left none)."""
    if not done.left_before:
        return ""
    return f"compared what an earlier import of this package left to compare: {said.lesions(done.left_before)}"


def print_comparing(done: ImportOutcome, said: Said) -> None:
    """The lines under the import's own (text only): the comparisons the package brought, then each step's lesions
    (those its corrections had compared again apart from those whose stored comparisons they put back in use), then a
    line for each comparison."""
    lines = said.modality + said.there  # the modalities first: the comparisons made again read them
    if done.recompare:  # as 'capture edit' says the comparisons a correction made again, and those back in use
        again, back = _lesions_of(done.brought + done.recompared), _lesions_of(done.in_use_again)
        rest = [i for i in done.recompare if i not in again and i not in back]
        if again:
            lines.append(
                f"compared again, as the package corrected the date or scale of their captures: {said.lesions(again)}"
            )
        lines += said.again
        if back:
            lines.append(
                "stored comparisons in use again, as the package brought back the date or scale they were made with: "
                + said.lesions(back)
            )
        lines += said.in_use
        if rest and not (done.recompare_error or done.stopped_at == "corrections"):  # else the warning says them
            lines.append(
                f"the package corrected the date or scale of captures of {said.lesions(rest)}: nothing to compare again"
            )
    if done.reassess:  # as 'assess' says the comparisons an assessment made again
        brought = "modality corrections or assessments" if done.modality else "assessments"
        lines.append(
            f"compared again, as the package brought {brought} that give their captures other risk tiers: "
            + said.lesions(done.reassess)
        )
    for line in lines + said.tiers + said.compared:  # as 'capture review' says the comparisons a decision made
        print(f"  {line}", flush=True)


def warn(done: ImportOutcome, said: Said, closing: str = "") -> int:
    """On stderr: a step stopped by an image that cannot be read, ``closing`` (what the import left out:
    ``incomplete``), the comparing a cancel or Ctrl-C stopped: what was not done and how to finish it. 130 where it was
    stopped so, else 0."""
    for error, left in (
        (done.recompare_error, "its corrected captures"),
        (done.reassess_error, "the comparisons made with the risk tiers before its assessments"),
    ):
        if error:
            print(
                f"dermadesk: warning: the import is done, but {left} were not all compared again: {error}",
                file=sys.stderr,
                flush=True,
            )
    if closing:
        print(f"dermadesk: {closing}", file=sys.stderr, flush=True)
    if not done.compare_stopped:
        return 0
    # the step Ctrl-C stopped (done.stopped_at) and those after it: the ones before are done
    undone = (
        "the captures whose dates or scales it corrected were not all compared again (a capture may show no change "
        "line until it is), and "
        if done.recompare and done.stopped_at == "corrections"
        else ""
    )
    undone += (
        "the comparisons made with the risk tiers before its assessments were not all made again (the change line "
        "and the flag may read the tier before), and "
        if done.tiers_left
        else ""
    )
    kept = f". Compared before the interrupt, and kept: {'; '.join(said.made)}" if said.made else ""
    left = f". Still to compare: {said.lesions(done.left)}; {FINISH}" if done.left else ""
    print(
        f"dermadesk: interrupted: the import is done, but {undone}the later captures were not all compared with the "
        f"reviewed capture (the flag estimates the change since it until they are){kept}{left}",
        file=sys.stderr,
        flush=True,
    )
    return 130
