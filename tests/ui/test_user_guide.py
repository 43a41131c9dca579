"""Help > User guide (F1): a guide for clinic staff inside the app (it runs offline). It opens from the key and the
menu, holds the topics staff asked about, names only menu entries the app has, its links lead to its own topics, it
is read at 150 % on a 1280x720 screen, and an installed copy (a wheel, the PyInstaller bundle) ships it."""

from __future__ import annotations

import ast
import html
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QTextBrowser

from dermadesk.ui.user_guide import GUIDE_FILE, TITLE, UserGuideDialog, guide_html
from dermadesk.ui.widgets import fit_dialog

ROOT = Path(__file__).resolve().parents[2]
TOPICS = [
    "1. First start, and where your data is kept",
    "2. Adding a patient",
    "3. Placing a lesion on the body map",
    "4. Importing captures (images)",
    "5. Reading an assessment",
    "6. Follow-up visits and the Change since baseline tab",
    "7. Reports and printing",
    "8. Backing up and restoring",
    "9. Field laptop and clinic: transfer packages",
    "10. When the model is refused",
]
MENUS = ("File", "Edit", "View", "Patient", "Help")


def menu_paths(window) -> set[tuple[str, ...]]:
    """Every entry of the menu bar as the user reads it: ("File", "Back up..."), the access keys' '&' taken out."""
    paths: set[tuple[str, ...]] = set()

    def walk(menu, above: tuple[str, ...]) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            path = (*above, action.text().replace("&", ""))
            if action.menu() is not None:
                walk(action.menu(), path)
            else:
                paths.add(path)

    for top in window.menuBar().actions():
        walk(top.menu(), (top.text().replace("&", ""),))
    return paths


def quoted(kind: str) -> list[str]:
    """The guide's words marked ``<span class="kind">`` (menu entries, tab titles), as shown."""
    return [html.unescape(m) for m in re.findall(rf'<span class="{kind}">(.*?)</span>', guide_html(), re.S)]


def headings(browser: QTextBrowser) -> list[tuple[int, str]]:
    found, block = [], browser.document().begin()
    while block.isValid():
        if level := block.blockFormat().headingLevel():
            found.append((level, block.text()))
        block = block.next()
    return found


def test_f1_and_the_help_menu_open_the_guide(qtbot, window) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.user_guide
    qtbot.waitUntil(guide.isVisible)
    assert guide.windowTitle() == TITLE and not guide.isModal()  # read beside the window while following its steps
    assert guide.browser.toPlainText().startswith("DermaDesk user guide")
    guide.close()
    entry = next(a for a in window.menuBar().actions() if a.text() == "&Help").menu().actions()[0]
    assert entry.text() == "&User guide" and entry.shortcut().toString() == "F1"
    entry.trigger()
    assert window.user_guide is guide and guide.isVisible()  # the same window again, not a second one
    about = [a for a in window.menuBar().actions()[-1].menu().actions() if a.text().startswith("&About")]
    assert about[0].shortcut().isEmpty()  # F1 was About's; one key, one entry


def test_the_guide_holds_the_topics_staff_need(qtbot) -> None:
    guide = UserGuideDialog()
    qtbot.addWidget(guide)
    found = headings(guide.browser)
    assert found[0] == (1, "DermaDesk user guide")
    assert [text for level, text in found if level == 2] == TOPICS
    subtopics = [text for level, text in found if level == 3]
    assert subtopics == ["When an image is NOT ASSESSABLE", "What the verdict means", "⚠ CHANGED, and how to answer it"]
    text = guide.browser.toPlainText()
    words = "decision support, not a diagnosis|Shift|SIGNIFICANT|OUT OF DISTRIBUTION|Heat map|is the drive connected?"
    for said in [*words.split("|"), "previous-<date>", "Keep this register's value", "NOT AVAILABLE"]:
        assert said in text, said


def test_every_menu_entry_the_guide_names_is_in_the_menus(window) -> None:
    entries = menu_paths(window)
    named = quoted("menu")
    assert len(named) > 30  # the guide leads staff by the menus
    for path in named:
        assert tuple(" ".join(path.split()).split(" > ")) in entries, path
    # a menu path written outside a marked entry would escape this check
    plain = re.sub(r'<span class="menu">.*?</span>', "", guide_html(), flags=re.S)
    assert not re.search(rf"\b({'|'.join(MENUS)}) &gt; ", plain)
    tabs = {window.tabs.tabText(i) for i in range(window.tabs.count())}
    assert set(quoted("tab")) == {"Assessment", "Change since baseline"} <= tabs


