"""Alignment that holds when the lesion changed: a skin-only acceptance score, the lesion-outline
fallback on textureless skin, manual point pairs (analysis, service, CLI), the tier-noise rule,
outline jumps, and an aligned view without invented skin."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from dermadesk.analysis.change import (
    CHANGE_RULES,
    NO_IMAGE_GREY,
    NO_IMAGE_HATCH,
    ChangeResult,
    compare,
    judge,
)
from dermadesk.analysis.hand_alignment import similarity_from_points
from dermadesk.analysis.registration import OUTLINE_CAVEAT
from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.main import main
from dermadesk.domain.errors import ValidationError
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.tracking import (
    align_by_hand,
    compare_pair,
    manual_alignment,
    parse_points,
    reset_alignment,
)
from dermadesk.storage.register import Register


def visit(img: np.ndarray, angle: float, scale: float = 1.0, shift: tuple[float, float] = (0, 0),
          bright: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """A new visit's view of ``img`` and the 2x3 matrix mapping baseline pixels to it."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    m[:, 2] += shift
    out = cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_REFLECT).astype(np.float32) * bright
    return np.clip(out, 0, 255).astype(np.uint8), m


def grown(seed: int, growth: float, **spec: object) -> np.ndarray:
    return synthetic_lesion(LesionSpec(seed=seed, scale=float(np.sqrt(1 + growth)), **spec))  # type: ignore[arg-type]


@pytest.mark.parametrize("texture", [1.0, 0.0], ids=["textured skin", "smooth skin"])
def test_growth_40_measured_and_flagged_with_and_without_skin_texture(texture: float) -> None:
    base = synthetic_lesion(LesionSpec(seed=3, skin_texture=texture))
    follow, _ = visit(grown(3, 0.4, skin_texture=texture), 20, shift=(12, -8), bright=1.1)
    r = compare(base, follow, interval_days=90)
    assert r.alignment.ok, r.reasons
    assert r.area_change_percent == pytest.approx(40, abs=5)
    assert r.verdict == "significant" and "area grew" in r.reasons[0]
    if texture == 0.0:
        assert r.alignment.method == "lesion outline" and OUTLINE_CAVEAT in r.reasons
    else:
        assert r.alignment.method.startswith("features") and OUTLINE_CAVEAT not in r.reasons


def test_acceptance_score_does_not_fall_when_the_lesion_grows() -> None:
    base = synthetic_lesion(LesionSpec(seed=11, hair=2))
    scores = [compare(base, visit(grown(11, g, hair=2), -25, 0.9, (10, 5))[0], 90).alignment.score
              for g in (0.0, 0.4)]
    assert min(scores) > 0.8 and abs(scores[0] - scores[1]) < 0.05


@pytest.mark.parametrize("angle", [20, -35, 90])
def test_same_lesion_rotated_and_relit_on_smooth_skin_not_flagged(angle: float) -> None:
    base = synthetic_lesion(LesionSpec(seed=4, skin_texture=0.0))
    follow, _ = visit(base, angle, shift=(-10, 6), bright=0.88)
    r = compare(base, follow, interval_days=90)
    assert r.alignment.ok and r.alignment.method == "lesion outline"
    assert r.verdict == "not significant", r.reasons
    assert abs(r.area_change_percent) < CHANGE_RULES["area_change_percent"] / 2
    assert any("aligned on the lesion outline only" in reason for reason in r.reasons)


def test_different_lesion_on_textured_skin_still_refused() -> None:
    r = compare(synthetic_lesion(LesionSpec(seed=6)), synthetic_lesion(LesionSpec(seed=61)))
    assert not r.alignment.ok and r.verdict == "cannot tell"
    assert "align the images by hand" in r.reasons[0]


def test_aligned_followup_shows_grey_not_mirrored_skin_outside_its_frame() -> None:
    base = synthetic_lesion(LesionSpec(seed=12))
    follow, _ = visit(base, 30, 1.0, (60, 0))
    r = compare(base, follow, interval_days=90)
    assert r.alignment.ok
    outside = ~r.followup_visible
    assert outside.sum() > 0.05 * outside.size  # the rotated, shifted frame leaves corners uncovered
    shown = r.aligned_followup[outside]
    assert np.isin(shown, [NO_IMAGE_GREY, NO_IMAGE_HATCH]).all() and (shown == NO_IMAGE_HATCH).any()
    assert r.followup_visible[r.followup_mask].all()


