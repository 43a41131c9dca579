"""The risk tiers' key on the patient summary and the lesion report (walkthrough 25: the summary explained no tier,
the lesion report only its own; a referring GP could not tell what MONITOR asks of them), in the app's own words
(``contract.RECOMMENDATIONS``), where it adds no page if it can; and every tier word readable in grey-scale print
(MONITOR and REFER in amber and orange printed light grey)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.contract import RECOMMENDATIONS, RISK_TIERS
from dermadesk.domain.follow_up import FollowUp
from dermadesk.domain.records import Assessment, Capture
from dermadesk.reports import tier_key
from dermadesk.reports.common import BOLD
from dermadesk.reports.data import LesionReportData, LesionRow, PatientInfo, PatientSummaryData, ReportHeader, VisitData
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.reports.patient_summary import build_patient_summary
from dermadesk.reports.tier_key import KeySlot, key_rank, with_key

KEY_LINES = [f"{tier.upper()} {RECOMMENDATIONS[tier]}" for tier in RISK_TIERS]
DPI = 300


def header(paper: str) -> ReportHeader:
    return ReportHeader("Northside Dermatology, tel. 0161 555 0142", None, "Nurse", "24 Nov 2026 10:12", paper)


def summary(paper: str) -> bytes:
    """A patient with a lesion at each tier."""
    rows = [LesionRow(i, "anterior torso", "", "monitoring", None, "2026-11-16", tier, "8%", "not significant",
                      FollowUp(action="see the table"), i + 1, name=(f"Lesion {i + 1}", "anterior torso"))
            for i, tier in enumerate(RISK_TIERS)]  # fmt: skip
    return build_patient_summary(PatientSummaryData(header(paper), PatientInfo("Kim Key", "K-1", None, None), rows))


def lesion_report(paper: str, advice: str = "") -> bytes:
    """A MONITOR result; ``advice``: as a change nobody answered words it, printed as a warning."""
    image = jpeg_bytes(synthetic_lesion(LesionSpec(seed=3)))
    a = Assessment(model_name="tiny", model_version="1.0", provider="CPU", probabilities={"nv": 0.9, "mel": 0.1},
                   top_class="nv", malignant_probability=0.1, melanoma_probability=0.1, risk_tier="monitor",
                   recommendation=RECOMMENDATIONS["monitor"])  # fmt: skip
    capture = Capture(1, 1, "2026-11-16", "ab" * 32, 96, 96, len(image), "JPEG")
    visit = VisitData(capture, a, image, advice=advice, advice_warns=bool(advice))
    data = LesionReportData(header(paper), PatientInfo("Kim Key", "K-1", None, None), 1, "anterior torso", "",
                            "monitoring", None, None, None, [visit], None, None, lesion_number=1)  # fmt: skip
    return build_lesion_report(data)


def pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_summary_says_every_tier_and_its_advice_under_its_table(paper: str) -> None:
    said = pages(summary(paper))
    assert len(said) == 1  # room on the page: no page added
    for line in KEY_LINES:
        assert said[0].count(line) == 1, line
    assert said[0].index("Lesion 4") < said[0].index("What the risk tiers mean") < said[0].index(KEY_LINES[0])


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_lesion_report_says_every_tier_under_its_result_where_there_is_room(paper: str) -> None:
    said = pages(lesion_report(paper))
    assert len(said) == 1
    for line in KEY_LINES:
        assert said[0].count(line) == 1, line
    assert said[0].index("Risk tier: MONITOR") < said[0].index("What the risk tiers mean")
    assert said[0].index("What the risk tiers mean") < said[0].index("Clinician notes")  # beside it


def test_no_key_beside_a_change_nobody_answered() -> None:
    """Its advice asks for a clinician's review: no "re-check in about 12 months" anywhere on it (services.advice)."""
    advice = (
        "Short-term follow-up by the model's probabilities; but this lesion changed significantly since 25 Aug 2026"
    )
    said = " ".join(pages(lesion_report("A4", advice)))
    assert advice in said and "What the risk tiers mean" not in said and "12 months" not in said


def test_the_key_goes_to_the_first_place_that_adds_no_page_else_the_first(monkeypatch) -> None:
    story = [KeySlot(0), "a", KeySlot(1), "b", KeySlot(2)]
    assert with_key(story, 1, "KEY") == ["a", "KEY", "b"]  # the other places left out

    def rank(adds: tuple[int, int, int]) -> int:
        """The place chosen where the key at place i adds adds[i] pages to a report of 2."""

        def count(_doc: object, laid: list) -> int:
            return 2 + (adds[laid.index("KEY")] if "KEY" in laid else 0)

        monkeypatch.setattr(tier_key, "page_count", count)
        return key_rank(None, lambda: list(story), lambda: "KEY")

    assert rank((1, 0, 0)) == 1  # under the result it would add a page, further down not
    assert rank((1, 1, 0)) == 2
    assert rank((0, 0, 0)) == 0
    assert rank((1, 1, 1)) == 0  # a page more wherever it stands: the first place


def darkest(pdf: bytes, tmp_path: Path, words: set[str]) -> dict[str, int]:
    """The darkest grey (0 black, 255 white) of each of ``words`` on page 1 rendered in grey-scale, as a grey-scale
    printer prints it (``pdftoppm -gray``): the glyphs' strokes."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed; .ci/run installs it")
    (tmp_path / "page.pdf").write_bytes(pdf)
    out = tmp_path / "page"
    subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), "-png", "-singlefile", str(tmp_path / "page.pdf"), str(out)],
                   check=True, timeout=60)  # fmt: skip
    grey = np.asarray(Image.open(out.with_suffix(".png")).convert("L"))
    height = float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.height)
    found: dict[str, int] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, size: float) -> None:
        word = text.strip()
        if word in words and font is not None and str(font["/BaseFont"]).endswith(BOLD):
            x, y = cm[4] + tm[4], cm[5] + tm[5]
            left, right = (round(v * DPI / 72) for v in (x, x + stringWidth(word, BOLD, size)))
            top, bottom = (round((height - v) * DPI / 72) for v in (y + 0.7 * size, y))
            found[word] = min(found.get(word, 255), int(grey[top:bottom, left:right].min()))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("build", [summary, lesion_report], ids=["summary", "lesion report"])
def test_every_tier_word_prints_dark_in_grey_scale(build, tmp_path: Path) -> None:  # noqa: ANN001
    words = {tier.upper() for tier in RISK_TIERS}
    shades = darkest(build("A4"), tmp_path, words)
    assert set(shades) == words  # each found, in bold (the summary's table and the key; the report's key)
    for word, shade in shades.items():
        assert shade <= 110, f"{word} prints grey {shade} of 255 in grey-scale"  # amber and orange printed 133
