"""Change-tracking benchmark on real dermoscopy (read by path, never copied): HAM10000 or ISIC 2017.

(a) single images with synthetic growth (0/10/20/40% of the lesion area, applied to the segmented
    lesion) plus rotation up to 30 deg, scale 0.8-1.25, shifts, brightness +-15% and slight blur; with
    ``--model`` both visits are assessed, so tier flips count as they do in the app, and the model's
    malignant-probability noise on unchanged pairs is printed (CHANGE_RULES["malignant_probability_noise"]);
(b) real pairs: different images of the same lesion_id (HAM10000 only: ISIC 2017 has no lesion_id);
(c) pairs of different lesions, which must fail registration;
(e) synthetic lesions on textureless skin (lesion-outline alignment) and (f) refused pairs aligned by
    hand from three marked points with 2 px of click error;
(g) the time of an outline-only alignment: an oval grown evenly x1.5 on smooth skin, whose angle search warps a
    128 px mask once more per angle (180 angles) since fedaad9 (needs no data: ``--oval-only``).

    python -m dermadesk.bench.change --data ../shared/data/ham10000 [--images 200] [--pairs 300] [--seed 0]
    python -m dermadesk.bench.change --data ../shared/data/isic2017 --model
    python -m dermadesk.bench.change --oval-only [--oval 20]
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from dermadesk.analysis import registration
from dermadesk.analysis.change import CHANGE_RULES, compare
from dermadesk.analysis.decode import decode_image
from dermadesk.analysis.hand_alignment import similarity_from_points
from dermadesk.analysis.registration import MIN_SCORE
from dermadesk.analysis.segmentation import SegmentationError, segment
from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion

GROWTHS = (0.0, 0.1, 0.2, 0.4)


def grow_lesion(rgb: np.ndarray, mask: np.ndarray, growth: float) -> np.ndarray:
    """Enlarge the lesion's area by ``growth`` (scaling it about its centroid), leaving the skin as is."""
    if growth == 0:
        return rgb.copy()
    s = float(np.sqrt(1 + growth))
    m = cv2.moments(mask.astype(np.uint8), binaryImage=True)
    cx, cy = m["m10"] / m["m00"], m["m01"] / m["m00"]
    warp = np.float32([[s, 0, cx * (1 - s)], [0, s, cy * (1 - s)]])
    h, w = mask.shape
    big = cv2.warpAffine(rgb, warp, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    big_mask = cv2.warpAffine(mask.astype(np.uint8), warp, (w, h), flags=cv2.INTER_NEAREST)
    # the scaled lesion keeps its own edge profile: "darker wins" near the new edge, the scaled
    # lesion inside it (a feathered paste would soften the edge and shrink the lesion at 200x150)
    region = cv2.dilate(big_mask, np.ones((7, 7), np.uint8)).astype(bool)
    darker = big.astype(np.int32).sum(axis=2) < rgb.astype(np.int32).sum(axis=2)
    take = (big_mask.astype(bool) | (region & darker))[..., None]
    return np.where(take, big, rgb).astype(np.uint8)


FILLS = {"reflect": cv2.BORDER_REFLECT, "black": cv2.BORDER_CONSTANT}
FILL = "reflect"  # what a new view shows beyond the original image: mirrored skin, or the dermatoscope's black


def nuisance(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = rgb.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-30, 30), rng.uniform(0.8, 1.25))
    m[:, 2] += rng.uniform(-0.08, 0.08, 2) * (w, h)
    out = cv2.warpAffine(rgb, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=FILLS[FILL])
    out = np.clip(out.astype(np.float32) * rng.uniform(0.85, 1.15), 0, 255).astype(np.uint8)
    sigma = rng.uniform(0, 0.8)
    return cv2.GaussianBlur(out, (0, 0), sigma) if sigma > 0.2 else out


