"""Manual alignment: the user marks the same spots on the baseline and the follow-up (two or three pairs)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QMouseEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGraphicsEllipseItem,
    QGraphicsSimpleTextItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermadesk.analysis.hand_alignment import NO_OVERLAP, UNCONFIRMED, similarity_from_points
from dermadesk.ui.images import ImageView, to_qimage

MAX_PAIRS = 3
MARK_COLOURS = ("#00e5ff", "#ffea00", "#ff4081")
BASE_FIRST = "Mark the spot on the baseline (left) first."
FOLLOW_NEXT = "Now mark the same spot on the follow-up (right), or undo the last point."
ENOUGH = f"{MAX_PAIRS} pairs are enough: undo one to move it."
# the longest of what the comparison refuses marked points for, and of what the dialog finds wrong with them
# (``similarity_from_points``): the instructions keep room for them from the start
REFUSALS = (UNCONFIRMED, f"{NO_OVERLAP} (overlap 29%): check that each pair marks the same spot, baseline point first")
PROBLEM = "the follow-up points are too close together (999 px apart): mark spots far apart, e.g. on opposite sides"


class SteadyLabel(QLabel):
    """Word-wrapped text as tall as the tallest it may say at its width (``sayings``, and all it has said): what
    stands below it never moves as it changes (the images jumped 10-21 px between clicks as "(0 so far)", "(1 so
    far)" and a refusal took two, three or four lines)."""

    def __init__(self, sayings: Callable[[], Iterator[str]]) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._sayings = sayings
        self._said: set[str] = set()
        self._probe = QLabel(self)  # measures the other texts (never shown)
        self._probe.setWordWrap(True)
        self._probe.hide()
        self._fitted: tuple[int, int] | None = None  # (width, height) last fitted

    def say(self, text: str) -> None:
        self._said.add(text)
        self.setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def _fit(self) -> None:
        width = self.width()
        if self._fitted is not None and self._fitted[0] == width and self.heightForWidth(width) <= self._fitted[1]:
            return  # nothing taller at this width
        tallest = 0
        for text in (*self._sayings(), *self._said):
            self._probe.setText(text)
            tallest = max(tallest, self._probe.heightForWidth(width))
        self._fitted = (width, tallest)
        self.setFixedHeight(tallest)


class PointPicker(ImageView):
    """An image view where a click (not a drag) marks a numbered point; wheel zooms, drag pans."""

    clicked = Signal(float, float)  # image pixel coordinates

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._press: QPoint | None = None
        self._marks: list[tuple[QGraphicsEllipseItem, QGraphicsSimpleTextItem]] = []

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        super().mouseReleaseEvent(event)
        if self._press is not None and (event.position().toPoint() - self._press).manhattanLength() <= 4:
            point = self.mapToScene(event.position().toPoint())
            rect = self.sceneRect()
            if rect.contains(point):
                self.clicked.emit(point.x(), point.y())
        self._press = None

    def show_points(self, points: list[tuple[float, float]]) -> None:
        """Numbered markers at ``points`` (image pixels), sized to the image."""
        for ring, label in self._marks:
            self.scene().removeItem(ring)
            self.scene().removeItem(label)
        self._marks = []
        side = max(self.sceneRect().width(), self.sceneRect().height(), 1.0)
        r = side / 60
        for i, (x, y) in enumerate(points):
            colour = QColor(MARK_COLOURS[i % len(MARK_COLOURS)])
            ring = QGraphicsEllipseItem(x - r, y - r, 2 * r, 2 * r)
            ring.setPen(QPen(colour, r / 3))
            ring.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            ring.setZValue(2)
            label = QGraphicsSimpleTextItem(str(i + 1))
            font = QFont()
            font.setPixelSize(max(8, int(2.4 * r)))
            font.setBold(True)
            label.setFont(font)
            label.setBrush(QBrush(colour))
            label.setPos(QPointF(x + r, y - 3 * r))
            label.setZValue(2)
            self.scene().addItem(ring)
            self.scene().addItem(label)
            self._marks.append((ring, label))


