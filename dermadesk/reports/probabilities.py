"""The lesion report's class probabilities: a table and a bar chart side by side, as the app shows them."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from dermadesk.contract import CLASSES
from dermadesk.domain.records import Assessment
from dermadesk.reports.common import BOLD, FONT

TABLE_COLUMN = 92 * mm  # the probability table's column; the chart has the rest of the width


def probability_chart(probabilities: dict[str, float], width: float = 80 * mm, reliable: bool = True) -> Drawing:
    """Class probabilities as bars: blue, malignant classes red; all grey when not reliable (not assessable),
    as the app shows them."""
    d = Drawing(width, 52 * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 20 * mm, 4 * mm, width - 24 * mm, 46 * mm
    codes = [c.code for c in CLASSES][::-1]
    chart.data = [[probabilities.get(c, 0.0) for c in codes]]
    chart.categoryAxis.categoryNames = codes
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 1, 0.25
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 6
    chart.bars[0].fillColor = colors.HexColor("#1565c0" if reliable else "#b0b0b0")
    for i, code in enumerate(codes):
        if reliable and next(c for c in CLASSES if c.code == code).malignant:
            chart.bars[(0, i)].fillColor = colors.HexColor("#c62828")
    d.add(chart)
    return d


def probability_block(a: Assessment, st: dict, width: float) -> list:
    """The class probability table and chart, ``width`` points wide in all (the frame's: 177 mm ran past A4's), with
    the model that produced them."""
    rows = [["Class", "Probability"]] + [
        [
            f"{c.name.split(' / ')[0]} ({c.code})" + (" *" if c.malignant else ""),
            f"{a.probabilities.get(c.code, 0):.1%}",
        ]
        for c in CLASSES
    ]
    prob_table = Table(rows, colWidths=[68 * mm, 22 * mm])
    prob_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("FONT", (0, 0), (-1, 0), BOLD, 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ]
        )
    )
    reliable = a.assessable
    if not reliable:  # shown for reference only, greyed as in the app
        prob_table.setStyle(TableStyle([("TEXTCOLOR", (0, 1), (-1, -1), colors.HexColor("#777777"))]))
    side = Table(
        [[prob_table, probability_chart(a.probabilities, reliable=reliable)]],
        colWidths=[TABLE_COLUMN, width - TABLE_COLUMN],
    )
    side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    device = "GPU (CUDA)" if (a.provider or "").startswith("CUDA") else "CPU"
    model = f"{a.model_name} {a.model_version}"
    return [side, Paragraph("* malignant class. Model: " + escape(f"{model}, run on {device}"), st["small"])]
