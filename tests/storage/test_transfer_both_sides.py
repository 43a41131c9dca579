"""Both registers edit the same records between two transfers: each field comes from the side that changed it
since the registers last agreed, a field changed on both sides is a conflict left as here, and a laptop whose
clock runs fast wins nothing by it (audit 51: the clinic's status, decision and skin type were reverted)."""

from __future__ import annotations

from pathlib import Path

import pytest

import dermadesk.storage.repositories as repositories
from dermadesk.domain.dates import human_date
from dermadesk.storage.register import Register
from tests.transfer_data import edit as _edit
from tests.transfer_data import fill, set_by
from tests.transfer_data import move as _move
from tests.transfer_data import state as _state


@pytest.mark.parametrize("laptop_clock_fast", [False, True])
def test_edits_of_different_fields_on_both_sides_all_survive_the_round_trip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, laptop_clock_fast: bool
) -> None:
    clinic, laptop, package = tmp_path / "clinic", tmp_path / "laptop", tmp_path / "p.ddtx"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)  # skin type II, decision 'monitor'
    _move(clinic, laptop, package)
    _edit(clinic, skin_type="IV", status="excised", decision="excise")
    with monkeypatch.context() as m:
        if laptop_clock_fast:
            m.setattr(repositories, "utc_now", lambda: "2099-01-01T00:00:00.000+00:00")
        _edit(laptop, notes="itching", label="left scapula, upper", mm_per_px=0.025)
    both = {
        "skin_type": "IV",
        "notes": "itching",
        "status": "excised",
        "label": "left scapula, upper",
        "decision": "excise",
        "mm_per_px": 0.025,
    }
    done = _move(laptop, clinic, package)
    assert done.plan.conflicts == [] and done.plan.updated == {"patients": 1, "lesions": 1, "captures": 1}
    assert _state(clinic) == both  # the clinic's own changes kept, the laptop's brought over
    kept = "\n".join(done.plan.notes)
    assert "status differs (here: 'excised', in the package: 'monitoring'); kept as it is here" in kept
    back = _move(clinic, laptop, package)  # and the clinic's changes reach the laptop, the laptop's kept
    assert back.plan.conflicts == [] and _state(laptop) == both
    assert not _move(laptop, clinic, package).applied  # nothing left to exchange
    assert not _move(clinic, laptop, package).applied


def _fast_by(who: str) -> str:
    """Who saved a value on the laptop whose clock ran fast, and when: its day, 1 Jan 2099 (as the laptop's log
    says it, said on this workstation's calendar)."""
    return f" — by {who} on {human_date('2099-01-01T00:00:00.000+00:00')}"


def test_a_field_changed_on_both_sides_is_a_conflict_left_as_here_whatever_the_clocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic, laptop, package = tmp_path / "clinic", tmp_path / "laptop", tmp_path / "p.ddtx"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
    _move(clinic, laptop, package)
    _edit(clinic, decision="excise")
    with monkeypatch.context() as m:
        m.setattr(repositories, "utc_now", lambda: "2099-01-01T00:00:00.000+00:00")  # the laptop runs fast
        _edit(laptop, decision="refer", label="upper back")
    done = _move(laptop, clinic, package)
    assert done.plan.conflicts == [
        "capture of 15 Jan 2025 (P-1-0-0.jpg), lesion 1 (lesion 0) of patient P-1: decision changed on both sides "
        f"(here: 'excise'{set_by('someone')}, in the package: 'refer'{_fast_by('someone')}, last agreed: 'monitor'); "
        "left as it is here until answered (keep this register's value, or take the package's)"
    ]
    assert _state(clinic)["decision"] == "excise" and _state(clinic)["label"] == "upper back"
    again = _move(laptop, clinic, package)  # still a conflict next time: nobody answered it
    assert len(again.plan.conflicts) == 1 and _state(clinic)["decision"] == "excise"
    assert _move(clinic, laptop, package).plan.conflicts  # the laptop keeps its own value too
    assert _state(laptop)["decision"] == "refer"
