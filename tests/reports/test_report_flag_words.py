"""The lesion report says the lesion's flag as a referrer or a patient reads it: what stands and why, from the
standing results (``attention.report_flag``), never the app's instructions to its user ("status still 'monitoring' —
answer it with a decision ...", "(Patient > Compare with the reviewed capture)") nor a transfer package's file name
("import tom-transfer-T9.ddtx again": a file name may name the patient; the de-identified report used to cut it out
of the app's sentence by its wording). Page 1, where the tier and recommendation are, names a flag that stands and
the page its "Reviews" is on; no such line where none stands. Real registers, comparisons and packages, real PDFs
read back with pypdf and rendered with pdftoppm."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from dermadesk.config import Settings
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.services import register_ops as ops
from dermadesk.services.attention import lesion_flag, report_flag
from dermadesk.services.progress import CancelToken
from dermadesk.services.reports import lesion_report_data
from dermadesk.services.standing import significant_change
from dermadesk.services.transfer import import_package
from dermadesk.storage.register import Register
from tests.reports.test_report_reviews import reviewed_lesion
from tests.services.test_since_review import DAYS, GROWN
from tests.services.test_standing import lesion_with_results
from tests.services.test_transfer_left import decided_with_two_later
from tests.services.test_transfer_review_compares import REVIEWED, add, ids_by_day

APP_WORDS = ("Patient >", "dermadesk ", "import ", ".ddtx", "answer it", "status still")
DATE = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b|\b\d{4}-\d{2}-\d{2}\b")  # "2 Sep 2026", "2026-09-02"
POINTER = re.compile(
    r"This lesion is flagged (⚠ [A-Z]+): see “Reviews” (below|on page (\d+)) for what stands and why\."
)
HEADING = re.compile(r"(?<!“)Reviews(?!”)")  # the part's heading, not page 1's pointer to it
ESTIMATE = "an estimate until the capture is compared directly with the reviewed capture"
AFTER_FLAG = re.compile(r" Clinician decisions and notes| No clinician decision| About the model")


def pages_text(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def reviews_flag(text: str) -> str:
    """The flag's paragraph under the "Reviews" heading (up to the reviews listed, or the next heading)."""
    part = HEADING.split(text, 1)[1]
    return AFTER_FLAG.split(part, maxsplit=1)[0].strip()


def assert_reads_as_a_report(pdf: bytes, flag: str, why: str, deidentified: bool = False) -> str:
    """The report gives the flag and its why under "Reviews" (years only de-identified), none of the app's words nor
    a file name, and page 1's line names the flag and the page "Reviews" is on. The whole text."""
    pages = pages_text(pdf)
    text = " ".join(pages)
    said = reviews_flag(text)
    assert said == f"{flag}: {why}", said
    for words in APP_WORDS:
        assert words not in text, words
    if deidentified:
        assert not DATE.findall(text), DATE.findall(text)
    pointer = POINTER.search(pages[0])
    assert pointer is not None and pointer.group(1) == flag, pages[0]
    on = next(i for i, page in enumerate(pages) if HEADING.search(page)) + 1  # the page "Reviews" is printed on
    assert (pointer.group(3) and int(pointer.group(3)) == on) or (pointer.group(2) == "below" and on == 1)
    assert len(POINTER.findall(text)) == 1  # once, on page 1
    return text


