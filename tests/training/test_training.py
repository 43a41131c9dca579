"""training/: on a tiny synthetic data set made here (no ../shared needed)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs the train extra (torch)")
pytest.importorskip("timm", reason="needs the train extra (timm)")

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion  # noqa: E402
from dermadesk.contract import CLASS_CODES  # noqa: E402
from training.__main__ import main as training_main  # noqa: E402
from training.data import load_dataset  # noqa: E402
from training.model import build_model, map_efficientnet_pytorch_state, timm_efficientnet_lite0  # noqa: E402
from training.splits import check_split, grouped_stratified_split  # noqa: E402

pytestmark = pytest.mark.training
SHARED_WEIGHTS = Path(__file__).resolve().parents[3] / "shared" / "weights" / "efficientnet-lite0-57934424.pth"
COLOURS = {"akiec": (200, 120, 110), "bcc": (210, 160, 170), "bkl": (150, 110, 80), "df": (170, 120, 100),
           "mel": (60, 40, 50), "nv": (120, 80, 55), "vasc": (190, 50, 60)}


def make_dataset(root: Path, per_class: int = 8) -> Path:
    """HAM10000 layout: metadata CSV + images; two images per lesion_id for half the lesions."""
    (root / "images").mkdir(parents=True)
    rows = []
    n = 0
    for code in CLASS_CODES:
        for i in range(per_class):
            lesion = f"L_{code}_{i // 2 if i < per_class // 2 else i}"
            image_id = f"ISIC_{n:07d}"
            spec = LesionSpec(seed=n, core=COLOURS[code], radius=0.25 + 0.02 * (i % 3))
            (root / "images" / f"{image_id}.jpg").write_bytes(jpeg_bytes(synthetic_lesion(spec, 80, 60)))
            rows.append({"lesion_id": lesion, "image_id": image_id, "dx": code, "dx_type": "histo",
                         "age": str(30 + 5 * (n % 9)), "sex": "female" if n % 2 else "male",
                         "localization": "back" if n % 3 else "trunk"})
            n += 1
    with open(root / "HAM10000_metadata.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return root


def test_split_keeps_groups_together_and_is_stratified(tmp_path: Path) -> None:
    samples = load_dataset(make_dataset(tmp_path / "ham", per_class=20))
    a = grouped_stratified_split(samples, 0.2, 0.2, seed=3)
    assert check_split(samples, a) == []
    assert a == grouped_stratified_split(samples, 0.2, 0.2, seed=3)  # reproducible
    for code in CLASS_CODES:
        sides = {a[s.key] for s in samples if s.label == code}
        assert sides == {"train", "val", "test"}, code
    pairs = [(samples[0].key, samples[-1].key)]
    moved = dict(a)
    moved[samples[-1].key] = "test" if a[samples[0].key] != "test" else "train"
    assert check_split(samples, moved, pairs)  # a near-duplicate pair across sides is reported


def test_weight_mapping_reproduces_original_logits() -> None:
    lite = pytest.importorskip("efficientnet_lite_pytorch", reason="original implementation not installed")
    original = lite.EfficientNet.from_name("efficientnet-lite0").eval()
    mapped = timm_efficientnet_lite0(1000)
    target = [(k, v.shape) for k, v in mapped.state_dict().items()]
    mapped.load_state_dict(map_efficientnet_pytorch_state(original.state_dict(), target))
    mapped.eval()
    x = torch.randn(2, 3, 224, 224)
    with torch.no_grad():
        assert torch.allclose(original(x), mapped(x), atol=1e-5)


@pytest.mark.skipif(not SHARED_WEIGHTS.is_file(), reason="ImageNet weights file not present (../shared)")
def test_real_imagenet_weights_map_exactly() -> None:
    lite = pytest.importorskip("efficientnet_lite_pytorch")
    from training.model import load_lite0_imagenet

    sd = torch.load(SHARED_WEIGHTS, map_location="cpu", weights_only=True)
    original = lite.EfficientNet.from_name("efficientnet-lite0")
    original.load_state_dict(sd)
    x = torch.randn(2, 3, 224, 224)
    with torch.no_grad():
        assert torch.allclose(original.eval()(x), load_lite0_imagenet(sd).eval()(x), atol=1e-5)


def test_mapping_refuses_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="tensors"):
        map_efficientnet_pytorch_state({"a": torch.zeros(1)}, [])


def test_cam_output_equals_autograd_gradcam() -> None:
    torch.manual_seed(0)
    model = build_model("efficientnet_lite0", None, dropout=0.3).eval()
    x = torch.randn(1, 3, 96, 96)
    for c in (CLASS_CODES.index("mel"), CLASS_CODES.index("nv")):
        maps = model.feature_maps(x).detach().requires_grad_(True)
        logits = model.fc(model.dropout(maps.mean(dim=(2, 3))))
        logits[0, c].backward()
        alpha = maps.grad.mean(dim=(2, 3), keepdim=True)  # Grad-CAM channel weights
        gradcam = torch.relu((alpha * maps).sum(dim=1))[0]
        _, _, cams = model.forward_all(x)
        cam = torch.relu(cams[0, c])
        h, w = maps.shape[2:]
        assert torch.allclose(gradcam * h * w, cam, atol=1e-4, rtol=1e-4)
        assert torch.allclose(cams[0, c].mean() + model.fc.bias[c], logits[0, c], atol=1e-4)


@pytest.mark.slow
def test_pipeline_prepare_train_calibrate_evaluate_export_then_app_agrees(tmp_path: Path) -> None:
    data = make_dataset(tmp_path / "ham")
    work = tmp_path / "work"
    data_dir = tmp_path / "dd"
    import cv2

    cv2.setNumThreads(2)
    code = training_main(["pipeline", "--data", str(data), "--out", str(work), "--epochs", "1", "--size", "64",
                          "--max-batches", "2", "--workers", "0", "--name", "tiny-trained", "--version", "0.1",
                          "--install-to", str(data_dir)])
    assert code == 0
    assert cv2.getNumThreads() == 1  # training runs OpenCV on one thread: the loader workers it forks inherit it
    assert (work / "run" / "best.pt").is_file() and (work / "evaluation" / "confusion_matrix.png").is_file()
    ev = json.loads((work / "evaluation" / "evaluation.json").read_text())
    assert {"balanced_accuracy", "macro_f1", "per_class", "malignant", "melanoma", "ece", "subgroups"} <= set(ev)
    assert set(ev["subgroups"]) == {"sex", "age_band", "localization"}
    card = (work / "export" / "tiny-trained.md").read_text()
    assert "CC BY-NC 4.0" in card and "Tschandl" in card and "not a diagnosis" in card
    assert "## Risk tiers given on the test split" in card and {"benign", "malignant"} == set(ev["tiers"])
    # the exported model measured again as shipped: its graph by ONNX Runtime, its own temperature and thresholds
    shipped = work / "export" / "tiny-trained.json"
    assert training_main(["evaluate", "--checkpoint", str(shipped), "--data", str(data), "--split",
                          str(work / "split.json"), "--out", str(tmp_path / "as-shipped"),
                          "--stability-images", "4"]) == 0
    again = json.loads((tmp_path / "as-shipped" / "evaluation.json").read_text())
    assert again["thresholds"] == ev["thresholds"] and again["temperature"] == ev["temperature"]
    assert again["tiers"]["benign"]["n"] == ev["tiers"]["benign"]["n"]
    assert abs(again["auroc_malignant_vs_benign"] - ev["auroc_malignant_vs_benign"]) < 0.02  # same views, ORT
    assert training_main(["evaluate", "--checkpoint", str(work / "run" / "best.pt"), "--data", str(data),
                          "--split", str(work / "split.json"), "--out", str(tmp_path / "x")]) == 2  # needs one
    # resume: a second train call continues from last.pt instead of starting over
    code = training_main(["train", "--data", str(data), "--split", str(work / "split.json"), "--out",
                          str(work / "run"), "--epochs", "2", "--size", "64", "--max-batches", "1", "--workers", "0"])
    assert code == 0
    assert len(torch.load(work / "run" / "last.pt", weights_only=False)["history"]) == 2
    # refit-ood: same weights (sha256), a new version whose OOD check has an outlier-exposure classifier
    refit = tmp_path / "refit"
    assert training_main(["refit-ood", "--manifest", str(work / "export" / "tiny-trained.json"), "--data", str(data),
                          "--split", str(work / "split.json"), "--out", str(refit), "--version", "0.2"]) == 0
    from dermadesk.contract import ModelManifest

    old, new = (ModelManifest.load(p) for p in (work / "export" / "tiny-trained.json", refit / "tiny-trained.json"))
    assert new.version == "0.2" and new.sha256 == old.sha256 and (refit / new.onnx_file).is_file()
    assert len(new.ood.clf_weights) == len(new.ood.components) + 1 and new.ood.mean == old.ood.mean
    check = json.loads((refit / "refit_ood.json").read_text())
    split = json.loads((work / "split.json").read_text())
    roles = list(split["assignment"].values()) if "assignment" in split else list(split.values())
    assert check["val_images"] == roles.count("val") and check["train_images"] <= roles.count("train")  # no test image
    assert "Out-of-distribution check (version 0.2)" in (refit / "tiny-trained.md").read_text()
    # --init: a fine-tune stage starts from those weights with a fresh schedule and its own history
    code = training_main(["train", "--data", str(data), "--split", str(work / "split.json"), "--out",
                          str(work / "tune"), "--init", str(work / "run" / "last.pt"), "--epochs", "1", "--size",
                          "64", "--max-batches", "1", "--workers", "0", "--lr", "0"])
    assert code == 0
    tuned = torch.load(work / "tune" / "last.pt", weights_only=False)
    start = torch.load(work / "run" / "last.pt", weights_only=False)
    assert len(tuned["history"]) == 1 and tuned["config"]["init"] == str(work / "run" / "last.pt")
    # lr 0: the weights are the initial checkpoint's, not a fresh ImageNet start (batch-norm stats aside)
    head = [k for k in start["model"] if k.startswith("fc.")]
    assert head and all(torch.equal(tuned["model"][k], start["model"][k]) for k in head)

    from dermadesk.inference.engine import open_assessor
    from training.train import load_model_from_checkpoint

    assessor = open_assessor(data_dir, "tiny-trained", "cpu")
    assert assessor.entry.manifest.version == "0.1" and assessor.entry.source == "user"
    model, _ = load_model_from_checkpoint(work / "run" / "best.pt")
    img = synthetic_lesion(LesionSpec(seed=99), 80, 60)
    result = assessor.assess(img)
    from dermadesk.contract import preprocess, softmax

    from training.model import forward_tta

    x = torch.from_numpy(preprocess(img, assessor.entry.manifest.input))
    with torch.no_grad():
        logits = forward_tta(model, x, "flip")[0].numpy()  # the export averages image + mirror
    assert assessor.entry.manifest.provenance["test_time_augmentation"].startswith("flip: 2 view(s)")
    expected = softmax(logits, assessor.entry.manifest.temperature)[0]
    assert np.allclose(list(result.probabilities.values()), expected, atol=1e-4)
    # exported by torch.export (the TorchScript exporter is deprecated): one file, any batch size
    assert assessor.entry.manifest.provenance["onnx_exporter"] == "dynamo"
    assert not list((work / "export").glob("*.data"))
    assert len(assessor.assess_batch([img, img[::-1].copy(), img[:, ::-1].copy()])) == 3


@pytest.mark.parametrize("arch", ["mobilenet_v3_large", "efficientnet_b0", "resnet50"])
def test_other_backbones_keep_the_cam_contract(arch: str) -> None:
    model = build_model(arch, None).eval()
    with torch.no_grad():
        logits, emb, cams = model.forward_all(torch.randn(1, 3, 64, 64))
    assert logits.shape == (1, 7) and emb.shape == (1, model.feature_dim) and cams.shape[:2] == (1, 7)
    assert torch.allclose(cams[0].mean(dim=(1, 2)) + model.fc.bias, logits[0], atol=1e-4)


def test_csv_and_folder_layouts_and_data_check(tmp_path: Path) -> None:
    from training.data import DataError, load_csv
    from training.datacheck import check_samples

    img = jpeg_bytes(synthetic_lesion(LesionSpec(seed=1), 80, 60))
    other = jpeg_bytes(synthetic_lesion(LesionSpec(seed=2, radius=0.1), 80, 60))
    (tmp_path / "folders" / "mel").mkdir(parents=True)
    (tmp_path / "folders" / "nv").mkdir(parents=True)
    (tmp_path / "folders" / "mel" / "a.jpg").write_bytes(img)
    (tmp_path / "folders" / "nv" / "b.jpg").write_bytes(other)
    (tmp_path / "folders" / "nv" / "copy.jpg").write_bytes(img)  # exact duplicate across classes
    samples = load_dataset(tmp_path / "folders")
    assert sorted((s.label, s.key) for s in samples) == [("mel", "mel/a.jpg"), ("nv", "nv/b.jpg"),
                                                         ("nv", "nv/copy.jpg")]
    report = check_samples(samples)
    assert report.exact_duplicates == [["mel/a.jpg", "nv/copy.jpg"]]
    assert ("mel/a.jpg", "nv/copy.jpg") in report.near_duplicates and not report.blocking
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x.jpg").write_bytes(img)
    (tmp_path / "c" / "bad.jpg").write_bytes(b"not an image")
    (tmp_path / "c" / "labels.csv").write_text("path,label,group\nx.jpg,MEL,g1\nbad.jpg,nv,g2\nmissing.jpg,xyz,g3\n")
    samples = load_csv(tmp_path / "c" / "labels.csv")
    report = check_samples(samples)
    assert len(report.missing) == 1 and len(report.unreadable) == 1 and report.unknown_labels == {"xyz": 1}
    assert len(report.blocking) == 3
    (tmp_path / "c" / "nolabel.csv").write_text("path,group\nx.jpg,g\n")
    with pytest.raises(DataError, match="needs a column path or image_id, and a column label or dx"):
        load_csv(tmp_path / "c" / "nolabel.csv")


def test_flip_tta_averages_views_and_keeps_the_cam_contract() -> None:
    from training.model import ExportWrapper

    torch.manual_seed(1)
    model = build_model("efficientnet_lite0", None).eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        logits, emb, cams = ExportWrapper(model, "flip")(x)
        l1, e1, c1 = model.forward_all(x)
        l2, e2, c2 = model.forward_all(torch.flip(x, dims=[3]))
    assert torch.allclose(logits, (l1 + l2) / 2, atol=1e-5) and torch.allclose(emb, (e1 + e2) / 2, atol=1e-5)
    assert torch.allclose(cams, (c1 + torch.flip(c2, dims=[3])) / 2, atol=1e-5)
    assert torch.allclose(cams.mean(dim=(2, 3)) + model.fc.bias, logits, atol=1e-4)


def test_input_normalisation_options() -> None:
    from training.train import input_spec

    tf, imagenet = input_spec(96, "tf"), input_spec(96)
    assert tf.mean == (0.5, 0.5, 0.5) and tf.std == (0.5, 0.5, 0.5) and (tf.height, tf.width) == (96, 96)
    assert imagenet.mean == (0.485, 0.456, 0.406)

