"""Fault trials: SIGKILL during import, restore killed at every step of its switch, several processes
opening a new data directory at once, and crafted archives. Prints trials, integrity errors, lost
captures and tracebacks (all 0 but the trials, when the register holds).

    python -m dermadesk.bench.faults [--crash N] [--concurrency N] [--processes N] [--seed N]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.bench.crafted import crafted_archives, fill_register
from dermadesk.storage.backup import backup
from dermadesk.storage.check import check_register
from dermadesk.storage.register import Register

KILL_AT_MOVE = """
import os, signal, sys
import dermadesk.storage.restore as r
which, at = sys.argv[3], int(sys.argv[4])
seam = "_move" if which == "move" else "copy_member"
original, calls = getattr(r, seam), [0]
def killing(*args):
    calls[0] += 1
    if calls[0] == at:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(*args)
setattr(r, seam, killing)
r.restore(sys.argv[1], sys.argv[2])
"""


@dataclass
class Tally:
    trials: int = 0
    integrity_errors: int = 0
    lost_captures: int = 0
    tracebacks: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        self.trials += other.trials
        self.integrity_errors += other.integrity_errors
        self.lost_captures += other.lost_captures
        self.tracebacks += other.tracebacks
        self.notes += other.notes


def _env(data_dir: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if data_dir is not None:
        env["DERMADESK_DATA_DIR"] = str(data_dir)
    return env


def _cli(*argv: str) -> tuple[int, str, str, bool]:
    """Run a command in this process: (exit code, stdout, stderr, escaped with a traceback)."""
    from dermadesk.main import main  # the one entry point (dermadesk.cli has no main)

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except BaseException as exc:  # noqa: BLE001 - anything escaping the CLI is a traceback for a user
            return 1, out.getvalue(), f"{type(exc).__name__}: {exc}", True
    return code, out.getvalue(), err.getvalue(), "Traceback" in err.getvalue()


def _state(data_dir: Path) -> tuple[bool, int, list[str]]:
    """(register passes db check, captures, patient MRNs)."""
    with Register(data_dir) as reg:
        report = check_register(reg)
        captures = int(reg.database.one("SELECT count(*) FROM captures")[0])
        mrns = sorted(r[0] for r in reg.database.query("SELECT mrn FROM patients"))
    return report.ok, captures, mrns


def _wait_for_captures(data_dir: Path, target: int, proc: subprocess.Popen) -> int:
    """Poll the register (read-only) until it holds ``target`` captures or the process ends; the count seen."""
    import sqlite3

    count = 0
    while proc.poll() is None:
        conn = sqlite3.connect(f"file:{(data_dir / 'register.sqlite3').as_posix()}?mode=ro", uri=True, timeout=5)
        try:
            count = int(conn.execute("SELECT count(*) FROM captures").fetchone()[0])
        except sqlite3.Error:
            pass
        finally:
            conn.close()
        if count >= target:
            break
        time.sleep(0.01)
    return count


def crash_trials(root: Path, n: int, rng: np.random.Generator) -> Tally:
    """SIGKILL a batch import at a random moment; committed captures must survive, intact."""
    tally = Tally()
    batch = root / "batch"
    batch.mkdir()
    for i in range(24):
        (batch / f"img_{i:02d}.jpg").write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=i), 480, 360)))
    data_dir = root / "crash"
    with Register(data_dir) as reg:
        lesion = reg.lesions.add("bench", reg.patients.add("bench", "CR-1", "Crash Trial").id, "head/neck")
    before = 0
    for _ in range(n):
        proc = subprocess.Popen([sys.executable, "-m", "dermadesk", "capture", "add", "--lesion", str(lesion.id),
                                 "--no-assess", str(batch)], env=_env(data_dir), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        # kill mid-import: once a random number of this run's captures are committed, after a random delay
        seen = _wait_for_captures(data_dir, before + int(rng.integers(1, 20)), proc)
        time.sleep(float(rng.uniform(0.0, 0.15)))
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        tally.trials += 1
        tally.tracebacks += b"Traceback" in err
        if proc.returncode != -signal.SIGKILL:
            tally.notes.append(f"crash: the import ended (exit {proc.returncode}) before the kill")
        ok, captures, _ = _state(data_dir)
        tally.integrity_errors += not ok
        tally.lost_captures += max(0, max(before, seen) - captures)  # committed before the kill, gone after
        with Register(data_dir) as reg:  # every committed capture holds exactly its file's bytes
            for c in reg.captures.for_lesion(lesion.id):
                if reg.images.read(c.image_sha256, verify=False) != (batch / c.original_name).read_bytes():
                    tally.lost_captures += 1
        before = captures
    _, _, _, tb = _cli("db", "check", "--clean", "--data-dir", str(data_dir))
    tally.tracebacks += tb
    tally.notes.append(f"crash: {before} captures committed over {n} kills")
    return tally


def _count_moves(archive: Path, target0: Path, scratch: Path) -> int:
    """How many renames a restore of ``archive`` over a copy of ``target0`` makes (one trial per rename)."""
    import dermadesk.storage.restore as restore_module

    subprocess.run(["cp", "-a", str(target0), str(scratch)], check=True)
    original, calls = restore_module._move, [0]

    def counting(src: Path, dst: Path) -> None:
        calls[0] += 1
        original(src, dst)

    restore_module._move = counting
    try:
        restore_module.restore(archive, scratch)
    finally:
        restore_module._move = original
    return calls[0]


def restore_trials(root: Path) -> Tally:
    """Kill ``restore`` while staging and at every rename of its switch; the next open must hold either the
    old data (killed before the switch) or the restored data (after), never an empty register."""
    tally = Tally()
    source, target0 = root / "restore-src", root / "restore-old"
    backup_captures = fill_register(source, patients=2, captures=2, seed=1)
    archive = root / "restore.zip"
    backup(source, archive)
    old_captures = fill_register(target0, patients=3, captures=1, seed=2)
    _, _, backup_mrns = _state(source)
    _, _, old_mrns = _state(target0)
    moves = _count_moves(archive, target0, root / "restore-count")
    plans = [("copy", 2)] + [("move", k) for k in range(1, moves + 2)]
    for which, at in plans:
        target = root / f"restore-{which}-{at}"
        subprocess.run(["cp", "-a", str(target0), str(target)], check=True)
        proc = subprocess.run([sys.executable, "-c", KILL_AT_MOVE, str(archive), str(target), which, str(at)],
                              env=_env(), capture_output=True, timeout=300, check=False)
        tally.trials += 1
        tally.tracebacks += b"Traceback" in proc.stderr
        killed = proc.returncode == -signal.SIGKILL
        if killed != (which == "copy" or at <= moves):
            tally.integrity_errors += 1
            tally.notes.append(f"restore at {which} {at}: exit {proc.returncode} {proc.stderr[-300:]!r}")
        want = old_mrns if which == "copy" else backup_mrns  # the journal is written before the first rename
        code, out, err, tb = _cli("patient", "list", "--json", "--data-dir", str(target))
        tally.tracebacks += tb
        if code != 0:
            tally.integrity_errors += 1
            tally.notes.append(f"restore killed at {which} {at}: {err.strip()}")
            continue
        mrns = sorted(p["mrn"] for p in json.loads(out))
        ok, captures, _ = _state(target)
        tally.integrity_errors += not ok
        expected = backup_captures if mrns == backup_mrns else old_captures if mrns == old_mrns else None
        if expected is None or mrns != want:
            tally.lost_captures += max(backup_captures, old_captures)
            tally.notes.append(f"restore killed at {which} {at}: patients {mrns}")
        else:
            tally.lost_captures += max(0, expected - captures)
    return tally


def concurrency_trials(root: Path, n: int, processes: int) -> Tally:
    """Several ``patient add`` processes started together on a new data directory: no errors, none lost."""
    tally = Tally()
    for t in range(n):
        data_dir = root / f"first-open-{t}"
        procs = [subprocess.Popen([sys.executable, "-m", "dermadesk", "patient", "add", "--mrn", f"C-{t}-{i}",
                                   "--name", f"Concurrent {i}"], env=_env(data_dir), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE) for i in range(processes)]
        errors = [p.communicate(timeout=300)[1] for p in procs]
        tally.trials += 1
        tally.tracebacks += sum(b"Traceback" in e for e in errors)
        failed = [e.decode(errors="replace").strip() for p, e in zip(procs, errors) if p.returncode != 0]
        tally.notes += [f"first open trial {t}: {f[-200:]}" for f in failed]
        ok, _, mrns = _state(data_dir)
        tally.integrity_errors += not ok
        tally.lost_captures += processes - len(mrns)  # here: lost patient rows
    return tally


def archive_trials(root: Path) -> Tally:
    """Every crafted archive refused in one line, the register untouched; the empty one only with --force."""
    tally = Tally()
    good_src, empty_src = root / "good-src", root / "empty-src"
    fill_register(good_src, patients=2, captures=2, seed=3)
    Register(empty_src).close()
    backup(good_src, root / "good.zip")
    backup(empty_src, root / "empty.zip")
    for name, (archive, force_ok) in crafted_archives(root / "good.zip", root / "empty.zip", root / "crafted").items():
        data_dir = root / f"archive-{name}"
        captures = fill_register(data_dir, patients=2, captures=1, seed=4)
        _, _, mrns = _state(data_dir)
        # --yes: not asked (no terminal here), so the archive's own checks are what refuses it
        code, _, err, tb = _cli("restore", str(archive), "--yes", "--data-dir", str(data_dir))
        tally.trials += 1
        tally.tracebacks += tb
        if code == 0 or err.count("\n") != 1:
            tally.integrity_errors += 1
            tally.notes.append(f"crafted {name}: exit {code}, {err.strip()[:200]!r}")
        ok, now, mrns_now = _state(data_dir)
        tally.integrity_errors += not ok
        tally.lost_captures += max(0, captures - now) + (mrns_now != mrns)
        if force_ok:
            code, _, err, tb = _cli("restore", str(archive), "--force", "--yes", "--data-dir", str(data_dir))
            tally.tracebacks += tb
            if code != 0:
                tally.notes.append(f"crafted {name} with --force: {err.strip()}")
                tally.integrity_errors += 1
    escaped = [p for p in (root / "escaped.txt", Path("/tmp/dermadesk-escaped.txt")) if p.exists()]
    tally.integrity_errors += len(escaped)
    return tally


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dermadesk.bench.faults", description=__doc__.split("\n\n")[0])
    parser.add_argument("--crash", type=int, default=10, help="SIGKILLs during a batch import")
    parser.add_argument("--concurrency", type=int, default=5, help="trials of processes on a new directory")
    parser.add_argument("--processes", type=int, default=4, help="processes per concurrency trial")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=["crash", "restore", "concurrency", "archives"], action="append")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    total = Tally()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dermadesk-faults-") as tmp:
        root = Path(tmp)
        runs = {"crash": lambda: crash_trials(root, args.crash, rng), "restore": lambda: restore_trials(root),
                "concurrency": lambda: concurrency_trials(root, args.concurrency, args.processes),
                "archives": lambda: archive_trials(root)}
        for name in args.only or list(runs):
            t = time.perf_counter()
            tally = runs[name]()
            total.add(tally)
            print(f"{name:<12} trials {tally.trials:>3}  integrity errors {tally.integrity_errors}  lost captures "
                  f"{tally.lost_captures}  tracebacks {tally.tracebacks}  ({time.perf_counter() - t:.0f} s)",
                  flush=True)
    for note in total.notes:
        print(f"  {note}")
    print(f"trials: {total.trials}\nintegrity errors: {total.integrity_errors}\nlost captures: "
          f"{total.lost_captures}\ntracebacks: {total.tracebacks}\n({time.perf_counter() - t0:.0f} s)")
    return 0 if not (total.integrity_errors or total.lost_captures or total.tracebacks) else 1


if __name__ == "__main__":
    sys.exit(main())
