"""Body map: front and back drawings; click to place a new lesion or select one; a flagged lesion (an URGENT or
REFER result nobody acted on, a SIGNIFICANT change nobody answered, a follow-up overdue) ringed in red, its flag
beside its number and in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QToolTip, QWidget

from dermadesk.config import resource_path
from dermadesk.domain.bodymap import site_at
from dermadesk.domain.records import Lesion

MARKER_RADIUS = 7
FLAG_RED = "#b71c1c"  # the lesion list's flag colour
CAPTIONS = {  # the first whose every line fits its column: at 150 % on 1280x720 the view's name over its meaning
    "front": ("FRONT (patient facing you)", "FRONT\n(patient facing you)", "FRONT\n(facing you)", "FRONT"),
    "back": ("BACK",),
}
SIDES = {"front": ("R", "L"), "back": ("L", "R")}  # the patient's side at the viewer's left and right


class BodyMapWidget(QWidget):
    """Draws both views side by side; markers for lesions; the selected one highlighted.

    ``place_requested(view, x, y, site)`` is emitted for a click on the figure away from markers;
    ``lesion_clicked(id)`` for a click on a marker.
    """

    place_requested = Signal(str, float, float, str)
    lesion_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderers = {v: QSvgRenderer(str(resource_path(f"bodymap_{v}.svg")), self) for v in ("front", "back")}
        self.lesions: list[Lesion] = []
        self.selected: int | None = None
        self.flags: dict[int, tuple[str, str]] = {}  # lesion id -> ("⚠ URGENT", why), as the lesion list says them
        self.setMinimumSize(200, 130)  # the whole figure scales down: legs and feet stay in
        self.setMouseTracking(True)
        self.setToolTip("Click on the figure to place a new lesion; click a marker to select it")
        self.setAccessibleName("Body map")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_lesions(self, lesions: list[Lesion], selected: int | None = None) -> None:
        self.lesions = [les for les in lesions if les.body_view and les.body_x is not None]
        self.flags = {lid: flag for lid, flag in self.flags.items() if any(les.id == lid for les in lesions)}
        self.selected = selected
        self.update()

    def set_flag(self, lesion_id: int, flag: str, why: str) -> None:
        """The lesion's flag ("⚠ URGENT") and its reason, or none (``flag`` empty)."""
        if flag:
            self.flags[lesion_id] = (flag, why)
        else:
            self.flags.pop(lesion_id, None)
        self.update()

    def caption_font(self) -> QFont:
        """The FRONT/BACK captions: the window's own text size, bold (never scaled down with the figure)."""
        font = QFont(self.font())
        font.setBold(True)
        return font

    def view_rect(self, view: str) -> QRectF:
        """Where a view is drawn: two columns keeping the 1:2 drawing aspect, above the caption's lines."""
        lines = max(self.caption(v).count("\n") + 1 for v in CAPTIONS)
        caption = lines * QFontMetricsF(self.caption_font()).height() + 4
        w, h = self.width() / 2, max(float(self.height()) - caption, 20.0)
        scale = min(w / 300, h / 600)
        dw, dh = 300 * scale, 600 * scale
        left = (0 if view == "front" else w) + (w - dw) / 2
        return QRectF(left, (h - dh) / 2, dw, dh)

    def caption_rect(self, view: str) -> QRectF:
        """The caption's lines, under the figure's feet: its column's width, clear of the drawing."""
        figure = self.view_rect(view)
        height = (self.caption(view).count("\n") + 1) * QFontMetricsF(self.caption_font()).height() + 2
        return QRectF(0 if view == "front" else self.width() / 2, figure.bottom() + 2, self.width() / 2, height)

    def caption(self, view: str) -> str:
        """The longest caption whose every line fits the view's column (never cut off); the last, its name, else."""
        metrics, room = QFontMetricsF(self.caption_font()), self.width() / 2 - 4
        fits = (c for c in CAPTIONS[view] if all(metrics.horizontalAdvance(line) <= room for line in c.split("\n")))
        return next(fits, CAPTIONS[view][-1])

    def _draw_labels(self, painter: QPainter) -> None:
        """Captions under the figures and the patient's sides (R/L) in their top corners, in legible type."""
        painter.setPen(self.palette().windowText().color())
        painter.setFont(self.caption_font())
        centred = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        for view in ("front", "back"):
            painter.drawText(self.caption_rect(view), centred, self.caption(view))
        painter.setFont(self.font())
        line = QFontMetricsF(self.font()).height()
        above = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom
        for view, sides in SIDES.items():  # over each shoulder, beside the head: never next to the other figure
            r = self.view_rect(view)
            for side, x in zip(sides, (0.27, 0.73)):
                spot = QRectF(r.left() + x * r.width() - line, r.top() + 0.15 * r.height() - line - 1, 2 * line, line)
                painter.drawText(spot, above, side)

    def to_widget(self, view: str, x: float, y: float) -> QPointF:
        r = self.view_rect(view)
        return QPointF(r.left() + x * r.width(), r.top() + y * r.height())

    def from_widget(self, pos: QPointF) -> tuple[str, float, float] | None:
        for view in ("front", "back"):
            r = self.view_rect(view)
            if r.contains(pos):
                return view, (pos.x() - r.left()) / r.width(), (pos.y() - r.top()) / r.height()
        return None

    def lesion_at(self, pos: QPointF) -> Lesion | None:
        for les in self.lesions:
            p = self.to_widget(les.body_view, les.body_x, les.body_y)  # type: ignore[arg-type]
            if (p - pos).manhattanLength() <= MARKER_RADIUS * 1.6:
                return les
        return None

    def paintEvent(self, _: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for view, renderer in self.renderers.items():
            renderer.render(painter, self.view_rect(view))
        self._draw_labels(painter)
        for les in self.lesions:
            p = self.to_widget(les.body_view, les.body_x, les.body_y)  # type: ignore[arg-type]
            chosen, flagged = les.id == self.selected, les.id in self.flags
            painter.setPen(QPen(QColor("#000000"), 2))
            painter.setBrush(QColor("#d81b60") if chosen else QColor("#1e88e5"))
            radius = MARKER_RADIUS + (2 if chosen else 0)
            painter.drawEllipse(p, radius, radius)
            if flagged:  # a ring and a sign, not colour alone
                painter.setPen(QPen(QColor(FLAG_RED), 3))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                radius += 4
                painter.drawEllipse(p, radius, radius)
            painter.setPen(QColor(FLAG_RED if flagged else "#000000"))
            painter.drawText(p + QPointF(radius + 2, 4), marker_text(les) + (" ⚠" if flagged else ""))
        painter.end()

    def event(self, event: QEvent) -> bool:
        """Over a marker, its lesion and flag ("Lesion 2: URGENT result; status still 'monitoring'") as tooltip."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            if (text := self.marker_tip(QPointF(event.pos()))) is not None:
                QToolTip.showText(event.globalPos(), text, self)
                return True
        return super().event(event)

    def marker_tip(self, pos: QPointF) -> str | None:
        les = self.lesion_at(pos)
        if les is None:
            return None
        flag, why = self.flags.get(les.id, ("", ""))
        return f"{les.title}: {les.site_text}" + (f"\n{flag}: {why}" if flag else "")

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        pos = event.position()
        hit = self.lesion_at(pos)
        if hit is not None:
            self.selected = hit.id
            self.update()
            self.lesion_clicked.emit(hit.id)
            return
        where = self.from_widget(pos)
        if where is None:
            return
        view, x, y = where
        site = site_at(view, x, y)
        if site is not None:
            self.place_requested.emit(view, x, y, site)


def marker_text(les: Lesion) -> str:
    """The label beside a lesion's marker: its number within the patient ("2" for Lesion 2), never the id."""
    return str(les.number) if les.number is not None else f"id {les.id}"
