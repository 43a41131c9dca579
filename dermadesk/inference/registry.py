"""Model registry: bundled models (models/) and user-installed ones (<data dir>/models), validated."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from dermadesk.config import MODELS_DIR, bundled_models_dir
from dermadesk.contract import ContractError, ModelManifest, sha256_file
from dermadesk.domain.errors import ModelError, NotFoundError


@dataclass(frozen=True)
class ModelEntry:
    manifest: ModelManifest
    manifest_path: Path
    source: str  # "bundled" | "user"

    @property
    def onnx_path(self) -> Path:
        return self.manifest_path.parent / self.manifest.onnx_file

    @property
    def key(self) -> str:
        return f"{self.manifest.name}@{self.manifest.version}"


def load_entry(manifest_path: Path, source: str = "user", verify_hash: bool = True) -> ModelEntry:
    """Read and validate one manifest and its ONNX file; ModelError with a clear reason otherwise."""
    try:
        manifest = ModelManifest.load(manifest_path)
        manifest.validate()
    except ContractError as exc:
        raise ModelError(f"model {manifest_path.name} refused: {exc}") from None
    entry = ModelEntry(manifest, manifest_path, source)
    if not entry.onnx_path.is_file():
        raise ModelError(f"model {manifest.name} refused: {entry.onnx_path.name} is missing")
    if verify_hash and sha256_file(entry.onnx_path) != manifest.sha256:
        raise ModelError(f"model {manifest.name} refused: {entry.onnx_path.name} does not match the sha256 "
                         "in its manifest (damaged or tampered file)")
    return entry


class ModelRegistry:
    """Finds manifests (``*.json`` beside ``*.onnx``); invalid ones are listed as problems."""

    def __init__(self, data_dir: Path | None = None, bundled_dir: Path | None = None) -> None:
        self.dirs: list[tuple[Path, str]] = [(bundled_dir or bundled_models_dir(), "bundled")]
        if data_dir is not None:
            self.dirs.append((Path(data_dir) / MODELS_DIR, "user"))
        self._entries: list[ModelEntry] | None = None
        self.problems: list[str] = []

    def entries(self) -> list[ModelEntry]:
        if self._entries is None:
            self._entries, self.problems = [], []
            for folder, source in self.dirs:
                for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
                    if not (folder / (path.stem + ".onnx")).exists() and '"onnx_file"' not in path.read_text(
                            encoding="utf-8", errors="replace")[:4096]:
                        continue  # not a model manifest (e.g. an evaluation file)
                    try:
                        self._entries.append(load_entry(path, source))
                    except ModelError as exc:
                        self.problems.append(str(exc))
        return self._entries

    def get(self, name: str | None = None) -> ModelEntry:
        """By name (``name`` or ``name@version``); without a name, the default model.

        The default is the newest user-installed model if any, else the bundled one.
        """
        entries = self.entries()
        if not entries:
            detail = f" ({'; '.join(self.problems)})" if self.problems else ""
            raise NotFoundError("no usable model found" + detail)
        if not name:
            user = [e for e in entries if e.source == "user"]
            return (user or entries)[-1]
        for entry in reversed(entries):
            if name in (entry.manifest.name, entry.key):
                return entry
        refused = [p for p in self.problems if name in p]
        raise NotFoundError(refused[0] if refused else
                            f"no model named {name!r}; available: {', '.join(e.key for e in entries)}")


def verify_outputs(entry: ModelEntry) -> None:
    """Run the model once on a built-in test image (a batch of two); ModelError unless it gives finite,
    normalised, correctly shaped class scores, an embedding of the stated size and a heat map per class."""
    import numpy as np

    from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion
    from dermadesk.contract import CLASS_CODES, output_problem, preprocess, softmax
    from dermadesk.inference.session import OnnxModel

    m = entry.manifest
    name = f"model {m.name} refused"
    try:
        session = OnnxModel(entry.onnx_path, "cpu")
        images = [synthetic_lesion(LesionSpec(seed=s), 320, 240) for s in (1, 2)]
        out = session.run(np.concatenate([preprocess(im, m.input) for im in images]))
    except Exception as exc:  # noqa: BLE001 - any failure to load or run is a refusal with its reason
        raise ModelError(f"{name}: it cannot be run on a test image ({type(exc).__name__}: {str(exc)[:200]})") from None
    logits, emb, cams = (np.asarray(out.get(k)) if out.get(k) is not None else None
                         for k in ("logits", "embedding", "cams"))
    if logits is None or logits.ndim != 2 or logits.shape[0] != 2:
        raise ModelError(f"{name}: its logits for a batch of 2 test images have shape "
                         f"{None if logits is None else tuple(logits.shape)}, not (2, {len(CLASS_CODES)})")
    if emb is None or emb.shape != (2, m.embedding_dim or emb.shape[-1]) or not np.isfinite(emb).all():
        raise ModelError(f"{name}: its embedding is missing, not finite or not of size {m.embedding_dim}")
    with np.errstate(all="ignore"):
        probs = softmax(logits, m.temperature)
    for i in range(2):
        problem = output_problem(logits[i], probs[i], cams[i] if cams is not None and cams.ndim == 4 else None)
        if problem:
            raise ModelError(f"{name}: on a test image it gives {problem}")


def install_model(manifest_path: Path, data_dir: Path) -> ModelEntry:
    """Validate a model, run it once on a test image (``verify_outputs``), and copy it (manifest + ONNX)
    into the data directory's models folder."""
    entry = load_entry(Path(manifest_path), "user")
    verify_outputs(entry)
    target = Path(data_dir) / MODELS_DIR
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(entry.onnx_path, target / entry.onnx_path.name)
    shutil.copy2(entry.manifest_path, target / entry.manifest_path.name)
    return load_entry(target / entry.manifest_path.name, "user")
