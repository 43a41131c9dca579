"""Model registry: bundled models (models/) and user-installed ones (<data dir>/models), validated."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from dermadesk.config import MODELS_DIR, bundled_models_dir
from dermadesk.contract import ContractError, ModelManifest, sha256_file
from dermadesk.domain.errors import ModelError, NotFoundError
from dermadesk.files import atomic_writer, private_dir


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


@dataclass(frozen=True)
class Refused:
    """A manifest found in a models folder that cannot be used, with the reason; name and version when
    the manifest could be read at all (a damaged default model must be reported, not skipped)."""

    manifest_path: Path
    source: str
    message: str
    name: str | None = None
    version: str | None = None


INSTALL_COMMAND = "dermadesk models --install PATH/TO/MANIFEST.json"  # how a model is (re)installed, said as advice


class DefaultRefused(ModelError):
    """The default model is refused (``refused`` says which and why); the text gives the command line's way out
    (the app names its own menus instead)."""

    def __init__(self, refused: Refused) -> None:
        self.refused = refused
        self.what = f"{refused.name} {refused.version}" if refused.name else refused.manifest_path.name
        super().__init__(f"the default model {self.what} cannot be used ({refused.message}); reinstall it "
                         f"({INSTALL_COMMAND}), or name another model with --model or in Settings")


def version_key(version: str | None) -> tuple:
    """Natural order of version strings ("1.10" after "1.9"; numbers after words at the same place)."""
    return tuple((1, int(p), "") if p.isdigit() else (0, 0, p) for p in re.findall(r"\d+|[A-Za-z]+", version or ""))


def plain_file_name(name: object) -> str | None:
    """The problem with a manifest's ``onnx_file`` unless it is a plain file name inside the model's folder."""
    if not isinstance(name, str) or not name:
        return "onnx_file is missing"
    if name in (".", "..") or "/" in name or "\\" in name or ":" in name or "\x00" in name \
            or Path(name).is_absolute() or Path(name).name != name:
        return f"onnx_file {name[:80]!r} must be a plain file name in the manifest's folder (no folders, no ..)"
    return None


def load_entry(manifest_path: Path, source: str = "user", verify_hash: bool = True) -> ModelEntry:
    """Read and validate one manifest and its ONNX file; ModelError with a clear reason otherwise."""
    try:
        manifest = ModelManifest.load(manifest_path)
        problem = plain_file_name(manifest.onnx_file)
        if problem:
            raise ContractError(problem)
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


def _identity(path: Path) -> tuple[str | None, str | None]:
    """(name, version) from a manifest that may not validate; (None, None) when unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("name"), str) and isinstance(data.get("version"), str):
            return data["name"], data["version"]
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        pass
    return None, None


def _installed_at(path: Path) -> float:
    try:
        return path.stat().st_mtime  # installs write fresh files, so this is the install time
    except OSError:
        return 0.0


