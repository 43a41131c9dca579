"""A restore never replaces the files under a register open elsewhere: another DermaDesk (a window, a command
still running) had its later work split between the restored register and the kept copy. Refused in one line,
nothing changed; marks left by a process that ended without closing do not block it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from dermadesk.domain.errors import IntegrityError
from dermadesk.storage.in_use import IN_USE_PREFIX, others_using
from dermadesk.storage.register import Register
from dermadesk.storage.restore import restore
from tests.storage.test_restore_faults import _mrns, backup_and_target  # noqa: F401 - the fixture

HOLD = textwrap.dedent(
    """
    import sys, time
    from dermadesk.storage.register import Register
    reg = Register(sys.argv[1])
    print("open", flush=True)
    sys.stdin.readline()  # open until told
    reg.close()
    """
)


def test_refused_while_another_process_has_the_register_open(backup_and_target) -> None:  # noqa: F811
    archive, target, _, before = backup_and_target
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(target)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        assert others_using(target) == 1
        with pytest.raises(IntegrityError, match="is open in another DermaDesk .* close it there, then restore"):
            restore(archive, target)
        assert _mrns(target) == before and not list(target.glob("previous-*"))
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=60)
    assert others_using(target) == 0
    restore(archive, target)  # closed there: the restore goes ahead
    assert _mrns(target) != before


def test_an_open_register_in_this_process_counts_and_closing_it_lets_go(backup_and_target) -> None:  # noqa: F811
    archive, target, _, before = backup_and_target
    reg = Register(target)
    with pytest.raises(IntegrityError, match="open in another DermaDesk"):
        restore(archive, target)
    reg.close()
    assert not list(target.glob(f"{IN_USE_PREFIX}*")) and others_using(target) == 0
    restore(archive, target)


def test_a_mark_left_by_a_killed_process_is_removed_not_obeyed(backup_and_target) -> None:  # noqa: F811
    archive, target, _, before = backup_and_target
    stale = target / f"{IN_USE_PREFIX}99999-dead.lock"
    stale.write_bytes(b"")  # nobody holds its lock
    restore(archive, target)
    assert not stale.exists() and _mrns(target) != before