REASON_KINDS = (  # (words in the first reason, short name) for the summary of "cannot tell" verdicts
    ("too little skin", "lesion fills the view"),
    ("do not match after alignment", "alignment refused"),
    ("outlines do not match", "outlines differ"),
    ("could not be aligned", "no features"),
    ("no lesion found", "no lesion found"),
    ("reaches the edge", "lesion cut off by the frame"),
    ("cannot measure reliably", "uncertain outline"),
    ("differ too much in size", "outlines of different size"),
)


def reason_kind(reason: str) -> str:
    return next((name for words, name in REASON_KINDS if words in reason), reason[:40])


def model_view(assessor: Any, base: np.ndarray, follow: np.ndarray) -> tuple[tuple, tuple]:
    """(malignant before/after, tiers before/after) from the model, as the app passes them to compare()."""
    if assessor is None:
        return (None, None), (None, None)
    ra, rb = assessor.assess_batch([base, follow])
    return (ra.malignant_probability, rb.malignant_probability), (ra.risk_tier, rb.risk_tier)


def run_synthetic(files: list[Path], rng: np.random.Generator, source: str, assessor: Any = None) -> None:
    # (registered, verdict, error pp, whole lesion in the baseline image, reasons)
    stats: dict[float, list[tuple[bool, str, float, bool, list[str]]]] = defaultdict(list)
    noise: list[float] = []
    tier_flips = 0
    skipped = 0
    t0 = time.perf_counter()
    for path in files:
        rgb = decode_image(path).rgb
        try:
            seg = segment(rgb)
        except SegmentationError:
            skipped += 1
            continue
        for g in GROWTHS:
            follow = nuisance(grow_lesion(rgb, seg.mask, g), rng)
            mal, tiers = model_view(assessor, rgb, follow)
            if g == 0 and mal[0] is not None:
                noise.append(mal[1] - mal[0])
                tier_flips += tiers[0] != tiers[1]
            r = compare(rgb, follow, interval_days=90, malignant=mal, tiers=tiers)
            ok = bool(r.alignment and r.alignment.ok)
            err = abs((r.area_change_percent or 0.0) - 100 * g) if ok and r.area_change_percent is not None else np.nan
            stats[g].append((ok, r.verdict, err, seg.edge_fraction == 0, r.reasons))
    n = len(files) - skipped
    print(f"(a) synthetic growth on {n} {source} images ({skipped} skipped: no lesion segmented), short-term "
          f"rules, {(time.perf_counter() - t0) / max(n * len(GROWTHS), 1) * 1000:.0f} ms per comparison"
          + (f", both visits assessed by {assessor.entry.manifest.name} {assessor.entry.manifest.version}"
             if assessor is not None else ", no model"))
    if noise:
        rise = np.array(noise)
        print(f"  model noise on unchanged pairs: tier changed in {tier_flips / len(rise):.3f}; malignant probability "
              f"rise p90 {np.quantile(rise, 0.90):+.3f}, p97 {np.quantile(rise, 0.97):+.3f}, p99 "
              f"{np.quantile(rise, 0.99):+.3f}, max {rise.max():+.3f} (rule: "
              f"{CHANGE_RULES['malignant_probability_noise']})")
    false_alarms = [r[4] for r in stats[0.0] if r[1] == "significant"]
    if false_alarms:
        print("  false-alarm reasons at 0%: " + "; ".join(sorted({fa[0][:60] for fa in false_alarms})[:6]))
    unsure = [r[4] for r in stats[0.4] if r[1] == "cannot tell"]
    if unsure:
        counts = Counter(reason_kind(u[0]) for u in unsure)
        print("  'cannot tell' at 40%, by reason: " + "; ".join(f"{k} {v}" for k, v in counts.most_common()))
    for g in GROWTHS:
        rows = stats[g]
        decided = [r for r in rows if r[1] != "cannot tell"]
        print(f"  growth {g:>4.0%}: registered {np.mean([r[0] for r in rows]):.3f}; 'cannot tell' "
              f"{np.mean([r[1] == 'cannot tell' for r in rows]):.3f}; significant {np.mean([r[1] == 'significant' for r in rows]):.3f} "
              f"of all, {np.mean([r[1] == 'significant' for r in decided]) if decided else float('nan'):.3f} of decided; "
              f"median |area error| {np.nanmedian([r[2] for r in rows]):.1f} pp")
    whole = sum(r[3] for r in stats[0.0])
    for label, keep in ((f"all {n} images", lambda r: True),
                        (f"the {whole} images whose baseline shows the whole lesion (not touching the frame)",
                         lambda r: r[3])):
        big = [r for g in GROWTHS if g >= 0.2 for r in stats[g] if keep(r)]
        zero = [r for r in stats[0.0] if keep(r)]
        print(f"  {label}:")
        print(f"    detection at >=20% growth: {np.mean([r[1] == 'significant' for r in big]):.3f} of all pairs, "
              f"{np.mean([r[1] == 'significant' for r in big if r[1] != 'cannot tell']):.3f} of decided (target >= 0.95)")
        grown = [r for r in stats[0.4] if keep(r)]
        print(f"    'cannot tell' at 40% growth: {np.mean([r[1] == 'cannot tell' for r in grown]):.3f} (target <= 0.03)")
        print(f"    false alarms at 0% growth: {np.mean([r[1] == 'significant' for r in zero]):.3f} of all pairs, "
              f"{np.mean([r[1] == 'significant' for r in zero if r[1] != 'cannot tell']):.3f} of decided; "
              f"'cannot tell' {np.mean([r[1] == 'cannot tell' for r in zero]):.3f} (target: false alarms <= 0.03)")
    print(f"  median |area change error| over all registered: "
          f"{np.nanmedian([r[2] for g in GROWTHS for r in stats[g]]):.1f} pp (target <= 3)")


