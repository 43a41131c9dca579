"""The change benchmark's case (g): an oval grown evenly x1.5 on smooth skin, aligned on its outline alone, the case
fedaad9 made the angle search find (a second 128 px mask warp per angle). The case aligns every pair on the outline,
says what one comparison and its outline alignment took and how the pairs were judged; the timing wrapper is taken
off again (no timed assertion)."""

from __future__ import annotations

import re

import numpy as np

from dermadesk.analysis import registration
from dermadesk.bench.change import main, run_grown_oval, smooth_oval


def test_the_grown_oval_case_is_flagged_on_its_outline_and_timed(capsys) -> None:
    search = registration.outline_alignment
    run_grown_oval(3, np.random.default_rng(0))
    said = capsys.readouterr().out
    assert said.startswith("(g) 3 ovals grown evenly x1.5 (area +125 %)")
    assert re.search(r": \d+ ms per comparison \(median; mean \d+\), of which the outline alignment .* \d+ ms;", said)
    judged = re.findall(r"(significant|cannot tell|not significant) \(([a-z ]+)\) (\d+)", said)
    assert {method for _, method, _ in judged} == {"lesion outline"} and sum(int(n) for *_, n in judged) == 3, said
    assert registration.outline_alignment is search  # the wrapper undone


def test_the_case_runs_alone_without_data(capsys) -> None:
    assert main(["--oval-only", "--oval", "1"]) == 0
    assert capsys.readouterr().out.startswith("(g) 1 ovals grown evenly x1.5")
    oval = smooth_oval((65, 50))
    assert oval.shape == (450, 600, 3) and oval[225, 300].sum() < oval[10, 10].sum()  # a dark oval on skin