def test_an_unanswered_change_reads_what_stands_and_why(register: Register, tmp_path: Path) -> None:
    """Walkthrough 24's lesion: grown since the reviewed capture of 2 Jun 2026, the 2 Sep capture not reviewed. The app
    says "...; status still 'monitoring' — answer it with a decision ..."; the report says it is not answered yet."""
    lid, ids = reviewed_lesion(register, tmp_path)
    flag, app = lesion_flag(register, lid)
    assert "answer it with a decision (monitor, discharge) on the 2 Sep 2026 capture" in app  # the app's, kept
    change = significant_change(register, lid)
    assert change is not None and not change.unconfirmed
    flag_r, why = report_flag(register, lid)
    assert (flag_r, why) == (flag, f"{change.note}; not yet answered by a clinician's decision")
    assert why.startswith("significant change on 2 Sep 2026 (area grew by ") and "reviewed capture of 2 Jun 2026" in why
    assert_reads_as_a_report(build_lesion_report(lesion_report_data(register, Settings(), lid)), flag, why)
    deidentified = build_lesion_report(lesion_report_data(register, Settings(), lid, deidentified=True))
    years = why.replace("on 2 Sep 2026", "in 2026").replace("of 2 Jun 2026", "taken in 2026")
    text = assert_reads_as_a_report(deidentified, flag, years, deidentified=True)
    assert "Dr Rev" not in text

    ops.review_capture(register, "Dr Rev", ids[-1], "refer", "")  # decided to refer, the lesion not marked so yet
    flag, why = report_flag(register, lid)
    refer = "decision refer on the 2 Sep 2026 capture, the lesion not marked referred yet"
    assert (flag, why) == ("⚠ CHANGED", f"{change.note}; {refer}")
    assert_reads_as_a_report(build_lesion_report(lesion_report_data(register, Settings(), lid)), flag, why)

    ops.review_capture(register, "Dr Rev", ids[-1], "monitor", "")  # answered: no flag, no line on page 1
    assert report_flag(register, lid) == ("", "")
    pages = pages_text(build_lesion_report(lesion_report_data(register, Settings(), lid)))
    assert "This lesion is flagged" not in " ".join(pages) and "Risk tier" not in pages[0]  # (not assessed)
    assert reviews_flag(" ".join(pages)) == "No ⚠ flag stands on this lesion (status: monitoring)."


def test_an_unconfirmed_change_says_it_is_an_estimate_without_the_menu(register: Register, tmp_path: Path) -> None:
    """A decision saved on the grown capture after the later one came in: the change since it is estimated from the
    comparisons with the baseline. The app names its menu ("Patient > Compare with the reviewed capture"); the
    report says why it is an estimate."""
    lid = register.lesions.add("t", register.patients.add("t", "R-2", "Re Later").id, "upper extremity").id
    for k, (scale, day) in enumerate(((1.0, DAYS[0]), (GROWN, DAYS[1]), (GROWN**3, DAYS[2]))):
        add(register, lid, tmp_path, scale, day, k)
    ops.review_capture(register, "t", register.captures.for_lesion(lid)[1].id, "monitor", "even growth")
    change = significant_change(register, lid)
    assert change is not None and change.unconfirmed
    assert "(Patient > Compare with the reviewed capture)" in lesion_flag(register, lid)[1]  # the app's, kept
    flag, why = report_flag(register, lid)
    assert flag == "⚠ CHANGED" and why == (f"{change.note}; {ESTIMATE}; not yet answered by a clinician's decision")
    assert why.startswith("significant change on 30 Mar 2026, not confirmed yet (estimated: area grew by ")
    assert_reads_as_a_report(build_lesion_report(lesion_report_data(register, Settings(), lid)), flag, why)
    deidentified = build_lesion_report(lesion_report_data(register, Settings(), lid, deidentified=True))
    years = why.replace("on 30 Mar 2026", "in 2026").replace("of 16 Feb 2026", "taken in 2026")
    assert_reads_as_a_report(deidentified, flag, years, deidentified=True)


