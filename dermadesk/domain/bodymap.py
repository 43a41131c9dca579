"""Body-map geometry: a simple figure in a unit box, and the ISIC site under a point.

Coordinates are fractions of the drawing (x to the right, y down). The same shapes draw the
front and back figures (resources/bodymap_*.svg are generated from them) and classify clicks,
so a marker and its site always agree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    """An axis-aligned ellipse (kind "ellipse") or rounded rectangle (kind "rect") with its site."""

    kind: str
    x: float
    y: float
    w: float
    h: float
    site_front: str
    site_back: str
    name: str
    drawn: bool = True  # False: only classifies clicks, over parts drawn by other shapes

    def contains(self, px: float, py: float) -> bool:
        if self.kind == "ellipse":
            cx, cy, rx, ry = self.x + self.w / 2, self.y + self.h / 2, self.w / 2, self.h / 2
            return ((px - cx) / rx) ** 2 + ((py - cy) / ry) ** 2 <= 1.0
        return self.x <= px <= self.x + self.w and self.y <= py <= self.y + self.h


# Order matters: earlier shapes win (hands before arms, genital area before legs, sides before torso).
# Each view's site is the skin seen in it: the figure stands in the anatomical position (arms away from the sides,
# palms forward), so the front view shows the palms and the back view the backs of the hands (upper extremity); the
# front view shows the tops of the feet (lower extremity), the back view the heels, acral skin with the soles.
SHAPES: tuple[Shape, ...] = (
    Shape("ellipse", 0.42, 0.015, 0.16, 0.105, "head/neck", "head/neck", "head"),
    Shape("rect", 0.46, 0.115, 0.08, 0.035, "head/neck", "head/neck", "neck"),
    Shape("ellipse", 0.105, 0.485, 0.075, 0.07, "palms/soles", "upper extremity", "right hand"),
    Shape("ellipse", 0.82, 0.485, 0.075, 0.07, "palms/soles", "upper extremity", "left hand"),
    Shape("ellipse", 0.34, 0.925, 0.12, 0.055, "lower extremity", "palms/soles", "right foot"),
    Shape("ellipse", 0.54, 0.925, 0.12, 0.055, "lower extremity", "palms/soles", "left foot"),
    Shape("ellipse", 0.45, 0.47, 0.10, 0.06, "oral/genital", "posterior torso", "genital / gluteal cleft"),
    # the top of each side strip is the shoulder, not the flank: above the armpit (the upper arm's lower edge)
    Shape("rect", 0.33, 0.15, 0.035, 0.125, "anterior torso", "posterior torso", "right shoulder", drawn=False),
    Shape("rect", 0.635, 0.15, 0.035, 0.125, "anterior torso", "posterior torso", "left shoulder", drawn=False),
    Shape("rect", 0.33, 0.15, 0.035, 0.33, "lateral torso", "lateral torso", "right side"),
    Shape("rect", 0.635, 0.15, 0.035, 0.33, "lateral torso", "lateral torso", "left side"),
    Shape("rect", 0.365, 0.15, 0.27, 0.36, "anterior torso", "posterior torso", "trunk"),
    Shape("rect", 0.21, 0.155, 0.12, 0.12, "upper extremity", "upper extremity", "right upper arm"),
    Shape("rect", 0.67, 0.155, 0.12, 0.12, "upper extremity", "upper extremity", "left upper arm"),
    Shape("rect", 0.13, 0.27, 0.12, 0.22, "upper extremity", "upper extremity", "right forearm"),
    Shape("rect", 0.75, 0.27, 0.12, 0.22, "upper extremity", "upper extremity", "left forearm"),
    Shape("rect", 0.365, 0.51, 0.125, 0.42, "lower extremity", "lower extremity", "right leg"),
    Shape("rect", 0.51, 0.51, 0.125, 0.42, "lower extremity", "lower extremity", "left leg"),
)


def shape_at(view: str, x: float, y: float) -> Shape | None:
    """The body part under (x, y) in the front or back view, or None outside the figure."""
    if view not in ("front", "back"):
        raise ValueError("view must be 'front' or 'back'")
    for shape in SHAPES:
        if shape.contains(x, y):
            return shape
    return None


def has_position(view: str | None, x: float | None, y: float | None) -> bool:
    """Whether a lesion's stored place is one on the body map (a view and both coordinates)."""
    return view in ("front", "back") and x is not None and y is not None


def patient_side(view: str, x: float) -> str:
    """"left", "right" or "midline" of the patient at ``x``: in the front view (the patient facing you) the
    patient's left is on the viewer's right; in the back view it is on the viewer's left."""
    if abs(x - 0.5) < 0.03:
        return "midline"
    viewer_right = x > 0.5
    return "left" if viewer_right == (view == "front") else "right"


SIDELESS_SITES = frozenset({"oral/genital"})  # on the midline by nature: never "(left)" or "(right)"


def site_with_side(site: str, view: str | None, x: float | None, before: bool = False) -> str:
    """The site for people: "upper extremity (left, back)", or with ``before`` "left upper extremity, back" (for
    text already in brackets). The ISIC vocabulary (what is stored) has no side, so it comes from where the lesion
    was placed on the body map (``patient_side``); the site alone on the midline, for a lesion without a map
    position, or for a site without sides. Where the site's name does not say front or back (``TWO_FACED_SITES``:
    a lesion on the back of the left arm and one on its front read alike), the map's view is added."""
    if not site or view not in ("front", "back") or x is None or site in SIDELESS_SITES:
        return site
    side = patient_side(view, x)
    face = view if site in TWO_FACED_SITES else ""
    if side == "midline":
        return f"{site}, {face}" if face and before else f"{site} ({face})" if face else site
    if before:
        return f"{side} {site}, {face}" if face else f"{side} {site}"
    return f"{site} ({side}, {face})" if face else f"{site} ({side})"


TWO_FACED_SITES = frozenset({"upper extremity", "lower extremity", "head/neck"})  # front and back alike by name


def site_at(view: str, x: float, y: float) -> str | None:
    """The ISIC anatom_site_general under a click, or None outside the figure."""
    shape = shape_at(view, x, y)
    if shape is None:
        return None
    return shape.site_front if view == "front" else shape.site_back


def svg(view: str, width: int = 300, height: int = 600) -> str:
    """The body-map drawing as SVG (resources/bodymap_<view>.svg is written from this)."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">',
             f'<title>DermaDesk body map, {view}</title>',
             '<g fill="#e9d3c3" stroke="#8a6d5c" stroke-width="1.5">']
    for s in reversed([shape for shape in SHAPES if shape.drawn]):
        x, y, w, h = s.x * width, s.y * height, s.w * width, s.h * height
        if s.kind == "ellipse":
            parts.append(f'<ellipse cx="{x + w / 2:.1f}" cy="{y + h / 2:.1f}" rx="{w / 2:.1f}" ry="{h / 2:.1f}"/>')
        else:
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{min(w, h) / 3:.1f}"/>')
    parts.append("</g>")
    parts.append("</svg>")  # no text: the app draws the captions and sides in legible type (ui/body_map.py)
    return "\n".join(parts) + "\n"
