"""Shared report pieces: embedded Unicode font, page template with header, footer and disclaimer."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, NamedTuple, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, Image, KeepTogether, PageBreak, PageTemplate,
                                Spacer)

from dermadesk import __version__
from dermadesk.config import resource_path
from dermadesk.contract import DISCLAIMER
from dermadesk.domain.dates import human_date
from dermadesk.files import write_private

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
# each tier's colour on paper, dark enough that the bold tier word stays dark in grey-scale print (the lighter amber
# and orange the reports used before, #b28704 and #ef6c00, printed MONITOR and REFER light grey, grey 133 of 255;
# the screen's tier stripes, ui.assessment_view.TIER_COLOURS, are lighter still: MONITOR #f9a825)
TIER_COLOURS = {"low": "#2e7d32", "monitor": "#7a5c00", "refer": "#b04500", "urgent": "#c62828"}
MARGIN = 15 * mm  # the page's left and right margins (the header's and footer's rules run between them)
FRAME_PADDING = 6  # points: reportlab's frame keeps this inside each margin


DAY = r"\d{1,2} [A-Z][a-z]{2} (\d{4})\b"  # "10 Mar 2026", as the app writes a day; its year in group 1
YEARS = (  # each phrase with a day, as a de-identified report says it by the year, most specific first
    (rf"\bthe {DAY} capture\b", r"the capture taken in \1"),  # "on the 3 Nov 2026 capture"
    (rf"\bcapture of {DAY}", r"capture taken in \1"),  # "since the reviewed capture of 16 Feb 2026"
    (rf"\bresult of {DAY}", r"result from \1"),  # "the REFER result of 17 Nov 2025"
    (rf"\bon {DAY}", r"in \1"),  # "URGENT on 10 Mar 2026"
    (rf"\bdue {DAY}", r"due in \1"),  # "was due 8 Jun 2026"
    (rf"\b{DAY}", r"\1"),
)


def year_only(text: str) -> str:
    """A text's dates of care reduced to their years, for a de-identified report, in words that read as a year does
    ("URGENT on 10 Mar 2026": "URGENT in 2026"; "since the reviewed capture of 16 Feb 2026": "since the reviewed
    capture taken in 2026", not "of 2026"; "on the 3 Nov 2026 capture": "on the capture taken in 2026"; "was due 8
    Jun 2026": "was due in 2026"; "2026-06-08 (3 months)": "2026 (3 months)"): dates identify a patient, years do not
    (HIPAA Safe Harbor)."""
    for pattern, words in YEARS:
        text = re.sub(pattern, words, text)
    return re.sub(r"\b(\d{4})-\d{2}-\d{2}(T[\d:.]+)?\b", r"\1", text)


def human_dates(text: str) -> str:
    """A text's ISO dates as the app and the CLI write dates ("2026-03-10": "10 Mar 2026")."""
    return re.sub(r"\b\d{4}-\d{2}-\d{2}\b", lambda m: human_date(m.group(0)), text)


def register_fonts() -> None:
    """DejaVu Sans (Latin, Greek, Cyrillic; free licence, resources/fonts) embedded in every PDF."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "DejaVuSans.ttf"))))
        pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
        # the family, so that <b> in a paragraph is the bold face (without it <b> printed as regular text); no
        # oblique face is bundled: <i> stays upright
        registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444")),
        # headings keep with what follows (a heading at a page's foot moves with it to the next page)
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=15, leading=19, spaceAfter=4, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4,
                             keepWithNext=1),
        "warn": ParagraphStyle("warn", parent=base, backColor=colors.HexColor("#fff3cd"), borderPadding=4,
                               textColor=colors.HexColor("#5d4200"), spaceBefore=4, spaceAfter=6),
        "tier": ParagraphStyle("tier", parent=base, fontName=BOLD, fontSize=12, leading=16),
    }


def page_size(name: str) -> tuple[float, float]:
    return LETTER if name.lower() == "letter" else A4


def text_width(paper_size: str) -> float:
    """The width in points a flowable has on the page (between the margins, less the frame's padding): wider
    and a row runs past the margin, and the header's rule."""
    return page_size(paper_size)[0] - 2 * (MARGIN + FRAME_PADDING)


def image_flowable(data: bytes, width: float, max_height: float | None = None) -> Image:
    reader = ImageReader(io.BytesIO(data))
    w, h = reader.getSize()
    height = width * h / w
    if max_height and height > max_height:
        width, height = max_height * w / h, max_height
    return Image(io.BytesIO(data), width=width, height=height)


def cut_to(text: str, font: str, size: float, room: float) -> str:
    """``text`` whole where it fits ``room`` points, else cut at its end with "…" (a line that must stay one)."""
    if pdfmetrics.stringWidth(text, font, size) <= room:
        return text
    fits, over = 0, len(text)  # the longest start that fits with "…" after it, by halving (a label can be long)
    while over - fits > 1:
        middle = (fits + over) // 2
        if pdfmetrics.stringWidth(text[:middle].rstrip() + "…", font, size) <= room:
            fits = middle
        else:
            over = middle
    return text[:fits].rstrip() + "…"


def fitting(text: str, font: str, size: float, room: float) -> int:
    """How many of ``text``'s first characters fit ``room`` points."""
    fits, over = 0, len(text) + 1
    while over - fits > 1:
        middle = (fits + over) // 2
        if pdfmetrics.stringWidth(text[:middle], font, size) <= room:
            fits = middle
        else:
            over = middle
    return fits


def wrapped(text: str, font: str, size: float, room: float | Sequence[float], most: int = 3) -> list[str]:
    """``text`` in lines of at most ``room`` points (a sequence: each line's room, its last for every line after),
    broken between words (a word longer than a line where it runs out); past ``most`` lines the last one is cut with
    "…"."""
    rooms = [float(room)] if isinstance(room, (int, float)) else [float(r) for r in room]
    lines: list[str] = []
    rest = " ".join(text.split())
    while rest:
        width = rooms[min(len(lines), len(rooms) - 1)]
        if len(lines) == most - 1:
            lines.append(cut_to(rest, font, size, width))
            break
        n = fitting(rest, font, size, width)
        if n < len(rest):
            space = rest.rfind(" ", 0, n + 1)
            n = space if space > 0 else max(n, 1)
        lines.append(rest[:n].rstrip())
        rest = rest[n:].lstrip()
    return lines


CLINIC_SIZE, CLINIC_WRAPPED, CLINIC_LEADING = 11, 9, 11  # points: a clinic on one line, one on more, their leading
CLINIC_SMALLEST, CLINIC_STEP, CLINIC_LINES = 7, 0.5, 3  # points: a long clinic's face shrinks to 7 pt; three lines
CLINIC_MOST = 4  # lines at 7 pt: three beside "Generated ..." and the operator, the fourth under them, across


class ClinicLines(NamedTuple):
    """The clinic's name as the header prints it: its lines, their face's size and leading (points), and its end
    left out (cut off with "…": too long for four lines even at 7 pt; "" where it is printed whole)."""

    lines: list[str]
    size: float
    leading: float
    left_out: str


def clinic_lines(name: str, room: float, wide: float = 0.0) -> ClinicLines:
    """``name`` in the header's column ``room`` points wide: one line in the large face where it fits; else wrapped to
    at most three lines in the largest face from 9 pt down to 7 pt that holds it whole (at 9 pt only, a name, address
    and phone lost its end, the phone number a GP calls, to "…" without a word). Where three lines at 7 pt do not hold
    it, a fourth runs under "Generated ..." and the operator, ``wide`` points (a 200-character clinic line beside a
    logo and an operator's name was cut on its third line); only where four cannot hold it is the fourth cut with
    "…", and what it leaves out is returned, for the callers to say so."""
    if pdfmetrics.stringWidth(name, BOLD, CLINIC_SIZE) <= room:
        return ClinicLines([name], CLINIC_SIZE, CLINIC_LEADING, "")
    size = float(CLINIC_WRAPPED)
    while (lines := wrapped(name, BOLD, size, room, most=CLINIC_LINES + 1)) and len(lines) > CLINIC_LINES:
        if size - CLINIC_STEP < CLINIC_SMALLEST:  # still too long at 7 pt: a fourth line, across the header
            rooms = [room] * CLINIC_LINES + [max(wide, room)]  # at 7 pt on 9 pt it starts below the operator's line
            if len(lines := wrapped(name, BOLD, size, rooms, most=CLINIC_MOST + 1)) <= CLINIC_MOST:
                return ClinicLines(lines, size, size + 2, "")
            lines = wrapped(name, BOLD, size, rooms, most=CLINIC_MOST)  # cut, and say what is left out
            return ClinicLines(lines, size, size + 2, left_out(" ".join(name.split()), lines))
        size -= CLINIC_STEP
    return ClinicLines(lines, size, size + 2, "")  # 9 pt on 11 pt, as before; smaller on less


def left_out(text: str, lines: list[str]) -> str:
    """What of ``text`` its ``wrapped`` ``lines`` leave out (the last line cut with "…"), from the start of the word
    the cut falls in ("Monday t…": "to Friday ...", not "o Friday ...")."""
    at = 0
    for line in [*lines[:-1], lines[-1].removesuffix("…")]:
        at = text.index(line, at) + len(line)
    if 0 < at < len(text) and text[at - 1] != " " and text[at] != " ":  # inside a word
        at = text.rfind(" ", 0, at) + 1
    return text[at:].strip()


def clinic_left_out(header: Any) -> str:
    """The end of ``header``'s clinic line that its report leaves out (cut with "…"), "" where it is printed whole:
    the same layout as the report's own (``ReportDoc``), for a caller to say what is missing."""
    return ReportDoc(io.BytesIO(), "", header).clinic_layout.left_out


class ReportDoc(BaseDocTemplate):
    """A4/Letter with a header (clinic, title, generated, operator) and a footer (disclaimer, page x of y). A clinic
    name too long for its column (name, address and phone ran over "Generated ..." and off the page) is wrapped
    there, in a smaller bold face, to at most three lines beside the date and operator and a fourth under them
    (``clinic_lines``); the header grows by its lines."""

    def __init__(self, target: Any, title: str, header: Any) -> None:
        register_fonts()
        clinic, logo, generated = header.clinic_name, header.clinic_logo, header.generated_at
        self.report_title, self.clinic, self.logo = title, clinic or "", logo if readable(logo) else None
        self.generated, self.operator = generated, header.operator
        width = page_size(header.paper_size)[0]
        self.left = MARGIN + (27 * mm if self.logo else 0)  # the header's text, right of the logo
        self.operator_text = f"Operator: {self.operator}" if self.operator else ""  # none set (or de-identified)
        right = max(pdfmetrics.stringWidth(f"Generated {generated}", FONT, 8),
                    pdfmetrics.stringWidth(self.operator_text, FONT, 8))
        column = width - MARGIN - self.left
        self.right_room = min(right, 0.45 * column)  # an operator's very long name is cut, never the clinic's column
        room = column - self.right_room - 4 * mm
        self.clinic_layout = clinic_lines(self.clinic or "DermaDesk", room, wide=column)
        self.clinic_lines, self.clinic_size = self.clinic_layout.lines, self.clinic_layout.size
        self.grown = (len(self.clinic_lines) - 1) * self.clinic_layout.leading  # its height beyond its one-line form
        super().__init__(target, pagesize=page_size(header.paper_size), leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=24 * mm + self.grown, bottomMargin=20 * mm, title=title,
                         author=f"DermaDesk {__version__}", subject=DISCLAIMER, creator="DermaDesk",
                         invariant=bool(getattr(header, "deidentified", False)))  # no creation time in the file
        pad = FRAME_PADDING
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, leftPadding=pad, rightPadding=pad,
                      topPadding=pad, bottomPadding=pad, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])

    def _decorate(self, canvas: Any, doc: Any) -> None:
        w, h = self.pagesize
        canvas.saveState()
        x, right = self.left, w - self.rightMargin
        if self.logo:
            try:
                canvas.drawImage(ImageReader(io.BytesIO(self.logo)), self.leftMargin, h - 19 * mm, height=12 * mm,
                                 width=24 * mm, preserveAspectRatio=True, mask="auto")
            except Exception:  # noqa: BLE001 - a broken logo must not stop a report
                pass
        canvas.setFont(BOLD, self.clinic_size)
        for i, line in enumerate(self.clinic_lines):
            canvas.drawString(x, h - 12 * mm - i * self.clinic_layout.leading, line)
        canvas.setFont(FONT, 8)
        title_y = h - 16.5 * mm - self.grown
        beside = self.operator_text and not self.grown  # the title shares its line with the operator's
        room = right - x - (pdfmetrics.stringWidth(self.operator_text, FONT, 8) + 4 * mm if beside else 0)
        canvas.drawString(x, title_y, cut_to(self.report_title, FONT, 8, room))  # a long lesion label
        canvas.drawRightString(right, h - 12 * mm, f"Generated {self.generated}")
        if self.operator_text:
            canvas.drawRightString(right, h - 16.5 * mm, cut_to(self.operator_text, FONT, 8, self.right_room))
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.line(self.leftMargin, title_y - 3 * mm, right, title_y - 3 * mm)
        canvas.line(self.leftMargin, 15 * mm, right, 15 * mm)
        canvas.setFont(BOLD, 7)
        canvas.drawString(self.leftMargin, 11 * mm, "Decision support, not a diagnosis.")
        canvas.setFont(FONT, 7)
        rest = DISCLAIMER[len("DermaDesk is decision support, not a diagnosis. "):]
        canvas.drawString(self.leftMargin, 7.5 * mm, rest)
        canvas.drawRightString(right, 11 * mm, f"Page {doc.page} of {{total}}")
        canvas.restoreState()


