"""A wheel (`pip install .`) carries the bundled model and resources, and the installed app finds them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from dermadesk import config

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "dermadesk", "training", "installer", "models", "resources", "tests")
BUNDLED = "dermadesk/" + config.BUNDLED_DIR + "/"


def checkout_files() -> set[str]:
    """models/ and resources/ of the checkout, as the wheel must carry them."""
    return {
        p.relative_to(ROOT).as_posix()
        for folder in ("models", "resources")
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }


def source_copy(tmp_path: Path) -> Path:
    """The checkout's sources in tmp (the build writes build/ and egg-info beside them, never into the checkout)."""
    src = tmp_path / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist", ".*")
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=skip)
        else:
            shutil.copy2(ROOT / name, src / name)
    return src


def build_wheel(source: Path, out: Path) -> Path:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-cache-dir", "-w", str(out),
         str(source)],
        capture_output=True, text=True, timeout=600, cwd=source.parent,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (wheel,) = out.glob("dermadesk-*.whl")
    return wheel


def build_with(source: Path, hook: str, out: Path) -> Path:
    """The file setuptools' PEP 517 ``hook`` (build_sdist, build_editable) builds from ``source`` into ``out``."""
    code = f"from setuptools import build_meta; print(build_meta.{hook}({str(out)!r}))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, cwd=source)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out / proc.stdout.strip().splitlines()[-1]


def fresh_venv(tmp_path: Path, *install: str) -> tuple[Path, Path]:
    """A venv with ``pip install --no-deps *install`` in it (its python and site-packages) that sees the dependencies
    of this one but not its editable install of the checkout: the .pth written there puts their folder on sys.path
    without running the .pth files inside it (the editable finder's)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True, timeout=60).stdout.strip()  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
         "--no-cache-dir", *install],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "dermadesk-test-deps.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    return python, Path(site).resolve()


def probe(python: Path, cwd: Path) -> dict[str, Path]:
    """Where ``python`` imports dermadesk from and where that finds its model and resources (run in ``cwd``)."""
    code = (
        "import json, dermadesk\n"
        "from dermadesk import config\n"
        "print(json.dumps({'package': dermadesk.__file__, 'root': str(config.app_root()),\n"
        "    'models': str(config.bundled_models_dir()),\n"
        "    'font': str(config.resource_path('fonts', 'DejaVuSans.ttf')),\n"
        "    'map': str(config.resource_path('bodymap_front.svg'))}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=120, cwd=cwd, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {k: Path(v) for k, v in json.loads(proc.stdout).items()}


def bundled_in(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {n.removeprefix(BUNDLED) for n in archive.namelist() if n.startswith(BUNDLED) and not n.endswith("/")}


def test_app_root_is_the_wheels_copy_where_there_is_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site-packages" / "dermadesk"
    package.mkdir(parents=True)
    monkeypatch.setattr(config, "__file__", str(package / "config.py"))
    assert config.app_root() == (tmp_path / "site-packages").resolve()  # a checkout: models/ beside the package
    (package / config.BUNDLED_DIR / "resources").mkdir(parents=True)
    assert config.app_root() == (package / config.BUNDLED_DIR).resolve()  # an installed wheel
    font = config.resource_path("fonts", "DejaVuSans.ttf")
    assert font == package.resolve() / config.BUNDLED_DIR / "resources" / "fonts" / "DejaVuSans.ttf"
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "frozen"), raising=False)
    assert config.app_root() == tmp_path / "frozen"  # the PyInstaller bundle wins


def test_the_checkout_reads_its_own_folders() -> None:
    """Quick start's `pip install -e .` (and the tests): nothing is copied, the checkout's folders are read."""
    assert not (ROOT / "dermadesk" / config.BUNDLED_DIR).exists()
    assert config.app_root() == ROOT
    assert config.bundled_models_dir() == ROOT / "models"


@pytest.mark.slow
def test_installed_wheel_finds_its_model_and_resources(tmp_path: Path) -> None:
    wheel = build_wheel(source_copy(tmp_path), tmp_path / "wheels")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert bundled_in(wheel) == checkout_files()
    assert "dermadesk/ui/user_guide.html" in names
    assert {n.split("/")[0] for n in names} == {"dermadesk", "training", wheel.name.split("-py")[0] + ".dist-info"}
    assert all(n.endswith(".py") for n in names if n.startswith("training/"))  # its code, never data or runs

    python, site = fresh_venv(tmp_path, str(wheel))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    run = tmp_path / "cwd"  # not the checkout: nothing of it on sys.path
    run.mkdir()

    found = probe(python, run)
    installed = site / "dermadesk"
    assert found["package"].resolve() == installed / "__init__.py"  # the wheel, not the checkout
    assert found["root"] == installed / config.BUNDLED_DIR
    assert found["font"].read_bytes() == (ROOT / "resources" / "fonts" / "DejaVuSans.ttf").read_bytes()
    assert found["map"].read_bytes() == (ROOT / "resources" / "bodymap_front.svg").read_bytes()
    for manifest in (ROOT / "models").glob("*.json"):
        assert (found["models"] / manifest.name).read_bytes() == manifest.read_bytes()

    # the whole program from the install: bundled model loaded and run, PDF report (fonts), main window (body maps)
    test = subprocess.run([str(python), "-m", "dermadesk", "self-test", "--keep", str(tmp_path / "kept")],
                          capture_output=True, text=True, timeout=600, cwd=run, env=env)  # fmt: skip
    assert test.returncode == 0, test.stdout[-3000:] + test.stderr[-3000:]
    assert "ok   load the assessing model" in test.stdout and "self-test passed" in test.stdout
    assert (tmp_path / "kept" / "report.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.slow
def test_wheel_built_from_the_sdist_carries_them_too(tmp_path: Path) -> None:
    """`python -m build` makes the sdist first and the wheel from it: the sdist must hold models/ and resources/."""
    src = source_copy(tmp_path)
    sdist = build_with(src, "build_sdist", tmp_path / "sd")
    with tarfile.open(sdist) as archive:
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # Python 3.10.12+, 3.11.4+
        archive.extractall(tmp_path / "unpacked", **safe)
    (unpacked,) = (tmp_path / "unpacked").iterdir()
    wheel = build_wheel(unpacked, tmp_path / "wheels")
    assert bundled_in(wheel) == checkout_files()


@pytest.mark.slow
def test_editable_install_reads_the_checkout_and_copies_nothing(tmp_path: Path) -> None:
    """README's Quick start (`pip install -e .`): as before, the app reads models/ and resources/ of the checkout."""
    src = source_copy(tmp_path)
    editable = build_with(src, "build_editable", tmp_path / "ed")  # what `pip install -e` runs
    python, _ = fresh_venv(tmp_path, str(editable))
    run = tmp_path / "cwd"
    run.mkdir()
    found = probe(python, run)
    assert found["package"].resolve() == src.resolve() / "dermadesk" / "__init__.py"
    assert found["root"] == src.resolve() and found["models"] == src.resolve() / "models"
    assert found["font"] == src.resolve() / "resources" / "fonts" / "DejaVuSans.ttf" and found["map"].is_file()
    assert not list(tmp_path.rglob(config.BUNDLED_DIR))  # no copy of the 30 MB model anywhere
