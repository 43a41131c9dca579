"""The referral prompt's words in shorter forms, for its one line above the tabs on a short window (1280x720 at
150 %): at two lines it pushed the tabs and the Clinician review down a line, a LOW lesion's review below its least
height. Whole words only (never "URG…"); the reason's tier or change, and what is left to do, kept in each form."""

from __future__ import annotations

import re

DATE = r"\d{1,2} [A-Z][a-z]{2} \d{4}"  # "3 Mar 2026", as ``human_date`` writes it
FIGURES = re.compile(r" \([^()]*\)")  # " (area grew by 44%)": the figures, in the tooltip
ON_DAY = re.compile(rf"(?<! and) (?:on|of) (?:the )?{DATE}(?: capture)?")  # " on 3 Mar 2026" (not "here and on ...")
SEVERITY = ("URGENT", "REFER", "SIGNIFICANT")  # what the prompt is about, the most severe first: kept in every form
TIER = re.compile(rf"^.*?\b({'|'.join(SEVERITY)})\b(?: result| change)?")  # "earlier result URGENT" of a part
UNCONFIRMED = re.compile(r", not confirmed yet(?:: (.*))?$")  # ", not confirmed yet: Patient > Compare ...": the how
LEFT_TO_DO = re.compile(r"arrange it, then mark the lesion (\w+)")  # a decision 'refer' saved: what is left


def to_confirm(part: str) -> str | None:
    """What confirms an estimated change the part names ("Patient > Compare with the reviewed capture"); None: none."""
    found = UNCONFIRMED.search(FIGURES.sub("", part))
    return (found.group(1) or "") if found else None


def squeezed(part: str) -> str:
    """One part of the reason without its figures and dates: "significant change on 3 Mar 2026 (area grew by 44%)"
    -> "significant change"; "... on 10 Dec 2025, not confirmed yet: HOW" -> "... not confirmed: HOW"."""
    how = to_confirm(part)
    words = ON_DAY.sub("", UNCONFIRMED.sub("", FIGURES.sub("", part))).strip()
    return words if how is None else f"{words} not confirmed" + (f": {how}" if how else "")


def short_step(step: str) -> str:
    """ "decision refer saved: arrange it, then mark the lesion referred" -> "decision refer saved: mark the lesion
    referred" (its status: "mark referred" read as an order to refer); "status still 'monitoring'" as it is."""
    return LEFT_TO_DO.sub(r"mark the lesion \1", step)


def one_line_forms(reason: str, step: str) -> list[str]:
    """The prompt's line shorter and shorter (without what answers it, which its buttons say): ``reason`` ("; "
    between its parts) and ``step`` (after it) as they are, then each part without figures and dates (one said twice
    said once: "SIGNIFICANT change; significant change ..." -> "SIGNIFICANT change"), the step short, then the
    parts naming a tier or the change in their first words ("last assessable result: REFER; earlier result
    URGENT"), then the most severe of them alone, each with the step short; for an estimated change what confirms
    it ("change not confirmed: Patient > Compare with the reviewed capture"), then the first part alone."""
    parts: list[str] = []
    for part in (squeezed(p) for p in reason.split("; ") if p):
        if part and part.lower() not in (p.lower() for p in parts):
            parts.append(part)
    step_short = short_step(step)
    forms = [f"{reason}; {step}", f"{'; '.join(parts)}; {step}", f"{'; '.join(parts)}; {step_short}"]
    tiers = [m for m in (TIER.match(p) for p in parts) if m]
    if tiers:  # the parts naming a tier or change, in few words; then the most severe alone
        forms.append(f"{'; '.join(m.group(0) for m in tiers)}; {step_short}")
        worst = min(tiers, key=lambda m: SEVERITY.index(m.group(1)))
        forms.append(f"{worst.group(0)}; {step_short}")
    for how in (h for h in map(to_confirm, reason.split("; ")) if h):  # an estimated change: what confirms it
        forms.append(f"change not confirmed: {how}")  # (the step in the tooltip)
    if parts and not tiers:
        forms.append(f"{parts[0].split(': ')[0]}; {step_short}")  # "significant change not confirmed; status ..."
    return list(dict.fromkeys(forms))  # each once, longest first