class ManualAlignDialog(QDialog):
    """Mark point pairs: a spot on the baseline (left), then the same spot on the follow-up (right).

    ``pairs()`` gives ((x, y) on the baseline, (x, y) on the follow-up) in the images' own pixels.
    """

    def __init__(
        self,
        baseline: np.ndarray,
        followup: np.ndarray,
        parent: QWidget | None = None,
        scales: tuple[float, float] = (1.0, 1.0),
        sizes: tuple[tuple[int, int], tuple[int, int]] | None = None,
        marked: list[tuple[tuple[float, float], tuple[float, float]]] | None = None,
    ) -> None:
        """``baseline``/``followup`` as shown (working copies at ``scales`` of the originals, whose (w, h) are
        ``sizes``); ``marked``: points from an earlier manual alignment, in shown pixels."""
        super().__init__(parent)
        self.setWindowTitle("Align by hand")
        self.scales = scales
        self.sizes = sizes or ((baseline.shape[1], baseline.shape[0]), (followup.shape[1], followup.shape[0]))
        self.base_points: list[tuple[float, float]] = [b for b, _ in marked or []]
        self.follow_points: list[tuple[float, float]] = [f for _, f in marked or []]
        self.hint = ""
        self.refusal = ""  # why the app refused these very points (``refused``): gone once a point changes
        self.left, self.right = PointPicker(), PointPicker()
        self.left.set_image(to_qimage(baseline))
        self.right.set_image(to_qimage(followup))
        self.left.setAccessibleName("Baseline: click to mark a point")
        self.right.setAccessibleName("Follow-up: click to mark the same point")
        self.left.clicked.connect(lambda x, y: self._add("base", x, y))
        self.right.clicked.connect(lambda x, y: self._add("follow", x, y))
        self.instructions = SteadyLabel(self._sayings)  # as tall as it may get: the images below stay where they are
        undo, clear = QPushButton("Undo last point"), QPushButton("Clear all")
        undo.clicked.connect(self.undo)
        clear.clicked.connect(self.clear)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText("Apply alignment")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        images = QHBoxLayout()
        for title, view in (("Baseline", self.left), ("Follow-up", self.right)):
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{title}</b>"))
            column.addWidget(view, 1)
            images.addLayout(column, 1)
        tools = QHBoxLayout()
        tools.addWidget(undo)
        tools.addWidget(clear)
        tools.addStretch(1)
        tools.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.instructions)
        layout.addLayout(images, 1)
        layout.addLayout(tools)
        self.resize(1100, 620)
        self._update()

    def _add(self, side: str, x: float, y: float) -> None:
        expected = "base" if len(self.base_points) == len(self.follow_points) else "follow"
        if side == "base" and len(self.pairs()) >= MAX_PAIRS:
            self.hint = ENOUGH
        elif side != expected:
            self.hint = BASE_FIRST if expected == "base" else FOLLOW_NEXT
        else:
            self.hint = self.refusal = ""
            (self.base_points if side == "base" else self.follow_points).append((x, y))
        self._update()

    def original_pairs(self) -> list[tuple[tuple[float, float], tuple[float, float]]]:
        """The marked pairs in the captures' original pixels."""
        sb, sf = self.scales
        return [((xb / sb, yb / sb), (xf / sf, yf / sf)) for (xb, yb), (xf, yf) in self.pairs()]

    def problem(self) -> str:
        """Why the marked pairs cannot align the images ("" when they can)."""
        if len(self.pairs()) < 2:
            return ""
        try:
            similarity_from_points(self.original_pairs(), self.sizes)
        except ValueError as exc:
            return str(exc)
        return ""

    def refused(self, reason: str) -> None:
        """The comparison refused these points: the reason in the window, Apply off until a point changes."""
        self.refusal = f"Not applied: {reason.rstrip('.')}. Add a pair, or undo and mark a point again."
        self._update()

    def undo(self) -> None:
        self.refusal = ""
        if len(self.follow_points) == len(self.base_points) and self.follow_points:
            self.follow_points.pop()
        elif self.base_points:
            self.base_points.pop()
        self._update()

    def clear(self) -> None:
        self.refusal = ""
        self.base_points.clear()
        self.follow_points.clear()
        self._update()

    def pairs(self) -> list[tuple[tuple[float, float], tuple[float, float]]]:
        return list(zip(self.base_points, self.follow_points))

    def _update(self) -> None:
        self.left.show_points(self.base_points)
        self.right.show_points(self.follow_points)
        problem = self.problem()
        self.instructions.say(instruction_text(len(self.base_points), len(self.follow_points), self.refusal,
                                               self.hint, problem))  # fmt: skip
        done, whole = len(self.pairs()), len(self.base_points) == len(self.follow_points)
        self.apply_button.setEnabled(done >= 2 and not problem and not self.refusal and whole)

    @staticmethod
    def _sayings() -> Iterator[str]:
        """What the instructions may say, at their longest: each step, with each hint it may have, and where two
        pairs or more are marked, a refusal (kept while a hint comes) or a problem with them."""
        refusals = [f"Not applied: {r}. Add a pair, or undo and mark a point again." for r in REFUSALS]
        for base, follow in ((0, 0), (1, 0), (1, 1), (2, 1), (2, 2), (MAX_PAIRS, 2), (MAX_PAIRS, MAX_PAIRS)):
            hints = ["", FOLLOW_NEXT] if base > follow else ["", BASE_FIRST] + [ENOUGH] * (base >= MAX_PAIRS)
            for hint in hints:
                yield instruction_text(base, follow, "", hint, "")
                if follow >= 2:
                    yield instruction_text(base, follow, "", hint, PROBLEM)
                    yield from (instruction_text(base, follow, r, hint, "") for r in refusals if base == follow)


def instruction_text(base: int, follow: int, refusal: str, hint: str, problem: str) -> str:
    """What the window says with ``base`` and ``follow`` points marked: the next step, then in red why the points
    were refused, a hint about the last click and what is wrong with the points (each where there is one)."""
    done = min(base, follow)
    if base > follow:
        step = f"Now click the <b>same spot</b> on the <b>follow-up</b> (right) for point {base}."
    elif done >= MAX_PAIRS:
        step = f"{done} pairs marked: apply, or undo to change one."
    else:
        step = (
            f"Click a distinct spot on the <b>baseline</b> (left) for point {done + 1}: a freckle, a hair "
            "crossing, a tip or notch of the lesion's border."
        )
    need = "" if done >= 2 else f" At least two pairs are needed ({done} so far)."
    warning = "".join(f"<br><b style='color:#b00020'>{t}</b>" for t in (refusal, hint, problem) if t)
    return (
        f"{step}{need} Wheel zooms, drag pans. Points far apart align best; "
        f"the comparison is then recomputed with your alignment and stored as 'manual'.{warning}"
    )
