"""The layer rules of ARCHITECTURE.md, machine-checked with import-linter."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    """A console script of this environment (the venv's, also when it is not on PATH)."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name) or name


def test_import_linter_contracts_hold() -> None:
    proc = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_core_imports_without_qt_or_torch() -> None:
    code = (
        "import sys, dermadesk.cli, dermadesk.services.captures, dermadesk.services.assessment, "
        "dermadesk.inference.engine, dermadesk.storage.backup; "
        "bad = [m for m in ('PySide6', 'torch', 'torchvision', 'training') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _graph():  # noqa: ANN202 - grimp's ImportGraph
    import grimp

    return grimp.build_graph("dermadesk", include_external_packages=True, cache_dir=None)


def import_cycles(graph, prefix: str = "dermadesk") -> list[list[str]]:  # noqa: ANN001
    """Groups of modules that import each other (strongly connected components larger than one), by Tarjan."""
    modules = sorted(m for m in graph.modules if m == prefix or m.startswith(prefix + "."))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.find_modules_directly_imported_by(v)):
            if not (w == prefix or w.startswith(prefix + ".")):
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for m in modules:
        if m not in index:
            visit(m)
    return cycles


def test_no_import_circle_among_dermadesk_modules() -> None:
    assert import_cycles(_graph()) == []


def test_the_cycle_finder_finds_a_circle() -> None:
    class Graph:
        modules = {"dermadesk.a", "dermadesk.b", "dermadesk.c"}
        edges = {"dermadesk.a": {"dermadesk.b"}, "dermadesk.b": {"dermadesk.a", "numpy"}, "dermadesk.c": set()}

        def find_modules_directly_imported_by(self, m: str) -> set[str]:
            return self.edges[m]

    assert import_cycles(Graph()) == [["dermadesk.a", "dermadesk.b"]]


def test_no_sqlite_in_ui_no_opencv_in_services_or_ui() -> None:
    graph = _graph()
    found = []
    for package, banned in (("dermadesk.ui", {"sqlite3", "sqlite_utils", "cv2"}), ("dermadesk.services", {"cv2"})):
        for module in sorted(graph.find_descendants(package)):
            found += [f"{module} -> {b}" for b in sorted(graph.find_modules_directly_imported_by(module) & banned)]
    assert found == []


MAX_LINES = 400


def test_no_python_file_over_400_lines() -> None:
    too_long = []
    for folder in ("dermadesk", "training", "tests", "installer"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                too_long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert too_long == []


def test_ruff_lint_and_format_clean() -> None:
    """ruff's rules and formatter as configured in pyproject.toml ([tool.ruff])."""
    for args in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        proc = subprocess.run([_tool("ruff"), *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"ruff {' '.join(args)}:\n{proc.stdout}{proc.stderr}"


def test_core_type_checks() -> None:
    """mypy on the core packages ([tool.mypy] in pyproject.toml names them)."""
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
