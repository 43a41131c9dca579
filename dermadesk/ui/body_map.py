"""Body map: front and back drawings; click to place a new lesion or select one; a flagged lesion (an URGENT or
REFER result nobody acted on, a SIGNIFICANT change nobody answered, a follow-up overdue) ringed in red, its flag
beside its number and in its tooltip. Markers close together are drawn smaller, their numbers out beside the figure
on leader lines (domain.leaders, as the printed summary does); lesions without a map position named under it."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QToolTip, QWidget

from dermadesk.config import resource_path
from dermadesk.domain.bodymap import has_position, site_at
from dermadesk.domain.leaders import Box, Mark, crowded, place_labels
from dermadesk.domain.lesion_name import lesion_name
from dermadesk.domain.records import Lesion
from dermadesk.services.attention import flag_line
from dermadesk.ui.body_map_text import OffMapItem, off_map_layout

MARKER_RADIUS = 7
CROWDED_RADIUS = 4.5  # a marker close to another: smaller, so that each shows (its number out on a leader line)
FLAG_RING = 4  # the red ring's distance outside a flagged marker (3 in a crowd)
FLAG_RED = "#b71c1c"  # the lesion list's flag colour
CHOSEN = "#d81b60"  # the selected lesion's marker and number box
LABEL_PAD = 2.0  # either side of a number, inside its label's box
CAPTIONS = {  # the first whose every line fits its column: at 150 % on 1280x720 the view's name over its meaning
    "front": ("FRONT (patient facing you)", "FRONT\n(patient facing you)", "FRONT\n(facing you)", "FRONT"),
    "back": ("BACK",),
}
SIDES = {"front": ("R", "L"), "back": ("L", "R")}  # the patient's side at the viewer's left and right
VIEWS = ("front", "back")
PLACE_MODIFIERS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier  # place, even on a marker
NEXT_TO = "Shift+click to place a new lesion here, next to it"  # a mole a few mm away: its marker covers the spot


class BodyMapWidget(QWidget):
    """Draws both views side by side; markers for lesions; the selected one highlighted.

    ``place_requested(view, x, y, site)`` is emitted for a click on the figure away from markers, or a Shift+click
    (Ctrl+click too) anywhere on it; ``lesion_clicked(id)`` for a click on a marker, its number or its name in the
    "Not on the map" line; ``missed()`` for a click beside the figures.
    """

    place_requested = Signal(str, float, float, str)
    lesion_clicked = Signal(int)
    missed = Signal()  # a click beside the figures, neither on the outline nor on a marker: nothing happens there

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderers = {v: QSvgRenderer(str(resource_path(f"bodymap_{v}.svg")), self) for v in VIEWS}
        self.lesions: list[Lesion] = []  # those with a map position
        self.unplaced: list[Lesion] = []  # the others: named under the map
        self.selected: int | None = None
        self.tip_on_release = False  # the press selected a lesion: its tip when the button is let go
        self.flags: dict[int, tuple[str, str]] = {}  # lesion id -> ("⚠ URGENT", why), as the lesion list says them
        self.setMinimumSize(200, 130)  # the whole figure scales down: legs and feet stay in
        self.setMouseTracking(True)
        self.setToolTip(
            "Click on the figure to place a new lesion; click a marker to select it;\n"
            "Shift+click on or beside a marker to place a new lesion next to it"
        )
        self.setAccessibleName("Body map")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_lesions(self, lesions: list[Lesion], selected: int | None = None) -> None:
        self.lesions = [les for les in lesions if on_map(les)]
        self.unplaced = [les for les in lesions if not on_map(les)]
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

    def off_map(self) -> list[OffMapItem]:
        """The "Not on the map: Lesion 9 (palms/soles)" line's parts, at most two lines across the widget."""
        flags = {les.id: self.flags.get(les.id, ("", ""))[0] for les in self.unplaced}
        return off_map_layout(self.unplaced, flags, self.font(), self.width(), self.height())

    def view_rect(self, view: str) -> QRectF:
        """Where a view is drawn: two columns keeping the 1:2 drawing aspect, above the caption's lines (and the
        lesions not on the map)."""
        lines = max(self.caption(v).count("\n") + 1 for v in CAPTIONS)
        items = self.off_map()
        below = (
            lines * QFontMetricsF(self.caption_font()).height()
            + 4
            + (self.height() - items[0].rect.top() if items else 0)
        )
        w, h = self.width() / 2, max(float(self.height()) - below, 20.0)
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

    def side_rects(self, view: str) -> list[tuple[str, QRectF]]:
        """The patient's sides (R/L) over each shoulder beside the head, each letter's own box."""
        r, metrics = self.view_rect(view), QFontMetricsF(self.font())
        out = []
        for side, x in zip(SIDES[view], (0.27, 0.73)):
            w = metrics.horizontalAdvance(side) + 2
            out.append(
                (
                    side,
                    QRectF(
                        r.left() + x * r.width() - w / 2,
                        r.top() + 0.15 * r.height() - metrics.height() - 1,
                        w,
                        metrics.height(),
                    ),
                )
            )
        return out

    def _draw_labels(self, painter: QPainter) -> None:
        """Captions under the figures and the patient's sides (R/L) in their top corners, in legible type."""
        painter.setPen(self.palette().windowText().color())
        painter.setFont(self.caption_font())
        centred = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        for view in VIEWS:
            painter.drawText(self.caption_rect(view), centred, self.caption(view))
        painter.setFont(self.font())
        for view in VIEWS:  # over each shoulder, beside the head: never next to the other figure
            for side, spot in self.side_rects(view):
                painter.drawText(spot, Qt.AlignmentFlag.AlignCenter, side)

    def to_widget(self, view: str, x: float, y: float) -> QPointF:
        r = self.view_rect(view)
        return QPointF(r.left() + x * r.width(), r.top() + y * r.height())

    def from_widget(self, pos: QPointF) -> tuple[str, float, float] | None:
        for view in VIEWS:
            r = self.view_rect(view)
            if r.contains(pos):
                return view, (pos.x() - r.left()) / r.width(), (pos.y() - r.top()) / r.height()
        return None

    def crowd(self) -> set[int]:
        """The lesions whose markers, drawn full size, would cover each other's."""
        return crowded(
            [Mark(les.id, p.x(), p.y(), self.reach(les.id, MARKER_RADIUS), 0, 0) for les, p in self._centres()]
        )

    def _centres(self) -> list[tuple[Lesion, QPointF]]:
        return [(les, self.to_widget(les.body_view, les.body_x, les.body_y)) for les in self.lesions]  # type: ignore[arg-type]

    def markers(self, close: set[int] | None = None) -> dict[int, tuple[QPointF, float]]:
        """Each placed lesion's marker: its centre and radius (smaller where markers crowd, ``close``: the crowd
        where known, larger when selected)."""
        close = self.crowd() if close is None else close  # the selected one grows where there is room
        return {
            les.id: (p, CROWDED_RADIUS if les.id in close else MARKER_RADIUS + (2 if les.id == self.selected else 0))
            for les, p in self._centres()
        }

    def reach(self, lesion_id: int, radius: float) -> float:
        """How far a marker's drawing reaches: its flag ring included."""
        return radius + (ring(radius) + 1.5 if lesion_id in self.flags else 0)

    def label_text(self, les: Lesion) -> str:
        return marker_text(les) + (" ⚠" if les.id in self.flags else "")

    def number_labels(self) -> dict[int, tuple[QRectF, bool]]:
        """Each placed lesion's number: its box, and whether it is out beside the figure on a leader line. Inside
        the widget, none over another, a marker or an R/L letter; a number out beside a figure may use the room
        between the two figures."""
        return self.layout()[1]

    def layout(self) -> tuple[dict[int, tuple[QPointF, float]], dict[int, tuple[QRectF, bool]]]:
        """``markers`` and ``number_labels`` from one reading of the crowd (paint and hit tests ask for both)."""
        crowd = self.crowd()
        metrics, markers = QFontMetricsF(self.font()), self.markers(crowd)
        front, back = self.view_rect("front"), self.view_rect("back")
        bottom = self.caption_rect("front").top()
        areas = {"front": Box(0, 0, back.left(), bottom), "back": Box(front.right(), 0, self.width(), bottom)}
        out: dict[int, tuple[QRectF, bool]] = {}
        for view in VIEWS:
            marks = [
                Mark(les.id, markers[les.id][0].x(), markers[les.id][0].y(), self.reach(les.id, markers[les.id][1]),
                     metrics.horizontalAdvance(self.label_text(les)) + 2 * LABEL_PAD, metrics.height())
                for les in self.lesions
                if les.body_view == view
            ]  # fmt: skip
            letters = [box(rect) for _, rect in self.side_rects(view)]
            taken = [box(rect) for rect, _ in out.values()]
            off = {m.key for m in marks} & crowd
            for lid, label in place_labels(marks, areas[view], box(self.view_rect(view)), letters, off, taken).items():
                b = label.box
                out[lid] = (QRectF(b.left, b.top, b.right - b.left, b.bottom - b.top), label.leader)
        return markers, out

    def lesion_at(self, pos: QPointF) -> Lesion | None:
        """The lesion whose number or marker (the nearest) is at ``pos``, or whose name it is in the line under
        the map."""
        by_id, (markers, labels) = {les.id: les for les in self.lesions}, self.layout()
        for lid, (rect, _) in labels.items():
            if rect.adjusted(-1, -1, 1, 1).contains(pos):
                return by_id[lid]
        near = [(math.dist((p.x(), p.y()), (pos.x(), pos.y())), lid, radius) for lid, (p, radius) in markers.items()]
        hits = sorted((d, lid) for d, lid, radius in near if d <= max(radius + 3, MARKER_RADIUS + 1))
        if hits:
            return by_id[hits[0][1]]
        return next((item.lesion for item in self.off_map() if item.lesion and item.rect.contains(pos)), None)

    def paintEvent(self, _: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for view, renderer in self.renderers.items():
            renderer.render(painter, self.view_rect(view))
        self._draw_labels(painter)
        markers, labels = self.layout()
        order = sorted(self.lesions, key=lambda les: (les.id == self.selected, les.id in self.flags))  # on top
        for les in order:
            self._draw_marker(painter, les, *markers[les.id])
        for les in order:  # leader lines over the markers, to their centres: none lost under a neighbour
            rect, leader = labels[les.id]
            if leader:
                chosen, (p, _) = les.id == self.selected, markers[les.id]
                colour = QColor(CHOSEN if chosen else "#222222")
                painter.setPen(QPen(colour, 2 if chosen else 1))
                painter.drawLine(
                    p, QPointF(rect.right() if rect.center().x() < p.x() else rect.left(), rect.center().y())
                )
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawEllipse(p, 1.6, 1.6)
        for les in order:
            self._draw_number(painter, les, *labels[les.id])
        self._draw_off_map(painter)
        painter.end()

    def _draw_marker(self, painter: QPainter, les: Lesion, p: QPointF, radius: float) -> None:
        painter.setPen(QPen(QColor("#000000"), 2 if radius >= MARKER_RADIUS else 1.5))
        painter.setBrush(QColor(CHOSEN) if les.id == self.selected else QColor("#1e88e5"))
        painter.drawEllipse(p, radius, radius)
        if les.id in self.flags:  # a ring and a sign, not colour alone
            painter.setPen(QPen(QColor(FLAG_RED), 3 if radius >= MARKER_RADIUS else 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(p, radius + ring(radius), radius + ring(radius))

    def _draw_number(self, painter: QPainter, les: Lesion, rect: QRectF, leader: bool) -> None:
        """The number (with ⚠, red, where flagged); the selected lesion's white on its marker's colour; one on a
        leader line over the window's colour (legible where there was no room beside an arm)."""
        painter.setFont(self.font())
        if leader and les.id != self.selected:
            shade = QColor(self.palette().window().color())
            shade.setAlpha(215)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(shade)
            painter.drawRoundedRect(rect, 3, 3)
        if les.id == self.selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(CHOSEN))
            painter.drawRoundedRect(rect, 3, 3)
            painter.setPen(QColor("#ffffff"))
        else:
            painter.setPen(QColor(FLAG_RED if les.id in self.flags else "#000000"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.label_text(les))

    def _draw_off_map(self, painter: QPainter) -> None:
        """The lesions without a map position, named under the map (a flagged one in red, its flag's words first)."""
        for item in self.off_map():
            font = QFont(self.font())
            font.setBold(item.bold)
            painter.setFont(font)
            flagged = item.lesion is not None and item.lesion.id in self.flags
            painter.setPen(QColor(FLAG_RED) if flagged else self.palette().windowText().color())
            painter.drawText(item.rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, item.text)

    def event(self, event: QEvent) -> bool:
        """Over a marker, its lesion and flag ("Lesion 2 · ...", "⚠ URGENT: result on ...") as tooltip."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            if (text := self.marker_tip(QPointF(event.pos()))) is not None:
                QToolTip.showText(event.globalPos(), text, self)
                return True
        return super().event(event)

    def marker_tip(self, pos: QPointF) -> str | None:
        """A lesion's name (``domain.lesion_name``, as the lesion list names it) and flag over its marker, number or
        name under the map; over "Not on the map" (or "+2 more") every lesion without a position, by its name."""
        les = self.lesion_at(pos)
        if les is None:
            if not any(item.rect.contains(pos) for item in self.off_map()):
                return None
            named = (lesion_name(x, self.flags.get(x.id, ("", ""))[0]) for x in self.unplaced)
            return "No body-map position recorded (added from the command line or an import):\n" + "\n".join(named)
        flag, why = self.flags.get(les.id, ("", ""))
        where = "" if on_map(les) else " (no body-map position recorded)"
        hint = f"\n{NEXT_TO}" if on_map(les) else ""  # its marker covers where a neighbouring mole would go
        return lesion_name(les) + where + (f"\n{flag_line(flag, why)}" if flag else "") + hint

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        """A click selects the lesion under it (its tip, with how to place one next to it, shown as the button is
        let go), else places a new one; a Shift+click places one in any case (a neighbouring mole under a marker)."""
        pos = event.position()
        self.tip_on_release = False
        hit = None if event.modifiers() & PLACE_MODIFIERS else self.lesion_at(pos)
        if hit is not None:
            self.selected = hit.id
            self.update()
            self.lesion_clicked.emit(hit.id)
            self.tip_on_release = True
            return
        where = self.from_widget(pos)
        site = site_at(*where) if where is not None else None
        if where is None or site is None:  # said, not silent: the figures are small at 150 %
            self.missed.emit()
            return
        self.place_requested.emit(*where, site)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        """After a click that selected a lesion, its tip at once: a user who meant to place a neighbour reads how."""
        if self.tip_on_release and (tip := self.marker_tip(event.position())) is not None:
            at = event.globalPosition().toPoint()  # once the release is through (it hides a tip shown during it)
            QTimer.singleShot(0, self, lambda: QToolTip.showText(at, tip, self))
        self.tip_on_release = False
        super().mouseReleaseEvent(event)


def ring(radius: float) -> float:
    """The flag ring's distance outside a marker of ``radius``."""
    return FLAG_RING if radius >= MARKER_RADIUS else FLAG_RING - 1


def on_map(les: Lesion) -> bool:
    """Whether the lesion has a position on the body map."""
    return has_position(les.body_view, les.body_x, les.body_y)


def box(rect: QRectF) -> Box:
    return Box(rect.left(), rect.top(), rect.right(), rect.bottom())


def marker_text(les: Lesion) -> str:
    """The label beside a lesion's marker: its number within the patient ("2" for Lesion 2), never the id."""
    return str(les.number) if les.number is not None else f"id {les.id}"