def test_its_links_lead_to_its_own_topics(qtbot) -> None:
    guide = UserGuideDialog()
    qtbot.addWidget(guide)
    guide.resize(760, 480)
    guide.show()
    source = guide_html()
    anchors = set(re.findall(r'<a name="([^"]+)">', source))
    links = re.findall(r'<a href="([^"]+)">', source)
    assert len(links) >= len(TOPICS) and all(link.startswith("#") for link in links)  # nothing outside the app
    assert {link[1:] for link in links} <= anchors
    browser, bar = guide.browser, guide.browser.verticalScrollBar()
    assert bar.value() == 0
    # a click on "Backing up and restoring" in the list of topics shows that topic at the top of the page
    cursor = browser.document().find("Backing up and restoring")
    assert cursor.charFormat().anchorHref() == "#backup"
    cursor.setPosition(cursor.selectionStart() + 2, QTextCursor.MoveMode.MoveAnchor)
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=browser.cursorRect(cursor).center())
    qtbot.waitUntil(lambda: bar.value() > 0)
    top = browser.cursorForPosition(QPoint(8, 8)).block()  # the first line in sight
    assert top.text() == "8. Backing up and restoring"


def test_the_guide_is_read_at_150_percent_on_a_1280x720_screen(qtbot) -> None:
    guide = UserGuideDialog()
    qtbot.addWidget(guide)
    fit_dialog(guide, QRect(0, 0, 853, 480))  # 1280x720 at 150 %, in the window's own pixels
    guide.show()
    for _ in range(3):  # the resize and the document's layout (events, no delay)
        QApplication.processEvents()
    assert guide.width() <= 853 and guide.height() <= 480
    browser = guide.browser
    assert browser.horizontalScrollBar().maximum() == 0  # lines wrap: nothing to scroll sideways
    assert browser.height() >= 240  # most of the window is text, not margins
    close = guide.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert close.visibleRegion().boundingRect() == close.rect()  # the Close button whole in sight


def test_an_installed_wheel_finds_the_guide(tmp_path: Path) -> None:
    """Built as pip builds it (setuptools, pyproject's package data), unpacked as pip installs a pure-Python wheel,
    imported from there and not from this checkout."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "dermadesk", src / "dermadesk", ignore=shutil.ignore_patterns("__pycache__"))
    # pyproject's build_py (installer/wheel_data.py) copies models/ and resources/ into the wheel and needs them
    (src / "installer").mkdir()
    shutil.copy(ROOT / "installer" / "wheel_data.py", src / "installer" / "wheel_data.py")
    for folder in ("models", "resources"):
        (src / folder).symlink_to(ROOT / folder, target_is_directory=True)
    build = "from setuptools import build_meta; print(build_meta.build_wheel(r'%s'))" % (tmp_path / "wheel")
    made = subprocess.run([sys.executable, "-c", build], cwd=src, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr[-2000:]
    wheel = tmp_path / "wheel" / made.stdout.strip().splitlines()[-1]
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        assert f"dermadesk/ui/{GUIDE_FILE}" in z.namelist()
        z.extractall(site)
    read = "import dermadesk.ui.user_guide as g; print(g.__file__); print(g.guide_html()[:400])"
    env = {"PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen", "PATH": ""}
    run = subprocess.run([sys.executable, "-c", read], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    where, text = run.stdout.split("\n", 1)
    assert Path(where).is_relative_to(site)
    assert "DermaDesk user guide" in text


def test_the_installer_bundles_the_guide_beside_its_module() -> None:
    """The PyInstaller spec's data files hold the guide where ``guide_html`` looks in the bundle (dermadesk/ui)."""
    spec = (ROOT / "installer" / "dermadesk.spec").read_text(encoding="utf-8")
    tree = ast.parse(spec)
    assign = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "datas")
    datas = eval(compile(ast.Expression(assign.value), "dermadesk.spec", "eval"), {"ROOT": ROOT, "str": str})
    assert (str(ROOT / "dermadesk" / "ui" / GUIDE_FILE), "dermadesk/ui") in datas
    assert all(Path(src).exists() for src, _ in datas)
