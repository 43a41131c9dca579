"""The assessment panel's image column (``AssessmentView`` composes it): the capture's image, the heat map's colour
key (or, for a NOT ASSESSABLE capture, a caption in its place saying why there is none), the heat map's tools
(toggle, opacity, Fit) and the short disclaimer under them. Where the column stands and how wide it is drawn:
``assessment_layout``."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from dermadesk.contract import DISCLAIMER, NO_HEAT_MAP_NOTE
from dermadesk.ui.assessment_layout import IMAGE_MIN_WIDTH
from dermadesk.ui.colour_bar import HeatMapKey
from dermadesk.ui.images import ImageView

CAM_TIP = "Show the Grad-CAM heat map: where in the image the model's estimate rests"
# DISCLAIMER in short, under the image with a tier: in sight at any height, no wider than the image's tools (the
# details beside them keep their width: "Decision support, not a diagnosis" cut their words at 150 %)
SHORT_DISCLAIMER = "An estimate, not a diagnosis"


class ImageColumn(QWidget):
    """The image with its heat map's key, tools and the short disclaimer: one column, capped by
    ``assessment_layout.fit_image_column``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = ImageView()
        self.image.setMinimumWidth(IMAGE_MIN_WIDTH)  # the text beside it keeps its width at 150 % on 1280x720
        self.cam_toggle = QCheckBox("Heat map")
        self.cam_toggle.setChecked(True)
        self.cam_toggle.setToolTip(CAM_TIP)
        self.withheld = False  # a NOT ASSESSABLE capture shown: no heat map, the toggle off and disabled
        self._cam_wanted = True  # the toggle's state to go back to after one
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(40)  # the lesion's own colours show through (at 60 % the heat map hid them)
        self.opacity.setAccessibleName("Heat map opacity")
        self.opacity.setToolTip("Heat map opacity: left faint, right strong")
        self.opacity_label = QLabel("Opacity")
        self.opacity_label.setBuddy(self.opacity)
        self.heat_key = HeatMapKey()  # what the heat map's colours mean, its line taken from the image's least height
        self.image_min_height = self.image.minimumHeight() - self.heat_key.height() - 6
        self.image.setMinimumHeight(self.image_min_height)
        # in the key's place for a NOT ASSESSABLE capture: two words (the heading beside says why; the sentence is
        # its tooltip), a three-line caption took the image's height at 150 %
        self.no_cam = QLabel("No heat map")
        self.no_cam.setToolTip(NO_HEAT_MAP_NOTE)
        self.no_cam.setWordWrap(True)
        self.no_cam.setStyleSheet("color: #666; font-size: 9pt;")
        self.no_cam.hide()
        self.opacity.setMinimumWidth(40)
        self.fit_btn = QPushButton("Fit")
        self.fit_btn.setToolTip("Fit the image to the view")
        self.fit_btn.setMinimumWidth(self.fit_btn.fontMetrics().horizontalAdvance("Fit") + 24)
        self.fit_btn.setMaximumWidth(self.fit_btn.minimumWidth() + 24)  # a narrow tab keeps room for the slider
        # its short form in sight under the image with a tier (the whole at the end of the details, and its tooltip)
        self.disclaimer = QLabel(SHORT_DISCLAIMER)
        self.disclaimer.setStyleSheet("color: #666; font-size: 8pt;")
        self.disclaimer.setToolTip(DISCLAIMER)

        # hidden for a capture not assessed (no heat map to show: ``ui.not_assessed``) and with a NOT ASSESSABLE
        # capture's reasons below (their room to the image: ``assessment_layout``): ``show_tools``
        self.heat_tools = QWidget()
        self._tools = {"heat": True, "room": True}
        heat = QHBoxLayout(self.heat_tools)
        heat.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.cam_toggle, 0), (self.opacity_label, 0), (self.opacity, 1)):
            heat.addWidget(widget, stretch)
        tools = QHBoxLayout()
        tools.addWidget(self.heat_tools, 1)
        tools.addWidget(self.fit_btn)
        self.column = column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.image, 1)
        column.addWidget(self.heat_key)
        column.addWidget(self.no_cam)
        below = QVBoxLayout()  # the tools and the short disclaimer: no spacing, in the image's spare height
        below.setSpacing(0)
        below.addLayout(tools)
        below.addWidget(self.disclaimer)
        column.addLayout(below)

        self.cam_toggle.toggled.connect(self.image.set_overlay_visible)
        self.cam_toggle.toggled.connect(self.heat_key.setVisible)
        self.cam_toggle.toggled.connect(self.opacity.setEnabled)
        self.opacity.valueChanged.connect(lambda v: self.image.set_overlay_opacity(v / 100))
        self.fit_btn.clicked.connect(self.image.fit)
        self.image.set_overlay_opacity(self.opacity.value() / 100)

    def withhold_heat_map(self, withheld: bool) -> bool:
        """For a NOT ASSESSABLE capture the image alone: the toggle off and disabled, a caption in the key's place (a
        tidy hotspot on a declined image read as reassurance); the toggle as it was for the next one. Whether that
        changed anything (the column's height to share out again)."""
        if withheld == self.withheld:
            return False
        if withheld:
            self._cam_wanted = self.cam_toggle.isChecked()
        self.withheld = withheld
        self.cam_toggle.setChecked(not withheld and self._cam_wanted)
        self.cam_toggle.setEnabled(not withheld)
        self.cam_toggle.setToolTip(NO_HEAT_MAP_NOTE if withheld else CAM_TIP)
        self.no_cam.setVisible(withheld)
        return True

    def show_tools(self, heat: bool | None = None, room: bool | None = None) -> None:
        """The heat map's tools where there is a heat map (``heat``: an assessed capture) and room for them (``room``:
        no NOT ASSESSABLE capture's reasons below; hidden, their empty row took a line's spacing from the image).
        None: as it was."""
        self._tools.update({k: v for k, v in (("heat", heat), ("room", room)) if v is not None})
        self.heat_tools.setVisible(self._tools["heat"] and self._tools["room"])

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """As tall as with the heat map's key and tools in sight, where they have room: a lesion without a heat map
        left the tabs less least height than one with it, and choosing that one took the height from the patient
        and lesion panes above the tabs (the list and the form moved under the pointer)."""
        hint = super().minimumSizeHint()
        if not self._tools["room"]:
            return hint
        tools = max(w.sizeHint().height() for w in (self.cam_toggle, self.opacity_label, self.opacity, self.fit_btn))
        under = self.heat_key.sizeHint().height() + tools + self.disclaimer.sizeHint().height()
        return QSize(
            hint.width(), max(hint.height(), self.image_min_height + under + 2 * max(self.column.spacing(), 0))
        )

    def height_for(self, width: int, image_height: int) -> int:
        """The column's height at ``width`` with the image ``image_height`` tall: what stands under it (the key or
        the caption, the tools, the disclaimer) as shown now."""
        column, heights = self.column, []
        for i in range(column.count()):
            item = column.itemAt(i)
            if item.widget() is self.image:
                heights.append(image_height)
            elif not item.isEmpty():
                heights.append(item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height())
        margins = column.contentsMargins()
        return sum(heights) + max(column.spacing(), 0) * (len(heights) - 1) + margins.top() + margins.bottom()
