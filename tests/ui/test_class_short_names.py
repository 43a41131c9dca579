"""Walkthrough 23 at 150 % on 1280x720 (853x480): the compact probability rows named the classes by their codes
(akiec, bkl, vasc, df), which clinic staff may not know, the full names only on hover. Each row now reads a short name
("AK / IEC", "benign ker.", "dermatofib.") over its bar, the code only where even that does not fit beside the figures;
the user guide gives each class's code, short and full name (real window, real register, a stored assessment)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from dermadesk.contract import CLASSES
from dermadesk.ui.probability_bars import PAD, TINTS, TRACK
from dermadesk.ui.user_guide import UserGuideDialog, guide_html
from tests.ui.test_probabilities_in_sight import refer_shown


def test_at_150_percent_each_compact_row_names_its_class_in_words(qtbot, window, tmp_path: Path) -> None:
    bars = refer_shown(qtbot, window, tmp_path, (853, 480)).bars
    assert bars.compact
    labels = bars.compact_labels(bars.width())
    assert labels == {c.code: c.short for c in CLASSES}  # no bare code where the short name fits
    metrics = bars.fontMetrics()
    widest = max(metrics.horizontalAdvance(bars.value_text(c.code)) for c in CLASSES)
    for c in CLASSES:  # each beside the figures, apart from them, within the row
        assert metrics.horizontalAdvance(labels[c.code]) + widest + 4 * PAD <= bars.width(), c.code
    # the row's tooltip still names the class in full, and by its code
    row = bars.row_bottoms()[1] - 2
    assert bars.class_at(row).code == "mel"
    at = QPoint(20, round(row))
    QApplication.sendEvent(bars, QHelpEvent(QEvent.Type.ToolTip, at, bars.mapToGlobal(at)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == "Melanoma (mel): 28.4%"
    QToolTip.hideText()


def test_the_bar_behind_the_words_reads_the_probability(qtbot, window, tmp_path: Path) -> None:
    """The bar is a tint across the row, as long as the probability: nevus 66.9% (blue), melanoma 28.4% (red)."""
    bars = refer_shown(qtbot, window, tmp_path, (853, 480)).bars
    image = bars.grab().toImage()
    scale = image.width() / bars.width()
    for row, (code, share) in enumerate((("nv", 0.669), ("mel", 0.284))):
        assert bars.shown()[row].code == code
        y = int((row + 1) * bars.height() / len(CLASSES) * scale) - 2  # the bar's bottom edge, under the words
        fill = QColor(TINTS[code == "mel"])
        assert image.pixelColor(round(bars.width() * share * 0.5 * scale), y) == fill
        assert image.pixelColor(round(bars.width() * (share + 1) / 2 * scale), y) == QColor(TRACK)  # the rest


def test_where_a_short_name_does_not_fit_its_row_gives_the_code(qtbot, window, tmp_path: Path) -> None:
    bars = refer_shown(qtbot, window, tmp_path, (853, 480)).bars
    metrics = bars.fontMetrics()
    widest = max(metrics.horizontalAdvance(bars.value_text(c.code)) for c in CLASSES)
    narrow = round(4 * PAD + widest + metrics.horizontalAdvance("vascular"))  # "vascular" fits, "melanoma" does not
    labels = bars.compact_labels(narrow)
    assert labels["vasc"] == "vascular" and labels["nv"] == "nevus" and labels["bcc"] == "BCC"
    assert labels["mel"] == "mel" and labels["df"] == "df" and labels["bkl"] == "bkl"


def test_the_short_names_are_short_distinct_and_the_guide_explains_each(qtbot) -> None:
    shorts = [c.short for c in CLASSES]
    assert len(set(shorts)) == len(CLASSES) and all(0 < len(s) <= 12 for s in shorts)
    guide = UserGuideDialog()
    qtbot.addWidget(guide)
    text = " ".join(guide.browser.toPlainText().split())
    section = text[text.index("5. Reading an assessment") : text.index("6. Follow-up visits")]
    assert "Hold the mouse over a bar to see its full name" in section
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", " ".join(guide_html().split()))
    assert [(code, short) for code, short, _ in rows] == [(c.code, c.short) for c in CLASSES]
    assert all(full.startswith(c.name) for (_, _, full), c in zip(rows, CLASSES))


def test_no_short_name_of_a_benign_kind_reads_as_a_malignant_one() -> None:
    """Walkthrough 24: "keratosis 2.8%" two rows above "AK / IEC" read as actinic keratosis (malignant here); the
    benign keratosis-like class says it is the benign one, and no benign short name repeats a malignant one's word."""
    shorts = {c.code: c.short for c in CLASSES}
    assert shorts["bkl"].startswith("benign")
    malignant_words = {w.lower() for c in CLASSES if c.malignant for w in re.findall(r"[A-Za-z]+", c.name)}
    for c in CLASSES:
        if not c.malignant:
            words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", c.short)}
            assert not words & malignant_words, c.code
