"""What another connection changed in the register: noticed by its data version (never the window's own writes), and
merged field by field with what a form loaded and what was typed in it."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services import register_ops as ops
from dermadesk.services.changed_elsewhere import Watch, both_texts, merge
from dermadesk.storage.register import Register


def test_a_commit_on_another_connection_is_seen_once_and_ones_own_never(register: Register, data_dir: Path) -> None:
    watch = Watch()
    assert not watch.changed(register)  # the first look: what it holds now
    pid = ops.add_patient(register, "app", "W-1", "Own Write").id
    assert not watch.changed(register)  # this connection's own save
    with Register(data_dir) as other:
        ops.update_patient(other, "cli", pid, {"notes": "from the command line"})
    assert watch.changed(register) and not watch.changed(register)
    register.close()
    assert not watch.changed(register)  # closed (a restore replacing it): nothing to read, no error


def test_merge_keeps_what_only_the_register_changed_and_names_real_clashes() -> None:
    loaded = {"decision": None, "notes": "seen"}
    stored = {"decision": "refer", "notes": "B: asymmetric"}
    only_elsewhere = merge(loaded, stored, {"decision": None, "notes": "seen "})  # nothing typed but a space
    assert only_elsewhere.values == stored and not only_elsewhere.clashes and only_elsewhere.changed_elsewhere
    both = merge(loaded, stored, {"decision": None, "notes": "A: benign"})
    assert both.values == {"decision": "refer", "notes": "A: benign"}  # the decision made elsewhere is not undone
    [clash] = both.clashes
    assert (clash.field, clash.stored, clash.typed) == ("notes", "B: asymmetric", "A: benign")
    assert both.resolved(keep_stored=True) == stored and both.resolved(keep_stored=False) == both.values
    alike = merge(loaded, stored, {"decision": None, "notes": "B: asymmetric\n"})  # typed as stored elsewhere
    assert not alike.clashes and alike.same_as_stored(alike.values)
    untouched = merge(loaded, loaded, {"decision": "monitor", "notes": "seen"})
    assert not untouched.changed_elsewhere and untouched.values == {"decision": "monitor", "notes": "seen"}


def test_keep_both_joins_two_notes_once_and_only_for_free_text() -> None:
    assert both_texts("B: asymmetric", "A: benign\n") == "B: asymmetric\n\nA: benign"  # stored first, a blank line
    assert both_texts("B: asymmetric, seen 2026", "B: asymmetric") == "B: asymmetric, seen 2026"  # held already
    assert both_texts("seen", "seen; photographed again") == "seen; photographed again"
    assert both_texts(None, "A: benign") == "A: benign"
    loaded, stored = {"decision": None, "notes": "seen"}, {"decision": "refer", "notes": "B"}
    notes = merge(loaded, stored, {"decision": None, "notes": "A"})  # the decision made elsewhere kept as stored
    assert notes.both_keepable and notes.kept_both() == {"decision": "refer", "notes": "B\n\nA"}
    decision = merge({"decision": None}, {"decision": "refer"}, {"decision": "monitor"})
    assert decision.clashes and not decision.both_keepable  # a choice is one or the other, never both
