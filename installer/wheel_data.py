"""Setuptools commands that make a wheel carry the bundled model and resources (pyproject's [tool.setuptools]
cmdclass names them).

The app reads models/ (the bundled ONNX model, manifest and model card) and resources/ (body maps, report fonts)
from the repository's top level in a checkout (also `pip install -e .`), or from the PyInstaller bundle
(installer/dermadesk.spec lists them). An installed wheel has no such top level, so ``BuildPy`` copies both folders
into the package as dermadesk/_bundled/, where dermadesk.config.app_root() looks first. ``Sdist`` puts them at the
source archive's top level, as in the checkout (with this file, which pyproject.toml names), so that a wheel built
from the archive (`python -m build`) carries them too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist
from setuptools.errors import FileError

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("models", "resources")
BUNDLED = ("dermadesk", "_bundled")  # dermadesk.config.BUNDLED_DIR inside the package


def bundled_files(root: Path = ROOT) -> Iterator[Path]:
    """The files of models/ and resources/ under ``root``, relative to it (no hidden files, no caches)."""
    missing = [folder for folder in FOLDERS if not (root / folder).is_dir()]
    if missing:
        raise FileError(f"{', '.join(missing)} missing in {root}: a DermaDesk wheel without them has no model")
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
                yield relative


class BuildPy(build_py):
    """build_py, then models/ and resources/ into the wheel's dermadesk/_bundled/."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # pip install -e .: the app reads the checkout's own folders, nothing is copied
            return
        target = Path(self.build_lib, *BUNDLED)
        for relative in bundled_files():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            self.copy_file(str(ROOT / relative), str(target / relative))


class Sdist(sdist):
    """sdist, with models/, resources/ and this file in the archive."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        for relative in [*bundled_files(), Path(__file__).resolve().relative_to(ROOT)]:
            (Path(base_dir) / relative).parent.mkdir(parents=True, exist_ok=True)
            self.copy_file(str(ROOT / relative), str(Path(base_dir) / relative))