def known_points(m_base_to_follow: np.ndarray, pts: list[tuple[float, float]]) -> list:
    return [((x, y), tuple(m_base_to_follow @ np.array([x, y, 1.0]))) for x, y in pts]


def test_similarity_from_points_two_and_three_pairs_and_bad_input() -> None:
    m = cv2.getRotationMatrix2D((300, 225), 33, 1.2)
    m[:, 2] += (15, -20)
    inverse = cv2.invertAffineTransform(m)
    for pts in ([(100, 100), (500, 380)], [(100, 100), (500, 380), (120, 400)]):
        got = similarity_from_points(known_points(m, pts))
        assert np.allclose(got, inverse, atol=1e-6)
    with pytest.raises(ValueError, match="at least two"):
        similarity_from_points(known_points(m, [(1, 1)]))
    with pytest.raises(ValueError, match="must not coincide"):
        similarity_from_points([((5, 5), (9, 9)), ((5, 5), (9, 9))])


def refused_pair(growth: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same lesion outline on skin that looks different at the follow-up: automatic alignment refuses."""
    base = synthetic_lesion(LesionSpec(seed=13))
    follow, m = visit(grown(13, growth, skin_seed=77), 40, 1.1, (20, -10))
    return base, follow, m


def test_manual_points_on_a_refused_pair_give_the_right_area_change() -> None:
    base, follow, m = refused_pair(0.3)
    auto = compare(base, follow, interval_days=90)
    assert not auto.alignment.ok
    matrix = similarity_from_points(known_points(m, [(150, 120), (450, 140), (300, 380)]))
    r = compare(base, follow, interval_days=90, manual_matrix=matrix)
    assert r.alignment.ok and r.alignment.method == "manual"
    assert r.area_change_percent == pytest.approx(30, abs=5)
    assert r.verdict == "significant"
    assert any("aligned by hand" in reason for reason in r.reasons)


def test_manual_alignment_stored_audited_used_by_the_view_and_reset(register: Register, tmp_path: Path) -> None:
    base, follow, m = refused_pair(0.3)
    les = register.lesions.add("u", register.patients.add("u", "MAN1", "Manual Align").id, "posterior torso")
    for i, (img, day) in enumerate(((base, "2026-01-01"), (follow, "2026-03-01"))):
        (tmp_path / f"{i}.png").write_bytes(cv2.imencode(".png", img[..., ::-1])[1].tobytes())
        result = import_files(register, "u", les.id, [tmp_path / f"{i}.png"], CaptureMeta(taken_at=day))
    assert result.comparison.verdict == "cannot tell"
    a, b = (c.id for c in register.captures.for_lesion(les.id))
    points = known_points(m, [(150, 120), (450, 140), (300, 380)])
    row, r = align_by_hand(register, "dr", a, b, points)
    assert row.metrics["registration"]["method"] == "manual" and r.area_change_percent == pytest.approx(30, abs=5)
    assert register.audit.entries("comparison")[0].action == "align manually"
    assert manual_alignment(register, a, b) is not None
    _, _, viewed = compare_pair(register, a, b)  # the view reuses the alignment of record
    assert viewed.alignment.method == "manual"
    row, r = reset_alignment(register, "dr", a, b)
    assert r.alignment.method != "manual" and not r.alignment.ok
    assert register.audit.entries("comparison")[0].action == "reset alignment"
    assert manual_alignment(register, a, b) is None
    with pytest.raises(ValidationError, match="at least two"):
        align_by_hand(register, "dr", a, b, points[:1])


def test_cli_compare_with_points(capsys, tmp_path: Path) -> None:
    base, follow, m = refused_pair(0.3)
    fa, fb = tmp_path / "a.jpg", tmp_path / "b.jpg"
    fa.write_bytes(jpeg_bytes(base, 95))
    fb.write_bytes(jpeg_bytes(follow, 95))
    pairs = known_points(m, [(150, 120), (450, 140), (300, 380)])
    text = "; ".join(f"{xb:.1f},{yb:.1f} {xf:.1f},{yf:.1f}" for (xb, yb), (xf, yf) in pairs)
    assert parse_points(text)[0][0] == (150.0, 120.0)
    assert main(["compare", str(fa), str(fb), "--no-assess", "--json", "--points", text]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["registration"]["method"] == "manual" and out["area_change_percent"] == pytest.approx(30, abs=5)
    assert main(["compare", str(fa), str(fb), "--no-assess", "--points", "1,2 3"]) != 0
    assert "cannot read the point pair" in capsys.readouterr().err


def change_result(before: str, after: str, p_before: float, p_after: float) -> ChangeResult:
    r = ChangeResult("cannot tell", [], None, 90, "short-term", area_change_percent=1.0,
                     outlined_area_change_percent=2.0, diameter_change_percent=0.5)
    r.risk_tier = {"before": before, "after": after}
    r.malignant_probability = {"before": p_before, "after": p_after}
    return r


def test_tier_flip_within_the_model_noise_is_reported_but_not_significant() -> None:
    noise = CHANGE_RULES["malignant_probability_noise"]
    flip = change_result("monitor", "refer", 0.28, 0.28 + noise / 2)
    judge(flip, 0.9, None, np.zeros(16))
    assert flip.verdict == "not significant"
    assert any("risk tier rose from monitor to refer, not counted" in reason for reason in flip.reasons)
    below_refer = change_result("low", "monitor", 0.02, 0.02 + 2 * noise)
    judge(below_refer, 0.9, None, np.zeros(16))
    assert below_refer.verdict == "not significant"
    real = change_result("low", "refer", 0.05, 0.05 + 2 * noise)
    judge(real, 0.9, None, np.zeros(16))
    assert real.verdict == "significant" and "risk tier rose from low to refer" in real.reasons[0]


def test_outline_jump_does_not_flag_when_the_pigment_weighted_area_is_steady() -> None:
    r = ChangeResult("cannot tell", [], None, 90, "short-term", area_change_percent=2.0,
                     outlined_area_change_percent=35.0, diameter_change_percent=22.0)
    judge(r, 0.9, None, np.zeros(16))
    assert r.verdict == "not significant" and not r.outline_trusted
    assert any("outline is unstable" in reason for reason in r.reasons)
    steady = ChangeResult("cannot tell", [], None, 90, "short-term", area_change_percent=2.0,
                          outlined_area_change_percent=5.0, diameter_change_percent=22.0)
    judge(steady, 0.9, None, np.zeros(16))
    assert steady.verdict == "significant" and "diameter" in steady.reasons[0]


def test_points_that_cannot_be_right_are_refused_with_a_reason() -> None:
    sizes = ((600, 450), (600, 450))
    m = cv2.getRotationMatrix2D((300, 225), 20, 1.0)
    good = known_points(m, [(150, 120), (450, 140), (300, 380)])
    assert similarity_from_points(good, sizes).shape == (2, 3)
    with pytest.raises(ValueError, match="outside the follow-up image"):
        similarity_from_points([(b, (f[0] * 4, f[1] * 4)) for b, f in good], sizes)
    with pytest.raises(ValueError, match="too close together"):
        similarity_from_points(known_points(m, [(300, 200), (320, 210), (310, 230)]), sizes)
    bad = list(good)
    bad[2] = (bad[2][0], (bad[2][1][0] + 60, bad[2][1][1]))
    with pytest.raises(ValueError, match="do not agree with one another"):
        similarity_from_points(bad, sizes)


def test_manual_points_that_miss_the_lesion_are_refused_and_nothing_is_stored(register: Register,
                                                                                tmp_path: Path) -> None:
    base, follow, m = refused_pair(0.3)
    les = register.lesions.add("u", register.patients.add("u", "MAN2", "Manual Miss").id, "posterior torso")
    for i, (img, day) in enumerate(((base, "2026-01-01"), (follow, "2026-03-01"))):
        (tmp_path / f"{i}.png").write_bytes(cv2.imencode(".png", img[..., ::-1])[1].tobytes())
        import_files(register, "u", les.id, [tmp_path / f"{i}.png"], CaptureMeta(taken_at=day))
    a, b = (c.id for c in register.captures.for_lesion(les.id))
    stored = len(register.comparisons.for_lesion(les.id))
    shifted = [((xb - 300, yb), f) for (xb, yb), f in  # every baseline mark 300 px left of its spot
               known_points(m, [(420, 100), (560, 200), (480, 400)])]
    with pytest.raises(ValidationError, match="do not put the two lesions on top of each other"):
        align_by_hand(register, "dr", a, b, shifted)
    with pytest.raises(ValidationError, match="nothing to reset"):
        reset_alignment(register, "dr", a, b)
    assert len(register.comparisons.for_lesion(les.id)) == stored


def test_parse_points_is_lenient_about_spaces_and_strict_about_numbers() -> None:
    assert parse_points("150, 120 160 ,130; 400,300 410,310") == [((150, 120), (160, 130)), ((400, 300), (410, 310))]
    for text in ("", "1,2 3,4", "nan,1 2,3; 4,5 6,7", "1,2,3 4,5; 6,7 8,9"):
        with pytest.raises(ValidationError):
            parse_points(text)


def test_refusal_on_a_lesion_that_fills_the_view_says_to_reimage_with_skin() -> None:
    """A large lesion grown until little skin is left: refused, with the reason and the way out."""
    base = synthetic_lesion(LesionSpec(seed=3, radius=0.7), 400, 300)
    grown = synthetic_lesion(LesionSpec(seed=3, radius=0.7, scale=1.18), 400, 300)
    result = compare(base, grown, interval_days=90)
    assert result.verdict == "cannot tell" and not result.alignment.ok
    assert "too little skin shows around the lesion" in result.reasons[0]
    assert "align the images by hand" in result.reasons[0]


def test_outlines_of_very_different_size_are_not_judged() -> None:
    """A faint lesion outlined in one image only (or a neighbouring mark taken instead) is not a x20 growth."""
    from dermadesk.analysis.metrics import lesion_metrics

    img = synthetic_lesion(LesionSpec(seed=2), 400, 300)
    small, large = np.zeros(img.shape[:2], bool), np.zeros(img.shape[:2], bool)
    small[140:150, 190:200] = True
    large[80:220, 120:280] = True
    r = ChangeResult("cannot tell", [], None, 90, "short-term", area_change_percent=2000.0,
                     outlined_area_change_percent=2140.0, diameter_change_percent=400.0)
    r.baseline, r.followup = lesion_metrics(img, small, None), lesion_metrics(img, large, None)
    judge(r, 0.9, None, np.zeros(16))
    assert r.verdict == "cannot tell" and "differ too much in size (x224)" in r.reasons[0]


def test_dense_hair_makes_the_outline_unreliable() -> None:
    base = synthetic_lesion(LesionSpec(seed=4, hair=300), 400, 300)
    result = compare(base, synthetic_lesion(LesionSpec(seed=4, hair=300, scale=1.2), 400, 300), interval_days=90)
    assert result.verdict == "cannot tell"
    assert "hair covers much of the lesion" in result.reasons[0]


def test_different_lesions_are_not_blamed_on_a_lesion_filling_the_view() -> None:
    a = synthetic_lesion(LesionSpec(seed=3), 600, 450)
    b = synthetic_lesion(LesionSpec(seed=40, radius=0.3, skin=(200, 150, 120)), 200, 150)
    result = compare(a, b, interval_days=90)
    assert result.verdict == "cannot tell" and "too little skin" not in result.reasons[0]


def test_manual_points_find_the_lesion_when_an_outline_took_a_darker_mark_beside_it() -> None:
    """Right points, wrong outline (a larger, darker mark taken for the lesion in the far view): the
    outlines are sought again where the other image's lesion lands instead of refusing the user's points."""
    from dermadesk.analysis.segmentation import segment

    base = synthetic_lesion(LesionSpec(seed=6, radius=0.1), 400, 300, center=(240.0, 150.0))
    cv2.ellipse(base, (110, 170), (55, 45), 0, 0, 360, (60, 40, 35), -1)
    assert np.argwhere(segment(base).mask)[:, 1].mean() < 160  # unguided: the mark, not the lesion
    m = cv2.getRotationMatrix2D((240, 150), 15, 2.0)  # a closer view of the lesion, turned
    follow = cv2.warpAffine(base, m, (400, 300), borderMode=cv2.BORDER_REFLECT)
    pairs = [((x, y), tuple(m @ np.array([x, y, 1.0]))) for x, y in ((215.0, 130.0), (265.0, 135.0), (240.0, 175.0))]
    result = compare(base, follow, interval_days=90, manual_pairs=3,
                     manual_matrix=similarity_from_points(pairs, ((400, 300), (400, 300))))
    assert result.alignment.ok and result.verdict == "not significant"
    assert abs(result.area_change_percent) < 5
    assert "2.00x the baseline's magnification" in " ".join(result.reasons)


def test_two_swapped_pairs_on_unconfirming_skin_are_refused_not_judged() -> None:
    """Two pairs cannot be checked against each other: crossed, they turn the follow-up upside down."""
    base = synthetic_lesion(LesionSpec(seed=9), 400, 300)
    follow = synthetic_lesion(LesionSpec(seed=9, skin_seed=77), 400, 300)  # same lesion, skin looks different
    a, b = (150.0, 100.0), (260.0, 210.0)
    crossed = [(a, b), (b, a)]
    result = compare(base, follow, interval_days=90, manual_pairs=2,
                     manual_matrix=similarity_from_points(crossed, ((400, 300), (400, 300))))
    assert result.verdict == "cannot tell" and not result.alignment.ok
    assert "mark a third pair" in result.reasons[0]
    # right pairs too ask for a third where the skin cannot confirm them; three right pairs are accepted
    right = [(a, a), (b, b), ((300.0, 90.0), (300.0, 90.0))]
    two = compare(base, follow, interval_days=90, manual_pairs=2,
                  manual_matrix=similarity_from_points(right[:2], ((400, 300), (400, 300))))
    assert "mark a third pair" in two.reasons[0]
    three = compare(base, follow, interval_days=90, manual_pairs=3,
                    manual_matrix=similarity_from_points(right, ((400, 300), (400, 300))))
    assert three.alignment.ok and three.verdict == "not significant"


def test_recorded_mm_per_pixel_tells_a_zoom_from_growth_on_smooth_skin() -> None:
    """Without texture the zoom is unknown (a 1.2x zoom reads as +44 %); with both captures' mm per pixel
    the outline alignment uses the recorded zoom, and real growth under a zoom is still measured."""
    base = synthetic_lesion(LesionSpec(seed=4, skin_texture=0.0))
    zoomed, _ = visit(base, 25, scale=1.2, shift=(-6, 4))
    as_captured = compare(base, zoomed, interval_days=90)
    assert as_captured.verdict == "significant"  # the documented limit of OUTLINE_CAVEAT
    calibrated = compare(base, zoomed, interval_days=90, mm_per_px=0.02, followup_mm_per_px=0.02 / 1.2)
    assert calibrated.alignment.ok and calibrated.alignment.method == "lesion outline"
    assert calibrated.verdict == "not significant", calibrated.reasons
    assert abs(calibrated.area_change_percent) < 5
    assert any("recorded mm per pixel" in reason for reason in calibrated.reasons)
    follow, _ = visit(grown(4, 0.4, skin_texture=0.0), -15, scale=0.85, shift=(5, 5))
    growth = compare(base, follow, interval_days=90, mm_per_px=0.02, followup_mm_per_px=0.02 / 0.85)
    assert growth.verdict == "significant"
    assert growth.area_change_percent == pytest.approx(40, abs=5)


def _smooth_skin_blob(radius: int, centre: tuple[int, int] = (300, 225), axes: tuple[int, int] | None = None,
                      angle: float = 0.0, extra: tuple[tuple[int, int], tuple[int, int]] | None = None) -> np.ndarray:
    """A flat dark blob (circle, or an ellipse with ``axes``; ``extra``: an ellipse added on one side) on skin
    without any texture, as a new user draws one."""
    img = np.full((450, 600, 3), (222, 172, 150), np.uint8)
    if axes is None:
        cv2.circle(img, centre, radius, (110, 70, 45), -1, cv2.LINE_AA)
    else:
        cv2.ellipse(img, centre, axes, angle, 0, 360, (110, 70, 45), -1, cv2.LINE_AA)
    if extra is not None:
        cv2.ellipse(img, extra[0], extra[1], 0, 0, 360, (110, 70, 45), -1, cv2.LINE_AA)
    return cv2.GaussianBlur(img, (0, 0), 1.5)


def test_a_lesion_that_doubled_on_smooth_skin_is_compared_and_flagged() -> None:
    """Radius 50 -> 72 px (+107 %): the outlines' IoU is 0.48, but the baseline lies wholly inside the follow-up."""
    r = compare(_smooth_skin_blob(50), _smooth_skin_blob(72), interval_days=90)
    assert r.alignment.ok and r.alignment.method == "lesion outline", r.reasons
    assert r.verdict == "significant" and "area grew" in r.reasons[0], r.reasons
    assert r.area_change_percent == pytest.approx(107, abs=8)
    turned, _ = visit(_smooth_skin_blob(72), 15, shift=(20, -12))
    assert compare(_smooth_skin_blob(50), turned, interval_days=90).verdict == "significant"


def test_different_lesions_side_by_side_on_smooth_skin_still_refused_with_a_scale_hint() -> None:
    round_one = _smooth_skin_blob(50, centre=(200, 225))
    long_one = _smooth_skin_blob(0, centre=(420, 200), axes=(90, 28), angle=30)
    r = compare(round_one, long_one, interval_days=90)
    assert not r.alignment.ok and r.verdict == "cannot tell"
    assert "different lesions" in r.reasons[0] and "inside the larger one" in r.reasons[0]
    assert not any("mm per pixel" in reason for reason in r.reasons)  # no scale recorded: no hint
    r = compare(round_one, long_one, interval_days=90, mm_per_px=0.02, followup_mm_per_px=0.026)
    assert not r.alignment.ok and "different lesions" in r.reasons[0]
    assert "recorded scales differ (0.02 and 0.026 mm per pixel)" in r.reasons[1]


@pytest.mark.parametrize("angle, shift", [(15, (20, -12)), (-15, (-40, 25)), (20, (50, -12))])
def test_even_growth_turned_and_shifted_on_smooth_skin_is_not_asymmetric(angle: float, shift: tuple) -> None:
    """On smooth skin only the outline places the follow-up, and it may be put against one side of the
    baseline (up to 13 px for 70 -> 81 px): growth is then judged on shape, each outline around its own centre."""
    for r0, r1 in ((50, 58), (70, 81)):
        follow, _ = visit(_smooth_skin_blob(r1), angle, shift=shift)
        r = compare(_smooth_skin_blob(r0), follow, interval_days=90)
        assert r.alignment.ok and r.alignment.method == "lesion outline"
        assert not r.asymmetric_growth and not any("asymmetric" in reason for reason in r.reasons), r.reasons
        assert max(r.sector_growth) - float(np.median(r.sector_growth)) < CHANGE_RULES["asymmetric_sector_excess"] / 2


@pytest.mark.parametrize("angle, shift", [(0, (0, 0)), (15, (20, -12))])
def test_growth_to_one_side_on_smooth_skin_is_still_asymmetric(angle: float, shift: tuple) -> None:
    follow, _ = visit(_smooth_skin_blob(50, extra=((345, 225), (30, 25))), angle, shift=shift)
    r = compare(_smooth_skin_blob(50), follow, interval_days=90)
    assert r.alignment.ok and r.asymmetric_growth and r.verdict == "significant", r.reasons
    assert any("growth is asymmetric" in reason and "right" in reason for reason in r.reasons), r.reasons
