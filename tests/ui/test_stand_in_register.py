"""A start that opens this computer's own register because the folder chosen in Settings could not be opened says so
in the window (an amber field beside the menu bar, and the title): without it a new user read the empty register as
the clinic's patients gone. Real start (``ui.app.run``, screenshots mode), real register, scripted answers."""

from __future__ import annotations


import pytest
from PySide6.QtCore import Qt

from dermadesk.config import choose_data_dir
from dermadesk.ui.lost_folder_start import OPEN_STANDARD, TRY_AGAIN
from dermadesk.ui.stand_in_banner import STAND_IN_BANNER, STAND_IN_TITLE


@pytest.fixture
def marked(monkeypatch) -> list[dict]:
    """What each start's window said: its title, the banner's words and tooltip, the menu bar's corner widget."""
    import dermadesk.ui.app as app

    seen: list[dict] = []
    real = app.mark_stand_in

    def spy(window, chosen, opened):
        banner = real(window, chosen, opened)
        corner = window.menuBar().cornerWidget(Qt.Corner.TopRightCorner)
        seen.append(
            dict(title=window.windowTitle(), words=banner.text(), tip=banner.toolTip(), corner=corner is banner)
        )
        return banner

    monkeypatch.setattr(app, "mark_stand_in", spy)
    return seen


def test_the_standard_folder_opened_instead_says_so_in_the_window(qtbot, dialogs, standard, tmp_path, marked) -> None:
    from dermadesk.ui.app import run

    usb = tmp_path / "usb" / "DermaDesk"
    choose_data_dir(usb)
    dialogs.choices.append(OPEN_STANDARD)
    assert run(None, screenshots=str(tmp_path / "shots"), dialogs=dialogs) == 0
    [said] = marked
    assert said["title"].endswith(STAND_IN_TITLE) and said["words"] == STAND_IN_BANNER and said["corner"]
    assert f"The data folder chosen in Settings, {usb}, could not be opened" in said["tip"]
    assert f"this computer's own register, {standard}, is open instead" in said["tip"]
    assert "Patients added here stay here" in said["tip"]


def test_the_chosen_folder_itself_has_no_such_field(qtbot, dialogs, standard, tmp_path, marked) -> None:
    from dermadesk.storage.register import Register
    from dermadesk.ui.app import run

    usb = tmp_path / "usb" / "DermaDesk"
    Register(usb.parent.parent / "drive").close()
    choose_data_dir(usb)
    asked = dialogs.choose

    def plug_in_then_answer(*args, **kwargs):
        answer = asked(*args, **kwargs)
        usb.parent.mkdir(parents=True, exist_ok=True)
        (usb.parent.parent / "drive").rename(usb)
        return answer

    dialogs.choose = plug_in_then_answer
    dialogs.choices.append(TRY_AGAIN)
    assert run(None, screenshots=str(tmp_path / "shots"), dialogs=dialogs) == 0
    assert marked == [] and (tmp_path / "shots" / "register.png").is_file()