class ModelRegistry:
    """Finds manifests (``*.json`` beside ``*.onnx``); invalid ones are listed as problems."""

    def __init__(self, data_dir: Path | None = None, bundled_dir: Path | None = None) -> None:
        self.dirs: list[tuple[Path, str]] = [(bundled_dir or bundled_models_dir(), "bundled")]
        if data_dir is not None:
            self.dirs.append((Path(data_dir) / MODELS_DIR, "user"))
        self._entries: list[ModelEntry] | None = None
        self._stated: list[ModelManifest] | None = None
        self.problems: list[str] = []
        self.refused: list[Refused] = []

    def _manifest_paths(self) -> list[tuple[Path, str]]:
        found = []
        for folder, source in self.dirs:
            for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
                if not (folder / (path.stem + ".onnx")).exists() and '"onnx_file"' not in path.read_text(
                        encoding="utf-8", errors="replace")[:4096]:
                    continue  # not a model manifest (e.g. an evaluation file)
                found.append((path, source))
        return found

    def entries(self) -> list[ModelEntry]:
        """The usable models, each ONNX file checked against its manifest's sha256 (once per registry)."""
        if self._entries is None:
            self._entries, self.problems, self.refused = [], [], []
            for path, source in self._manifest_paths():
                try:
                    self._entries.append(load_entry(path, source))
                except ModelError as exc:
                    self.problems.append(str(exc))
                    self.refused.append(Refused(path, source, str(exc), *_identity(path)))
        return self._entries

    def stated(self) -> list[ModelManifest]:
        """The models' manifests as they read, their ONNX files not hashed: what a model stated (its thresholds)
        for showing results it already gave, in a read-only view. Never a model to run: ``entries`` and ``get``
        check each file's sha256, so a damaged model is still refused where it would assess. A manifest that
        cannot be read or does not validate is left out (``entries`` says why)."""
        if self._entries is not None and not self.refused:  # already read, every one usable
            return [e.manifest for e in self._entries]
        if self._stated is None:
            self._stated = []
            for path, source in self._manifest_paths():
                try:
                    self._stated.append(load_entry(path, source, verify_hash=False).manifest)
                except ModelError:
                    continue
        return self._stated

    def default(self) -> ModelEntry | Refused:
        """The default model: the newest user-installed one (by version, then install time), else the newest
        bundled one. A refused manifest takes part (one whose version cannot be read counts as newest), so a
        damaged default is reported instead of silently replaced by another model."""
        entries = self.entries()
        candidates: list[tuple[str, tuple, ModelEntry | Refused]] = [
            (e.source, (0, version_key(e.manifest.version), _installed_at(e.manifest_path)), e) for e in entries]
        candidates += [(r.source, (1 if r.version is None else 0, version_key(r.version),
                                   _installed_at(r.manifest_path)), r) for r in self.refused]
        if not candidates:
            raise NotFoundError("no usable model found")
        pool = [c for c in candidates if c[0] == "user"] or candidates
        return max(pool, key=lambda c: c[1])[2]

    def get(self, name: str | None = None) -> ModelEntry:
        """By name (``name`` or ``name@version``; the newest version of a name); without a name, the default
        model (``default()``). ModelError naming the problem when the model asked for is refused."""
        entries = self.entries()
        if not entries and not self.refused:
            raise NotFoundError("no usable model found")
        if not name:
            chosen = self.default()
            if isinstance(chosen, Refused):
                raise DefaultRefused(chosen)
            return chosen
        matches = [e for e in entries if name in (e.manifest.name, e.key)]
        if matches:
            return max(matches, key=lambda e: (e.source == "user", version_key(e.manifest.version),
                                               _installed_at(e.manifest_path)))
        refused = [r.message for r in self.refused if name in (r.name, f"{r.name}@{r.version}")]
        refused += [p for p in self.problems if name in p]
        raise NotFoundError(refused[0] if refused else
                            f"no model named {name!r}; available: {', '.join(e.key for e in entries) or 'none'}")


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


def _copy_fresh(src: Path, dst: Path) -> None:
    """Copy to an owner-only file written now (its time is the install time), replaced atomically."""
    with open(src, "rb") as fin, atomic_writer(dst) as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)


def install_model(manifest_path: Path, data_dir: Path) -> ModelEntry:
    """Validate a model, run it once on a test image (``verify_outputs``), and copy it (manifest + ONNX)
    into the data directory's models folder (owner-only). Refused: an ``onnx_file`` that is not a plain name
    in the manifest's folder, and files that would replace those of a different installed model."""
    entry = load_entry(Path(manifest_path), "user")
    verify_outputs(entry)
    target = private_dir(Path(data_dir) / MODELS_DIR)
    new_manifest, new_onnx = target / entry.manifest_path.name, target / entry.onnx_path.name
    for other in ModelRegistry(data_dir, bundled_dir=Path(data_dir) / MODELS_DIR / ".none").entries():
        same_name = other.manifest.name == entry.manifest.name
        if other.manifest_path == new_manifest and not same_name:
            raise ModelError(f"model {entry.manifest.name} refused: {new_manifest.name} would replace the installed "
                             f"model {other.key}; rename the manifest")
        if other.onnx_path == new_onnx and other.manifest.sha256 != entry.manifest.sha256 and (
                other.manifest_path != new_manifest):
            raise ModelError(f"model {entry.manifest.name} refused: {new_onnx.name} would replace the file of the "
                             f"installed model {other.key}; rename the ONNX file")
    _copy_fresh(entry.onnx_path, new_onnx)
    _copy_fresh(entry.manifest_path, new_manifest)
    installed = load_entry(new_manifest, "user")
    if installed.manifest.sha256 != entry.manifest.sha256:
        raise ModelError(f"model {entry.manifest.name}: the installed copy differs from the one checked")
    return installed
