"""The question before Edit > Delete lesion...: which lesion, how many captures go with it, and the result that
stands for it (an URGENT lesion was deleted on a question that named its site alone)."""

from __future__ import annotations

from dermadesk.domain.dates import human_date
from dermadesk.domain.lesion_name import lesion_name
from dermadesk.domain.records import Lesion
from dermadesk.domain.text import counted
from dermadesk.services import standing
from dermadesk.storage.register import Register

UNDO = "Edit > Undo or Edit > Restore deleted... brings it back."


def result_words(register: Register, lesion_id: int) -> str:
    """ "its latest assessment is URGENT (12 May 2026)", with the latest assessable one where the latest capture has
    none ("its latest capture is not assessed yet; the last assessable result is URGENT (...)"), and an earlier more
    severe result nobody decided on (``standing.standing_result``); '' where no capture was assessed."""
    st = standing.standing_result(register, lesion_id)
    if st.latest is None or st.latest_assessment is None and st.stands is None:
        return ""
    if st.stands is None:
        words = "its latest capture is NOT ASSESSABLE"
    else:
        day = human_date(st.stands_capture.taken_at) if st.stands_capture is not None else ""
        result = f"{(st.stands.risk_tier or '').upper()} ({day})"
        if st.carried:
            why = "NOT ASSESSABLE" if st.latest_assessment is not None else "not assessed yet"
            words = f"its latest capture is {why}; the last assessable result is {result}"
        else:
            words = f"its latest assessment is {result}"
    if st.earlier is not None and st.earlier_capture is not None:
        words += (
            f"; an earlier {(st.earlier.risk_tier or '').upper()} result ({human_date(st.earlier_capture.taken_at)})"
            " has no recorded decision"
        )
    return words


def delete_lesion_question(register: Register, les: Lesion) -> str:
    """ "Delete Lesion 2 · right shin · lower extremity with its 2 captures? Its latest assessment is URGENT (12 May
    2026). Edit > Undo or ... brings it back." (one capture: "with its capture of 12 May 2026"; none: "It has no
    captures.")."""
    captures = register.captures.for_lesion(les.id)
    if not captures:
        return f"Delete {lesion_name(les)}? It has no captures. {UNDO}"
    going = (
        f"its capture of {human_date(captures[0].taken_at)}"
        if len(captures) == 1
        else f"its {counted(len(captures), 'capture')}"
    )
    words = result_words(register, les.id)
    said = f" {words[:1].upper()}{words[1:]}." if words else ""
    return f"Delete {lesion_name(les)} with {going}?{said} {UNDO}"
