"""The lesion report's key to the risk tiers stands right under the result it explains where the page has room for
it (it stood under the change since the last capture, and a long one took it to page 2, away from the result); where
the page has none, it goes on the next page before what follows the result, and names the result's page: "What the
risk tiers mean (key to the result on page 1)" (helper 156)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from dermadesk.contract import RECOMMENDATIONS
from dermadesk.domain.records import Assessment, Capture
from dermadesk.reports.data import ComparisonData, LesionReportData, PatientInfo, ReportHeader, VisitData
from dermadesk.reports.lesion_report import build_lesion_report
from tests.conftest import lesion_jpeg

PAPERS = ["A4", "Letter"]


def lesion_report(paper: str, reason: int, comparison_lines: int = 2) -> bytes:
    """A MONITOR result with two captures and a comparison; ``reason`` sentences of why, pushing the result's end
    down page 1."""
    image = lesion_jpeg(3)
    a = Assessment(model_name="tiny", model_version="1.0", provider="CPU", probabilities={"nv": 0.9, "mel": 0.1},
                   top_class="nv", malignant_probability=0.1, melanoma_probability=0.1, risk_tier="monitor",
                   recommendation=RECOMMENDATIONS["monitor"])  # fmt: skip
    why = " ".join(["The melanoma probability is below its threshold but the malignant one is close to it."] * reason)
    visits = [VisitData(Capture(i, 1, f"2026-0{i}-16", "ab" * 32, 96, 96, len(image), "JPEG"), a, image,
                        tier_reason=why) for i in (1, 2)]  # fmt: skip
    reasons = [f"reason {i}: the area and colour are as before, within what two photographs differ by"
               for i in range(comparison_lines)]  # fmt: skip
    comparison = ComparisonData("not significant", reasons, 31, 2.0, 1.0, 1.5, [], "2026-01-16", "2026-02-16",
                                baseline_id=1)  # fmt: skip
    head = ReportHeader("Northside Dermatology, tel. 0161 555 0142", None, "Nurse", "24 Nov 2026 10:12", paper)
    data = LesionReportData(head, PatientInfo("Kim Key", "K-1", None, None), 1, "anterior torso", "", "monitoring",
                            None, None, None, visits, comparison, None, lesion_number=1)  # fmt: skip
    return build_lesion_report(data)


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("paper", PAPERS)
def test_the_tier_key_stays_with_its_result_else_starts_the_next_page_naming_it(paper: str) -> None:
    seen = set()
    for reason in range(0, 26, 3):  # the result's end lower and lower on page 1
        pages = page_texts(lesion_report(paper, reason))
        assert "Risk tier: MONITOR" in pages[0]
        keyed = [i for i, text in enumerate(pages) if "What the risk tiers mean" in text]
        assert len(keyed) == 1
        text = pages[keyed[0]]
        whole = " ".join(pages)
        assert whole.index("malignant class. Model") < whole.index("What the risk tiers mean")  # under the result,
        assert whole.index("What the risk tiers mean") < whole.index("Change since")  # before the change section
        if keyed[0] == 0:
            seen.add("beside")
            assert "key to the result" not in text
        else:  # no room under it: on the next page, before what follows the result, saying where that is
            seen.add("next page")
            assert keyed[0] == 1 and "What the risk tiers mean (key to the result on page 1)" in text
            body = text[text.index("Operator: Nurse") :]  # after the page's header
            assert body.index("What the risk tiers mean") < min(body.index(h) for h in ("Change since", "Earlier"))
    assert seen == {"beside", "next page"}  # both cases met as the result moved down


def test_a_long_change_section_no_longer_takes_the_key_off_its_results_page() -> None:
    """The key stood under the change since the last capture: with ten reasons there it started page 2, away from
    the result on page 1; now under the result itself, on page 1."""
    pages = page_texts(lesion_report("A4", 0, comparison_lines=10))
    assert "What the risk tiers mean, lowest to highest" in pages[0] and "Risk tier: MONITOR" in pages[0]
