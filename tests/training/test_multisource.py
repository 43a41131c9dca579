"""Several data sources at once: reading, the cross-source split, label spaces, shared colour constancy,
augmentations (synthetic data only, no ../shared)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs the train extra (torch)")
pytest.importorskip("timm", reason="needs the train extra (timm)")

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion  # noqa: E402
from dermadesk.contract import CLASS_CODES, InputSpec, ModelManifest, preprocess, shades_of_grey  # noqa: E402
from training.__main__ import main as training_main  # noqa: E402
from training.data import DataError, label_spaces, load_dataset  # noqa: E402
from training.splits import check_split, load_split, split_by_source  # noqa: E402
from training.train import ImageSet, MaskedCrossEntropy, label_masks, size_for_epoch, TrainConfig  # noqa: E402
from training.transforms import AugmentConfig, TrainTransform, eval_transform  # noqa: E402

from tests.training.test_training import make_dataset  # noqa: E402

pytestmark = pytest.mark.training


def make_isic2017(root: Path, per_class: int = 12) -> Path:
    """ISIC 2017 layout: labels.csv (image_id, dx, source_dx) + images/, three classes, no lesion_id."""
    (root / "images").mkdir(parents=True)
    names = {"mel": "melanoma", "bkl": "seborrheic_keratosis", "nv": "nevus"}
    with open(root / "labels.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["image_id", "dx", "source_dx"])
        n = 0
        for code in ("mel", "bkl", "nv"):
            for i in range(per_class):
                image_id = f"ISIC_{900000 + n:07d}"
                img = synthetic_lesion(LesionSpec(seed=500 + n, radius=0.2 + 0.01 * (i % 5)), 64, 64)
                (root / "images" / f"{image_id}.jpg").write_bytes(jpeg_bytes(img))
                w.writerow([image_id, code, names[code]])
                n += 1
    return root


def test_two_sources_read_into_one_set_keeping_each_source(tmp_path: Path) -> None:
    ham, isic = make_dataset(tmp_path / "ham", per_class=6), make_isic2017(tmp_path / "isic2017")
    samples = load_dataset(f"{ham},{isic}")
    assert {s.source for s in samples} == {"ham10000", "isic2017"}
    assert sum(s.source == "isic2017" for s in samples) == 36
    isic_sample = next(s for s in samples if s.source == "isic2017")
    assert isic_sample.group == isic_sample.key and isic_sample.meta["source_dx"] in {"melanoma", "nevus",
                                                                                     "seborrheic_keratosis"}
    spaces = label_spaces(samples)
    assert spaces == {"ham10000": CLASS_CODES, "isic2017": ("bkl", "mel", "nv")}
    with pytest.raises(DataError, match="occurs in"):
        load_dataset([ham, ham])


def test_any_csv_with_image_id_dx_lesion_id_and_source(tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    (folder / "pics").mkdir(parents=True)
    rows = []
    for i, code in enumerate(["mel", "nv", "nv", "bcc"]):
        (folder / "pics" / f"img{i}.jpg").write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=i), 64, 48)))
        rows.append({"image_id": f"img{i}", "dx": code.upper(), "lesion_id": f"les{i // 2}", "source": "clinic-a"})
    with open(folder / "list.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    samples = load_dataset(folder / "list.csv")
    assert [s.label for s in samples] == ["mel", "nv", "nv", "bcc"]
    assert [s.group for s in samples] == ["les0", "les0", "les1", "les1"]
    assert {s.source for s in samples} == {"clinic-a"} and all(s.path.is_file() for s in samples)


def test_cross_source_split_holds_out_a_quarter_of_isic_and_no_group_crosses(tmp_path: Path) -> None:
    ham, isic = make_dataset(tmp_path / "ham", per_class=20), make_isic2017(tmp_path / "isic2017", per_class=20)
    work = tmp_path / "work"
    assert training_main(["prepare", "--data", f"{ham},{isic}", "--out", str(work)]) == 0
    samples = load_dataset(f"{ham},{isic}")
    assignment = load_split(work / "split.json")
    assert check_split(samples, assignment) == []
    isic_sides = [assignment[s.key] for s in samples if s.source == "isic2017"]
    assert isic_sides.count("test") == pytest.approx(0.25 * len(isic_sides), abs=3)
    for code in ("mel", "bkl", "nv"):  # stratified by class within the source
        assert {assignment[s.key] for s in samples if s.source == "isic2017" and s.label == code} == \
            {"train", "val", "test"}
    # fixed: the same seed holds out the same images, whatever other sources come along
    again = split_by_source([s for s in samples if s.source == "isic2017"], 0.15, 0.15, 0,
                            {"isic2017": 0.25})
    assert {k for k, v in again.items() if v == "test"} == \
        {s.key for s in samples if s.source == "isic2017" and assignment[s.key] == "test"}


def test_held_out_test_images_are_never_trained_on(tmp_path: Path) -> None:
    ham, isic = make_dataset(tmp_path / "ham", per_class=6), make_isic2017(tmp_path / "isic2017", per_class=8)
    work = tmp_path / "work"
    assert training_main(["prepare", "--data", f"{ham},{isic}", "--out", str(work)]) == 0
    from training.train import prepare_sets
    from training.splits import select

    cfg = TrainConfig(data=f"{ham},{isic}", split=work / "split.json", out=work / "run", size=32)
    samples, assignment, _, _ = prepare_sets(cfg)
    trained = {samples[i].key for i in select(samples, assignment, "train") + select(samples, assignment, "val")}
    held = {s.key for s in samples if s.source == "isic2017" and assignment[s.key] == "test"}
    assert held and not (held & trained)


def test_masked_loss_never_teaches_a_three_class_source_not_bcc() -> None:
    loss_fn = MaskedCrossEntropy(torch.ones(len(CLASS_CODES)))
    logits = torch.zeros(2, len(CLASS_CODES), requires_grad=True)
    target = torch.tensor([CLASS_CODES.index("nv"), CLASS_CODES.index("nv")])
    isic = torch.tensor([c in ("mel", "bkl", "nv") for c in CLASS_CODES])
    mask = torch.stack([isic, torch.ones(len(CLASS_CODES), dtype=torch.bool)])
    loss_fn(logits, target, mask).backward()
    grad = logits.grad
    for code in ("akiec", "bcc", "df", "vasc"):  # untouched by the ISIC image, pushed down by the HAM one
        assert grad[0, CLASS_CODES.index(code)] == 0
        assert grad[1, CLASS_CODES.index(code)] > 0
    assert torch.isfinite(grad).all()


def test_label_masks_follow_each_source(tmp_path: Path) -> None:
    samples = load_dataset(f"{make_dataset(tmp_path / 'ham', 4)},{make_isic2017(tmp_path / 'isic2017', 4)}")
    masks = label_masks(samples)
    isic_rows = masks[[s.source == "isic2017" for s in samples]]
    assert (isic_rows.sum(1) == 3).all() and masks[[s.source == "ham10000" for s in samples]].all()
    item = ImageSet([np.zeros((8, 8, 3), np.uint8)], np.array([5]), None, InputSpec(16, 16), masks=masks[-1:])[0]
    assert item[2].dtype == torch.bool and int(item[2].sum()) == 3


def test_colour_constancy_gives_app_and_training_the_same_pixels() -> None:
    spec = InputSpec(64, 64, colour_constancy="shades_of_grey")
    img = synthetic_lesion(LesionSpec(seed=2), 120, 90)
    tinted = np.clip(img.astype(np.float32) * (1.15, 1.0, 0.8), 0, 255).astype(np.uint8)
    app = preprocess(tinted, spec)[0]
    assert np.array_equal(app, eval_transform(tinted, spec))  # training evaluates with the app's function
    # a colour cast is (mostly) removed: the two casts land close together, without constancy they do not
    plain = InputSpec(64, 64)
    with_cc = np.abs(preprocess(img, spec) - preprocess(tinted, spec)).mean()
    without = np.abs(preprocess(img, plain) - preprocess(tinted, plain)).mean()
    assert with_cc < 0.35 * without
    # the dark frame of a dermatoscope does not drive the estimate
    framed = img.copy()
    framed[:, :20] = 0
    assert np.abs(shades_of_grey(framed)[:, 20:].astype(int) - shades_of_grey(img)[:, 20:].astype(int)).mean() < 6


def test_manifest_records_colour_constancy_and_old_manifests_default_to_none(tmp_path: Path) -> None:
    from modelgen import write_tiny_model

    manifest = ModelManifest.load(write_tiny_model(tmp_path))
    assert manifest.input.colour_constancy == "none"
    data = manifest.to_dict()
    data["input"]["colour_constancy"] = "retinex"
    from dermadesk.contract import ContractError

    with pytest.raises(ContractError, match="unsupported colour constancy"):
        ModelManifest.from_dict(data).validate()


def test_augmentations_keep_shape_and_range_and_are_reproducible() -> None:
    spec = InputSpec(48, 48, colour_constancy="shades_of_grey")
    always = AugmentConfig(blur_p=1, jpeg_p=1, downscale_p=1, vignette_p=1, hair_p=1)
    t = TrainTransform(spec, always)
    img = synthetic_lesion(LesionSpec(seed=1), 80, 60)
    a, b = t(img, np.random.default_rng(5)), t(img, np.random.default_rng(5))
    assert a.shape == (3, 48, 48) and a.dtype == np.float32 and np.isfinite(a).all()
    assert np.array_equal(a, b)
    assert not np.array_equal(a, t(img, np.random.default_rng(6)))


def test_progressive_resizing_schedule() -> None:
    cfg = TrainConfig(data="x", split=Path("s"), out=Path("o"), size=192, start_size=128, epochs=16,
                      full_size_epochs=3)
    sizes = [size_for_epoch(e, cfg) for e in range(16)]
    assert sizes[0] == 128 and sizes[-3:] == [192, 192, 192] and sizes == sorted(sizes)
    assert size_for_epoch(0, TrainConfig(data="x", split=Path("s"), out=Path("o"), size=160)) == 160


@pytest.mark.slow  # over ~10 s: runs with the slow tests (.ci/run runs them), keeping the default run near ~10 minutes
def test_dihedral_tta_is_invariant_to_quarter_turns_and_mirrors_keeps_cam_contract_and_exports(tmp_path: Path) -> None:
    from training.export import export_onnx, parity
    from training.model import ExportWrapper, build_model

    torch.manual_seed(2)
    model = build_model("efficientnet_lite0", None).eval()
    x = torch.randn(1, 3, 64, 64)
    wrapper = ExportWrapper(model, "dihedral")
    with torch.no_grad():
        logits, emb, cams = wrapper(x)
        turned, _, turned_cams = wrapper(torch.rot90(x, 1, dims=[2, 3]))
        mirrored, _, _ = wrapper(torch.flip(x, dims=[3]))
    assert torch.allclose(logits, turned, atol=1e-4) and torch.allclose(logits, mirrored, atol=1e-4)
    assert torch.allclose(torch.rot90(cams, 1, dims=[2, 3]), turned_cams, atol=1e-4)  # the CAM turns with the image
    assert torch.allclose(cams.mean(dim=(2, 3)) + model.fc.bias, logits, atol=1e-4)
    path = tmp_path / "d.onnx"
    export_onnx(model, path, 64, hflip_tta="dihedral")
    rng = np.random.default_rng(0)
    diffs = parity(model, path, InputSpec(64, 64, colour_constancy="shades_of_grey"),
                   [rng.integers(0, 256, (48, 64, 3), dtype=np.uint8) for _ in range(2)], hflip_tta="dihedral")
    assert max(diffs.values()) < 1e-3


def test_webp_images_are_read_like_jpegs(tmp_path: Path) -> None:
    """A data set re-encoded as WebP (e.g. a compact copy for a remote GPU) reads as the JPEG original."""
    from PIL import Image

    from training.data import read_rgb

    isic = make_isic2017(tmp_path / "isic2017", per_class=2)
    for jpg in (isic / "images").glob("*.jpg"):
        Image.open(jpg).save(jpg.with_suffix(".webp"), "WEBP", lossless=True)
        original = read_rgb(jpg)
        jpg.unlink()
        assert np.array_equal(read_rgb(jpg.with_suffix(".webp")), original)
    samples = load_dataset(isic)
    assert len(samples) == 6 and all(s.path.suffix == ".webp" and s.path.is_file() for s in samples)


def test_source_share_raises_a_small_source_and_keeps_proportions_within_each_source() -> None:
    from training.train import source_balance

    sources = ["ham10000"] * 87 + ["isic2017"] * 13
    w = np.r_[np.linspace(1, 3, 87), np.linspace(1, 2, 13)]
    out = source_balance(w, sources, 0.3)
    isic = np.array(sources) == "isic2017"
    assert out[isic].sum() / out.sum() == pytest.approx(0.3)
    assert np.allclose(out[isic] / out[isic].sum(), w[isic] / w[isic].sum())  # classes within a source as before
    assert np.allclose(out[~isic] / out[~isic].sum(), w[~isic] / w[~isic].sum())
    assert source_balance(w, sources, 0.0) is w and source_balance(w, ["ham10000"] * 100, 0.3) is w
    bigger = source_balance(w, sources, 0.05)  # already above the share: unchanged
    assert np.allclose(bigger / bigger.sum(), w / w.sum())
    with pytest.raises(ValueError, match="more than all the samples"):
        source_balance(w, sources, 0.6)


def test_train_records_the_source_share_in_its_checkpoint(tmp_path: Path) -> None:
    import torch

    ham, isic = make_dataset(tmp_path / "ham", per_class=6), make_isic2017(tmp_path / "isic2017", per_class=8)
    work = tmp_path / "work"
    assert training_main(["prepare", "--data", f"{ham},{isic}", "--out", str(work)]) == 0
    assert training_main(["train", "--data", f"{ham},{isic}", "--split", str(work / "split.json"), "--out",
                          str(work / "run"), "--epochs", "1", "--size", "32", "--max-batches", "1", "--workers", "0",
                          "--source-share", "0.4"]) == 0  # fmt: skip
    assert torch.load(work / "run" / "last.pt", weights_only=False)["config"]["source_share"] == 0.4
