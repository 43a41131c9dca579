"""A lesion report of a long history (walkthrough 88: ``report --lesion 3 --deidentified`` on a lesion of 10 captures,
no mm per pixel, images of 4000x3000 and 600x450). The report showed 6 of the 9 earlier captures and lost the
baseline's thumbnail, charted "area (pixels)" mixing the images' resolutions, and drew 2 of 10 points. Now every
earlier capture is shown, the baseline first; the area is the area change since the baseline as the comparisons
measured it (images of any size compare); every capture with a value is a point with its value written beside it,
one without is marked "no value" and named with why; dates are written as the app writes them, and captures are
named by them, as the app names them (walkthrough 21: "capture 2 of 2", "1 · 10 Feb 2026" beside the command line's
"capture 3 (10 Feb 2026)", its register id, misled). A real register (tiny
ONNX model, real comparisons), the PDFs read back with pypdf and rendered with pdftoppm."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion
from dermadesk.config import Settings
from dermadesk.domain.dates import human_date
from dermadesk.inference.engine import open_assessor
from dermadesk.inference.registry import install_model
from dermadesk.reports.trend import Series, listed, missing_note
from dermadesk.services.assessment import assess_fn
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.reports import write_lesion_report
from dermadesk.services.stored_comparisons import area_changes, capture_areas
from dermadesk.storage.register import Register

pytestmark = pytest.mark.slow  # a register of 10 assessed and compared captures, some 12 MP (~25 s to build)

DAYS = ("2025-01-05", "2025-02-09", "2025-03-16", "2025-04-20", "2025-05-25",
        "2025-07-06", "2025-09-14", "2025-11-23", "2026-01-11", "2026-03-02")  # fmt: skip
LARGE = (0, 6)  # 4000x3000: the baseline and capture 7; the others 600x450
GREY = 5  # capture 6 is greyscale: not assessable, and its comparison cannot tell


def pages_of(pdf: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages]


def between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> dict:
    """A lesion of 10 captures growing by about 6% of its area each, of mixed sizes, assessed and compared with the
    baseline on import; its report and its de-identified report written once for the tests below."""
    root = tmp_path_factory.mktemp("history")
    data = root / "data"
    install_model(tiny_model_dir / "tiny-test.json", data)
    assessor = open_assessor(data, device="cpu")
    with Register(data) as reg:
        patient = reg.patients.add("t", "H-10", "Tess History", "1960-03-04")
        lesion = reg.lesions.add("t", patient.id, "anterior torso")
        for i, day in enumerate(DAYS):
            image = Image.fromarray(synthetic_lesion(LesionSpec(seed=21, scale=1.0 + 0.03 * i), 600, 450))
            if i in LARGE:
                image = image.resize((4000, 3000), Image.BICUBIC)
            if i == GREY:
                image = image.convert("L")
            path = root / f"capture{i + 1}.jpg"
            image.save(path, quality=90)
            import_files(reg, "t", lesion.id, [path], CaptureMeta(taken_at=day), assess_fn(assessor))
        captures = reg.captures.for_lesion(lesion.id)
        assessments = [reg.assessments.latest(c.id) for c in captures]
        changes, areas = area_changes(reg, lesion.id), capture_areas(reg, lesion.id)
        settings = Settings(clinic_name="History clinic")
        pdf = write_lesion_report(reg, settings, lesion.id, root / "history.pdf")
        deid = write_lesion_report(reg, settings, lesion.id, root / "deid.pdf", deidentified=True)
    sizes = [(c.width, c.height) for c in captures]
    return {"pdf": pdf, "deid": deid, "assessments": assessments, "changes": changes, "areas": areas,
            "captures": captures, "sizes": sizes, "root": root}  # fmt: skip


def test_the_history_is_what_the_walkthrough_had(history: dict) -> None:
    """10 captures of 4000x3000 and 600x450, no scale; capture 6 neither assessable nor measured against the
    baseline, the others both; areas in pixels up to about a million (what the chart plotted before)."""
    assert set(history["sizes"]) == {(4000, 3000), (600, 450)} and len(history["sizes"]) == 10
    assert all(c.mm_per_px is None for c in history["captures"])
    assessable = [a is not None and a.assessable for a in history["assessments"]]
    assert assessable == [i != GREY for i in range(10)]
    ids = [c.id for c in history["captures"]]
    assert history["changes"][ids[GREY]][0] == "cannot tell" and history["changes"][ids[GREY]][1] is None
    assert all(history["changes"][cid][1] is not None for i, cid in enumerate(ids) if i not in (0, GREY))
    assert max(px for _, px in history["areas"].values()) > 500_000


def test_every_earlier_capture_is_shown_the_baseline_first(history: dict) -> None:
    text = " ".join(pages_of(history["pdf"]))
    earlier = between(text, "Earlier captures (9, oldest first)", "Trend over visits")
    earlier = earlier.split("Modality", 1)[0]  # the thumbnails; the acquisition table under them names every capture
    captions = [human_date(day) for day in DAYS[:-1]]  # by its date, no number
    assert f"{captions[0]} (baseline)" in earlier and not re.search(r"\d ·", earlier)
    assert [earlier.index(c) for c in captions] == sorted(earlier.index(c) for c in captions)  # oldest first
    assert human_date(DAYS[-1]) not in earlier  # the visit reported is the one above them
    shown = sum(len(page.images) for page in PdfReader(str(history["pdf"])).pages)
    heat_map = history["assessments"][-1].cam_sha256 is not None
    assert shown == 1 + heat_map + 9  # the visit's capture, its heat map, nine thumbnails


def test_the_trend_draws_every_value_and_names_those_without_one(history: dict) -> None:
    text = " ".join(pages_of(history["pdf"]))
    trend = between(text, "Trend over visits", "Clinician notes")
    malignant = between(trend, "Malignant probability (%)", "Area change since the baseline (%)")
    expected = [f"{100 * a.malignant_probability:.0f}%" for a in history["assessments"] if a.assessable]
    assert re.findall(r"(?<![+\-\d])\d+%", malignant) == expected  # one label per point, in capture order
    grey = human_date(DAYS[GREY])
    assert malignant.count("no value") == 1 and f"No value for the capture of {grey} (not assessable)." in malignant
    area = trend.split("Area change since the baseline (%)", 1)[1]
    ids = [c.id for c in history["captures"]]
    values = [history["changes"][cid][1] for cid in ids[1:] if history["changes"][cid][1] is not None]
    assert re.findall(r"[+\-]?\d+%", area)[: len(values) + 1] == ["0%", *[f"{v:+.0f}%" for v in values]]
    assert area.count("no value") == 1
    assert f"No value for the capture of {grey} (the comparison with the baseline could not tell)." in area
    assert "captures of different size or zoom compare" in area and "pixels" in area and "(pixels)" not in trend
    axis = malignant.split("No value for", 1)[0]
    at = [axis.index(human_date(day)) for day in DAYS]  # each capture on the axis by its date, in order
    assert at == sorted(at) and "capture 6" not in trend


def test_the_report_writes_dates_as_the_app_does(history: dict) -> None:
    text = " ".join(pages_of(history["pdf"]))
    assert not re.search(r"\d{4}-\d\d-\d\d", text)  # no ISO date anywhere, the header included
    assert "Visit of 2 Mar 2026 (the latest of 10 captures of lesion 1)" in text and "Born: 4 Mar 1960" in text
    assert "Change since 5 Jan 2025 (421 days)" in text


def test_the_de_identified_history_keeps_years_and_days_only(history: dict) -> None:
    text = " ".join(pages_of(history["deid"]))
    assert "Tess History" not in text and "H-10" not in text
    for day in DAYS:
        assert human_date(day) not in text and day not in text and human_date(day)[:-5] not in text
    earlier = between(text, "Earlier captures (9, oldest first)", "Trend over visits")
    assert "2025, the first capture (baseline)" in earlier and "2025, 35 days after the first capture" in earlier
    trend = between(text, "Trend over visits (days after the first capture)", "Clinician notes")
    grey = (dt.date.fromisoformat(DAYS[GREY]) - dt.date.fromisoformat(DAYS[0])).days
    assert "day 0" in trend and "day 421" in trend
    assert f"No value for the capture of day {grey} (not assessable)." in trend


def test_the_pages_render_with_both_charts(history: dict) -> None:
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed; .ci/run installs it")
    prefix = history["root"] / "page"
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(history["pdf"]), str(prefix)], check=True, timeout=60)
    pages = sorted(history["root"].glob("page-*.png"))
    assert len(pages) == len(pages_of(history["pdf"]))
    trend = next(i for i, text in enumerate(pages_of(history["pdf"])) if "Malignant probability (%)" in text)
    last = np.asarray(Image.open(pages[trend]).convert("RGB"), dtype=int)  # the trend's page (Reviews may follow)

    def near(colour: tuple[int, int, int]) -> int:
        return int((np.abs(last - np.array(colour)).sum(axis=2) < 60).sum())

    assert near((0xC6, 0x28, 0x28)) > 50 and near((0x15, 0x65, 0xC0)) > 50  # the red and the blue line drawn
    for page in pages:
        grey = np.asarray(Image.open(page).convert("L"), dtype=float)
        assert grey.std() > 5 and (grey < 200).mean() > 0.005, f"{page.name} looks blank"  # a last page: a paragraph


def test_areas_in_mm2_where_every_capture_has_a_scale(
    register: Register, installed_model: Path, tmp_path: Path
) -> None:
    """With a scale on every capture the chart is of the area in mm², as the comparisons measured it."""
    patient = register.patients.add("t", "M-1", "Milli Metre")
    lesion = register.lesions.add("t", patient.id, "posterior torso")
    for i, day in enumerate(("2026-01-05", "2026-03-02", "2026-05-04")):
        path = tmp_path / f"c{i}.jpg"
        Image.fromarray(synthetic_lesion(LesionSpec(seed=22, scale=1.0 + 0.05 * i))).save(path, quality=90)
        import_files(register, "t", lesion.id, [path], CaptureMeta(taken_at=day, mm_per_px=0.02))
    areas = capture_areas(register, lesion.id)
    pdf = write_lesion_report(register, Settings(), lesion.id, tmp_path / "mm.pdf")
    trend = between(" ".join(pages_of(pdf)), "Trend over visits", "Clinician notes")
    assert "Malignant probability (%): no value for any capture (not assessed)." in trend  # no chart drawn
    assert "Lesion area (mm²)" in trend and "Area change since" not in trend
    chart = trend.split("Lesion area (mm²)", 1)[1]
    assert "no value" not in chart.lower()
    mm2 = [areas[c.id][0] for c in register.captures.for_lesion(lesion.id)]
    assert all(v is not None for v in mm2)
    at = 0
    for value in mm2:  # each point's value written beside it, in capture order
        at = chart.index(f"{value:.1f}", at) + 1


def test_captures_without_a_value_are_listed_in_short() -> None:
    """A long history's note stays short: a run of captures in a row as one, each capture named by its date."""
    names = [human_date(day) for day in DAYS]
    assert listed([0, 1, 2, 3, 5, 8, 9], names) == (  # walkthrough 88's malignant chart
        "every capture from 5 Jan 2025 to 20 Apr 2025, 6 Jul 2025, 11 Jan 2026 and 2 Mar 2026"
    )
    assert listed([5], names) == "6 Jul 2025" and listed([2, 4], names) == "16 Mar 2025 and 25 May 2025"
    assert listed([1, 2], names) == "9 Feb 2025 and 16 Mar 2025"  # a run of two: said as two
    assert listed([1, 2, 3], names) == "every capture from 9 Feb 2025 to 20 Apr 2025"


def test_the_note_counts_and_names_the_captures_without_a_value() -> None:
    """One reason: "the capture of ..."; several captures: their count, then their dates; several reasons, each."""
    names = [human_date(day) for day in DAYS[:4]]
    why = ["", "not assessable", "not assessed", "not assessed"]
    note = missing_note(Series("t", [1.0, None, None, None], why, "#000000", str), names)
    assert note == ("No value for the capture of 9 Feb 2025 (not assessable); and 2 captures (not assessed): "
                    "16 Mar 2025 and 20 Apr 2025.")  # fmt: skip
    every = missing_note(Series("t", [None] * 4, ["not assessed"] * 4, "#000000", str), names)
    assert every == "No value for any capture (not assessed)."