def run_pairs(data: Path, pairs: int, rng: np.random.Generator) -> None:
    by_lesion: dict[str, list[str]] = defaultdict(list)
    with open(data / "HAM10000_metadata.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_lesion[row["lesion_id"]].append(row["image_id"])
    multi = sorted(k for k, v in by_lesion.items() if len(v) >= 2)
    chosen = rng.choice(multi, size=min(pairs, len(multi)), replace=False)
    ok = significant = 0
    for lesion in chosen:
        a, b = sorted(by_lesion[lesion])[:2]
        r = compare(decode_image(data / "images" / f"{a}.jpg").rgb, decode_image(data / "images" / f"{b}.jpg").rgb)
        if r.alignment and r.alignment.ok:
            ok += 1
            significant += r.verdict == "significant"
    print(f"(b) {len(chosen)} real same-lesion pairs ({len(multi)} lesions have 2+ images): registration success "
          f"{ok / len(chosen):.3f}; flagged significant {significant / max(ok, 1):.3f} of registered pairs "
          "(these pairs show no known change: every flag is a false alarm or a real difference of view)")


def run_different_lesions(files: list[Path], pairs: int, rng: np.random.Generator) -> None:
    """Pairs of different lesions must fail registration: how many are wrongly accepted, and their scores."""
    scores, accepted = [], 0
    for _ in range(pairs):
        a, b = rng.choice(len(files), size=2, replace=False)
        r = compare(decode_image(files[a]).rgb, decode_image(files[b]).rgb)
        if r.alignment is not None:
            scores.append(r.alignment.score)
            accepted += r.alignment.ok
    print(f"(c) {len(scores)} pairs of different lesions (registration attempted): wrongly accepted "
          f"{accepted} ({accepted / max(len(scores), 1):.3f}; target 0); alignment score p99 "
          f"{np.percentile(scores, 99):.2f}, max {max(scores):.2f} (acceptance needs >= {MIN_SCORE})")


def visit(img: np.ndarray, rng: np.random.Generator, scale: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """A new visit's view and the 2x3 matrix mapping baseline pixels to it."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-30, 30), rng.uniform(0.8, 1.25) if scale else 1.0)
    m[:, 2] += rng.uniform(-0.06, 0.06, 2) * (w, h)
    out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    return np.clip(out.astype(np.float32) * rng.uniform(0.85, 1.15), 0, 255).astype(np.uint8), m


def summarise_growth(label: str, rows: dict[float, list[tuple[str, float]]]) -> None:
    print(f"  {label}: " + "; ".join(
        f"{g:.0%}: significant {np.mean([v == 'significant' for v, _ in r]):.2f}, cannot tell "
        f"{np.mean([v == 'cannot tell' for v, _ in r]):.2f}, median |err| {np.nanmedian([e for _, e in r]):.1f} pp"
        for g, r in sorted(rows.items())))


def run_textureless(n: int, rng: np.random.Generator) -> None:
    """Synthetic lesions on perfectly smooth skin: rotation, shift and relighting (a zoom cannot be told
    from growth there, so no scale change), aligned on the lesion outline."""
    rows: dict[float, list[tuple[str, float]]] = defaultdict(list)
    for i in range(n):
        seed = int(rng.integers(0, 10_000))
        base = synthetic_lesion(LesionSpec(seed=seed, skin_texture=0.0), 400, 300)
        for g in (0.0, 0.2, 0.4):
            grown = synthetic_lesion(LesionSpec(seed=seed, skin_texture=0.0, scale=float(np.sqrt(1 + g))), 400, 300)
            r = compare(base, visit(grown, rng, scale=False)[0], interval_days=90)
            err = abs(r.area_change_percent - 100 * g) if r.area_change_percent is not None else np.nan
            rows[g].append((r.verdict, err))
    print(f"(e) {n} synthetic lesions on textureless skin (aligned on the lesion outline):")
    summarise_growth("growth", rows)


def run_manual(n: int, rng: np.random.Generator) -> None:
    """Pairs the automatic alignment refuses (the skin looks different at the follow-up), aligned by hand
    from three points clicked with up to 2 px of error."""
    rows: dict[float, list[tuple[str, float]]] = defaultdict(list)
    refused = 0
    for i in range(n):
        seed = int(rng.integers(0, 10_000))
        base = synthetic_lesion(LesionSpec(seed=seed), 400, 300)
        for g in (0.0, 0.2, 0.4):
            grown = synthetic_lesion(LesionSpec(seed=seed, skin_seed=seed + 1, scale=float(np.sqrt(1 + g))), 400, 300)
            follow, m = visit(grown, rng)
            refused += not compare(base, follow, interval_days=90).alignment.ok
            spots = [(80.0, 60.0), (330.0, 90.0), (200.0, 260.0)]
            pairs = [((x, y), tuple(m @ np.array([x, y, 1.0]) + rng.uniform(-2, 2, 2))) for x, y in spots]
            r = compare(base, follow, interval_days=90, manual_matrix=similarity_from_points(pairs))
            err = abs(r.area_change_percent - 100 * g) if r.area_change_percent is not None else np.nan
            rows[g].append((r.verdict, err))
    print(f"(f) {3 * n} pairs on changed-looking skin: automatic alignment refused {refused}; aligned by hand:")
    summarise_growth("growth", rows)


def smooth_oval(axes: tuple[int, int]) -> np.ndarray:
    """A flat dark oval on skin without any texture, 600x450 (as the tests draw one): nothing but its outline to
    align on."""
    img = np.full((450, 600, 3), (222, 172, 150), np.uint8)
    cv2.ellipse(img, (300, 225), axes, 0, 0, 360, (110, 70, 45), -1, cv2.LINE_AA)
    return cv2.GaussianBlur(img, (0, 0), 1.5)


def run_grown_oval(n: int, rng: np.random.Generator) -> None:
    """An oval grown evenly x1.5 (area +125 %), turned and shifted, on smooth skin: aligned on its outline alone,
    where the angle search scores 180 angles, each with the outline warped as captured and at one size (the
    second warp, fedaad9, finds the angle of a lesion that grew this much). The whole comparison and the
    outline alignment in it (search and refinement) timed per comparison."""
    search, spent = registration.outline_alignment, [0.0]

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return search(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    base, grown = smooth_oval((65, 50)), smooth_oval((round(65 * 1.5), round(50 * 1.5)))
    totals: list[float] = []
    found: Counter[str] = Counter()
    registration.outline_alignment = timed  # align() looks it up at each call
    try:
        for _ in range(n):
            follow = visit(grown, rng, scale=False)[0]  # turned up to 30 deg, shifted, relit
            t0 = time.perf_counter()
            r = compare(base, follow, interval_days=180)
            totals.append(time.perf_counter() - t0)
            found[f"{r.verdict} ({r.alignment.method if r.alignment else 'no alignment'})"] += 1
    finally:
        registration.outline_alignment = search
    print(f"(g) {n} ovals grown evenly x1.5 (area +125 %) on smooth skin, aligned on the outline alone: "
          f"{np.median(totals) * 1000:.0f} ms per comparison (median; mean {np.mean(totals) * 1000:.0f}), of which "
          f"the outline alignment (180-angle search, two 128 px mask warps and one image warp per angle, then ECC) "
          f"{spent[0] / max(n, 1) * 1000:.0f} ms; " + "; ".join(f"{k} {v}" for k, v in found.most_common()))


def run_large(path: Path, rng: np.random.Generator) -> None:
    """Time one comparison at dermatoscope-camera sizes (the image upscaled, grown 20%)."""
    rgb = decode_image(path).rgb
    grown = nuisance(grow_lesion(rgb, segment(rgb).mask, 0.2), rng)
    for w, h in ((1200, 900), (4000, 3000)):
        a, b = (cv2.resize(x, (w, h), interpolation=cv2.INTER_CUBIC) for x in (rgb, grown))
        t0 = time.perf_counter()
        r = compare(a, b, interval_days=90)
        print(f"(d) one comparison at {w}x{h}: {(time.perf_counter() - t0) * 1000:.0f} ms ({r.verdict}, "
              f"area {r.area_change_percent:+.0f}%)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path,
                    help="HAM10000 folder (metadata CSV + images/) or ISIC 2017 folder (labels.csv + images/)")
    ap.add_argument("--images", type=int, default=200)
    ap.add_argument("--pairs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--model", action="store_true", help="assess both visits with the bundled model (tier flips)")
    ap.add_argument("--synthetic", type=int, default=30, help="lesions for the textureless and manual cases")
    ap.add_argument("--no-large", action="store_true", help="skip timing the 12 MP comparison")
    ap.add_argument("--oval", type=int, default=20, help="(g): grown ovals to time the outline alignment on (0: none)")
    ap.add_argument("--oval-only", action="store_true", help="only (g), which needs no data")
    ap.add_argument("--fill", choices=sorted(FILLS), default="reflect",
                    help="(a): what the new view shows beyond the original image (default: mirrored skin; "
                         "mirrored copies of a lesion near the edge are invented content; black: the dermatoscope)")
    args = ap.parse_args(argv)
    global FILL
    FILL = args.fill
    rng = np.random.default_rng(args.seed)
    if args.oval_only:
        run_grown_oval(args.oval, rng)
        return 0
    if args.data is None:
        ap.error("--data is needed (but for --oval-only)")
    source = "HAM10000" if (args.data / "HAM10000_metadata.csv").is_file() else args.data.name
    assessor = None
    if args.model:
        from dermadesk.inference.engine import open_assessor

        assessor = open_assessor(None, None, "cpu")
    files = sorted((args.data / "images").glob("*.jpg"))
    files = [files[i] for i in rng.choice(len(files), size=min(args.images, len(files)), replace=False)]
    print(f"seed {args.seed}, beyond the original image: {args.fill}")
    run_synthetic(files, rng, source, assessor)
    if args.pairs and (args.data / "HAM10000_metadata.csv").is_file():
        run_pairs(args.data, args.pairs, rng)
    if args.pairs:
        run_different_lesions(sorted((args.data / "images").glob("*.jpg")), args.pairs // 2, rng)
    if args.synthetic:
        run_textureless(args.synthetic, rng)
        run_manual(args.synthetic, rng)
    if args.oval:
        run_grown_oval(args.oval, rng)
    if not args.no_large:
        run_large(files[0], rng)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