def readable(logo: bytes | None) -> bool:
    """Whether ``logo`` is an image the header can draw (a broken one leaves its room to the clinic's name)."""
    if not logo:
        return False
    try:
        ImageReader(io.BytesIO(logo)).getSize()
    except Exception:  # noqa: BLE001 - any unreadable file
        return False
    return True


def headings_kept(story: list[Any]) -> list[Any]:
    """``story`` with each heading that keeps with what follows (``keepWithNext``) moved into a KeepTogether right
    after it: reportlab keeps a heading only with a plain flowable, so "Trend over visits" ended page 1 and its chart
    (a KeepTogether) began page 2. A KeepTogether too tall for a page still breaks, as before."""
    out: list[Any] = []
    for flowable in story:
        if isinstance(flowable, KeepTogether):
            headings: list[Any] = []
            while out and not isinstance(out[-1], KeepTogether) and out[-1].getKeepWithNext():
                headings.insert(0, out.pop())
            if headings:
                content = flowable._content  # noqa: SLF001 - a KeepTogether inside one would force a page break
                flowable = KeepTogether([*headings, *content], flowable._maxHeight)  # noqa: SLF001
        out.append(flowable)
    return out


def laid_out(story: list[Any]) -> list[Any]:
    """``story`` as the builders lay it out: without what draws nothing at its end (a closing Spacer that fell
    past a full page made a last page of a header and a footer only: "Page 3 of 3" on Letter), every heading kept
    with what follows it (``headings_kept``)."""
    story = list(story)
    while story and isinstance(story[-1], (Spacer, PageBreak, CondPageBreak)):
        story.pop()
    return headings_kept(story)