def test_a_result_nobody_acted_on_reads_beside_its_tier(register: Register, tmp_path: Path) -> None:
    """A REFER result, then a NOT ASSESSABLE capture: the app's flag asks for a decision "(refer, monitor, discharge)";
    the report says which result stands and that nobody acted on it, page 1's line after the tier that stands."""
    lid = lesion_with_results(register, tmp_path, ["refer", None])
    flag, app = lesion_flag(register, lid)
    assert flag == "⚠ REFER" and "answer it with a decision (refer, monitor, discharge)" in app
    assert report_flag(register, lid) == (
        flag,
        "latest capture not assessable; last assessable result: REFER on 10 Mar 2026; not yet acted on by a "
        "clinician's decision",
    )
    pdf = build_lesion_report(lesion_report_data(register, Settings(), lid))
    text = assert_reads_as_a_report(pdf, flag, report_flag(register, lid)[1])
    page_1 = pages_text(pdf)[0]
    assert page_1.index("NOT ASSESSABLE: no risk tier") < page_1.index(
        "Latest capture not assessable; last assessable result: REFER"
    )
    assert page_1.index("last assessable result: REFER on 10 Mar 2026") < page_1.index("This lesion is flagged ⚠ REFER")
    assert "answer it" not in text


def test_a_cancelled_imports_estimate_names_no_package(tmp_path: Path) -> None:
    """An import's comparing cancelled before the latest capture was compared with the reviewed one: the app says
    "import tom-transfer-T9.ddtx again" (the package's file name, here naming the patient); neither report does."""
    clinic, package = decided_with_two_later(tmp_path)
    named = package.rename(tmp_path / "tom-transfer-T9.ddtx")
    token, seen = CancelToken(), []

    def second_comparison(_: float, message: str) -> None:
        seen.append(message)
        if seen.count(REVIEWED) == 2:
            token.cancel()

    with Register(clinic) as reg:
        assert import_package(reg, named, None, "importer", progress=second_comparison, cancel=token).compare_stopped
    lid, _ = ids_by_day(clinic)
    with Register(clinic) as reg:
        change = significant_change(reg, lid)
        assert change is not None and change.unconfirmed
        assert "import tom-transfer-T9.ddtx again" in lesion_flag(reg, lid)[1]  # the app's, kept
        flag, why = report_flag(reg, lid)
        assert why.startswith("significant change on 11 May 2026, not confirmed yet (estimated: area grew by ")
        assert why.endswith(f"; {ESTIMATE}; not yet answered by a clinician's decision")
        pdf = build_lesion_report(lesion_report_data(reg, Settings(), lid))
        deidentified = build_lesion_report(lesion_report_data(reg, Settings(), lid, deidentified=True))
    for text in (
        assert_reads_as_a_report(pdf, flag, why),
        assert_reads_as_a_report(
            deidentified,
            flag,
            why.replace("on 11 May 2026", "in 2026").replace("of 16 Feb 2026", "taken in 2026"),
            True,
        ),
    ):
        assert "tom-transfer" not in text
    with Register(clinic) as reg:  # answered: the same report without the flag, to look at page 1 of each
        ops.review_capture(reg, "dr", reg.captures.for_lesion(lid)[-1].id, "monitor", "")
        answered = build_lesion_report(lesion_report_data(reg, Settings(), lid))
    assert "This lesion is flagged" not in " ".join(pages_text(answered))
    assert yellow_on_page_1(pdf, tmp_path / "flagged") > yellow_on_page_1(answered, tmp_path / "answered") + 300


def yellow_on_page_1(pdf: bytes, folder: Path) -> int:
    """Page 1 rendered (pdftoppm -png -r 70): its pixels of the warnings' pale yellow, which page 1's
    line about a flag is printed on (as is "This capture has not been assessed.")."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed; .ci/run installs it")
    folder.mkdir()
    (folder / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(folder / "report.pdf"),
                    str(folder / "page")], check=True, timeout=60)  # fmt: skip
    (first,) = sorted(folder.glob("page-*.png"))
    rgb = np.asarray(Image.open(first).convert("RGB"), dtype=int)
    return int(((abs(rgb[..., 0] - 0xFF) < 6) & (abs(rgb[..., 1] - 0xF3) < 6) & (abs(rgb[..., 2] - 0xCD) < 8)).sum())
