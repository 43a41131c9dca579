"""Each menu's access keys (the underlined letter: Alt+F, then the letter) lead to one entry each: a second entry
with the same letter made the key cycle between them instead of choosing."""

from __future__ import annotations

import re


def test_no_two_entries_of_a_menu_share_an_access_key(window) -> None:
    for top in window.menuBar().actions():
        menu = top.menu()
        keys = [m.group(1).lower() for a in menu.actions() if (m := re.search(r"&([^&])", a.text()))]
        assert len(keys) == len(set(keys)), (top.text(), sorted(k for k in keys if keys.count(k) > 1))