def page_count(doc_factory: Any, story: list[Any]) -> int:
    """How many pages ``story`` takes in the document ``doc_factory`` makes (one layout, thrown away)."""
    doc = doc_factory(io.BytesIO())
    doc.build(laid_out(story))
    return int(doc.page)


def build_with_page_count(doc_factory: Any, story_factory: Any) -> bytes:
    """Build twice: the first pass counts pages so every footer can say 'page x of y' (``laid_out``)."""
    total = page_count(doc_factory, story_factory())
    buffer = io.BytesIO()
    doc = doc_factory(buffer)
    original = doc._decorate  # noqa: SLF001 - wrapped to write "page x of y" (reportlab has no hook for it)

    def decorate(canvas: Any, d: Any) -> None:
        original_draw = canvas.drawRightString

        def draw(x: float, y: float, text: str, *a: Any, **k: Any) -> Any:
            return original_draw(x, y, text.replace("{total}", str(total)), *a, **k)

        canvas.drawRightString = draw
        try:
            original(canvas, d)
        finally:
            canvas.drawRightString = original_draw

    doc.pageTemplates[0].onPage = decorate
    doc.build(laid_out(story_factory()))
    return buffer.getvalue()


def write_pdf(data: bytes, path: Path) -> Path:
    """Write the report atomically and owner-only (0600, as backups and exports: it holds patient data)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, data)
    return path
