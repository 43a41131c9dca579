"""Train the bundled model on a lent GPU machine, and bring the result home (``python -m training.lease``).

A lent machine (see the team's device tool) receives only the working tree, at most 64 MiB a call, keeps
nothing between sessions and deletes, on every call, whatever the tree does not hold; only its /tmp survives
between the calls of one lease. So:

1. here: ``pack`` writes the data sets (original files, stored uncompressed in zips), the split and the
   ImageNet weights (float16) into an ignored folder, in parts that fit beside the tree, and prints which
   parts each call carries;
2. there, call by call: ``unpack`` (into /tmp/gw), then ``start`` (training runs, one seed after the other,
   in a detached process session so that it outlives the call), ``wait`` (progress until done or a time
   limit), ``collect`` (each member's best weights, float16, into $OUT);
3. here: ``merge`` the returned files, ``ship`` (ensemble, calibrate, evaluate, export, refit the OOD
   check) and copy the export into models/ in the same session: nothing left in an ignored folder
   survives the session.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

MiB = 1024 * 1024
PLAN = "plan.json"


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def pack(data: list[Path], split: Path, out: Path, architecture: str, part_mb: float, call_mb: float) -> dict:
    """Zip ``data`` folders into parts of at most ``part_mb``; split, weights and a plan beside them."""
    import torch

    from training.model import packaged_weights

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part*.zip"):
        old.unlink()
    parts: list[dict] = []
    current: zipfile.ZipFile | None = None
    size = 0
    for folder in data:
        for path in _files(folder):
            arcname = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            length = path.stat().st_size
            if current is None or (size + length > part_mb * MiB and size > 0):
                if current is not None:
                    current.close()
                name = f"part{len(parts) + 1}.zip"
                current, size = zipfile.ZipFile(out / name, "w", zipfile.ZIP_STORED), 0
                parts.append({"file": name})
            current.write(path, arcname)  # stored: the original bytes, no re-encoding
            size += length + 100
    if current is not None:
        current.close()
    extras = [out / "split.json"]
    shutil.copyfile(split, extras[0])
    weights = packaged_weights(architecture)
    if weights is not None:
        state = torch.load(weights, map_location="cpu", weights_only=True)
        half = {k: v.half() if v.is_floating_point() else v for k, v in state.items()}
        extras.append(out / f"{architecture}_fp16.pth")
        torch.save(half, extras[-1])
    for part in parts:
        part["bytes"] = (out / part["file"]).stat().st_size
    files = [(p["file"], p["bytes"]) for p in parts] + [(e.name, e.stat().st_size) for e in extras]
    calls: list[list[str]] = []
    room: list[float] = []
    for name, length in sorted(files, key=lambda f: -f[1]):  # first fit, largest first
        for i, left in enumerate(room):
            if length <= left:
                calls[i].append(name)
                room[i] -= length
                break
        else:
            calls.append([name])
            room.append(call_mb * MiB - length)
    plan = {
        "data": [f.name for f in data],
        "parts": parts,
        "architecture": architecture,
        "weights": extras[1].name if weights is not None else None,
        "calls": calls,
    }
    (out / PLAN).write_text(json.dumps(plan, indent=1), encoding="utf-8")
    return plan


def unpack(src: Path, dest: Path) -> bool:
    """Extract the parts present in ``src`` (once each) and copy the other files; True when all are there."""
    plan = json.loads((src / PLAN).read_text(encoding="utf-8"))
    (dest / "data").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / PLAN, dest / PLAN)
    for path in sorted(src.iterdir()):
        marker = dest / f".unpacked-{path.name}"
        if path.name == PLAN or marker.exists():
            continue
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                zf.extractall(dest / "data")
        else:
            shutil.copyfile(path, dest / path.name)
        marker.touch()
    missing = not_unpacked(dest, plan)
    print(f"unpacked into {dest}; still missing: {missing or 'nothing'}")
    return not missing


def not_unpacked(dest: Path, plan: dict) -> list[str]:
    """The files of the plan's calls not yet unpacked into ``dest``."""
    return [name for call in plan["calls"] for name in call if not (dest / f".unpacked-{name}").exists()]


def member_command(dest: Path, plan: dict, seed: int, args: list[str], python: str) -> list[str]:
    data = ",".join(str(dest / "data" / name) for name in plan["data"])
    cmd = [
        python,
        "-m",
        "training",
        "train",
        "--data",
        data,
        "--split",
        str(dest / "split.json"),
        "--out",
        str(dest / "runs" / f"s{seed}"),
        "--seed",
        str(seed),
        "--arch",
        plan["architecture"],
    ]
    if plan["weights"]:
        cmd += ["--weights", str(dest / plan["weights"])]
    return cmd + args


def start(dest: Path, seeds: list[int], train_args: list[str], python: str = sys.executable, parallel: int = 1) -> int:
    """Train one member per seed, detached from this call (its own process session).

    ``parallel`` runs go at once (seeds dealt round-robin into that many lanes, each lane one run after the
    other): a lent GPU is often fed faster by two runs than by one whose data loading holds it back.
    """
    plan = json.loads((dest / PLAN).read_text(encoding="utf-8"))
    missing = not_unpacked(dest, plan)
    if missing:
        raise SystemExit(f"not all parts are unpacked yet: {missing}")
    pid_file = dest / "jobs.pid"
    if pid_file.exists() and _alive(int(pid_file.read_text())):
        raise SystemExit(f"training is already running (pid {pid_file.read_text()})")
    (dest / "logs").mkdir(exist_ok=True)
    lanes = max(1, min(parallel, len(seeds)))
    lines = ["set -u", f"cd {shlex.quote(str(Path.cwd()))}"]
    for lane in range(lanes):
        runs = []
        for seed in seeds[lane::lanes]:
            cmd = shlex.join(member_command(dest, plan, seed, train_args, python))
            run = dest / "runs" / f"s{seed}"
            runs.append(f"{cmd} > {dest / 'logs' / f's{seed}.log'} 2>&1; echo $? > {run}.exit")
        lines.append("(\n" + "\n".join(runs) + "\n) &")
    lines += ["wait", f"touch {dest / 'all.done'}"]
    (dest / "runs").mkdir(exist_ok=True)
    (dest / "all.done").unlink(missing_ok=True)
    script = dest / "jobs.sh"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.Popen(
        ["bash", str(script)],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    pid_file.write_text(str(proc.pid))
    print(f"started seeds {seeds}, {lanes} at a time (pid {proc.pid}); logs in {dest / 'logs'}")
    return proc.pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    try:  # a finished child of this process stays a zombie until reaped
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return True


def progress(dest: Path) -> list[str]:
    """One line per seed: epochs done, last and best validation score, seconds per epoch, exit code."""
    out = []
    for log in sorted((dest / "logs").glob("s*.log")):
        epochs = []
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith('{"epoch"'):
                epochs.append(json.loads(line))
        exit_file = dest / "runs" / f"{log.stem}.exit"
        state = f"exit {exit_file.read_text().strip()}" if exit_file.exists() else "running"
        if epochs:
            best = max(e["val_score"] for e in epochs)
            out.append(
                f"{log.stem}: {len(epochs)} epochs, last {epochs[-1]['val_score']:.3f}, best {best:.3f}, "
                f"{epochs[-1]['seconds']:.0f} s/epoch, {state}"
            )
        else:
            out.append(f"{log.stem}: no epoch yet, {state}; log tail: {log.read_text()[-300:]!r}")
    return out


def wait(dest: Path, seconds: float, every: float = 20.0) -> bool:
    """Print progress when it changes until all runs end or ``seconds`` pass; True when all ended."""
    deadline, shown = time.monotonic() + seconds, None
    while True:
        done = (dest / "all.done").exists()
        lines = progress(dest)
        if lines != shown:
            print(time.strftime("%H:%M:%S"), *lines, sep="\n  ", flush=True)
            shown = lines
        if done or time.monotonic() >= deadline:
            return done
        time.sleep(min(every, max(0.0, deadline - time.monotonic())))


def stop(dest: Path) -> None:
    pid_file = dest / "jobs.pid"
    if pid_file.exists() and _alive(int(pid_file.read_text())):
        os.killpg(int(pid_file.read_text()), signal.SIGTERM)


def collect(dest: Path, out: Path, max_mb: float = 15.5) -> list[Path]:
    """Each run's best weights (float16, no optimiser state) and whole history into ``out``, split where over
    ``max_mb``."""
    import torch

    out.mkdir(parents=True, exist_ok=True)
    written, summary = [], {}
    for best in sorted((dest / "runs").glob("s*/best.pt")):
        ck = torch.load(best, map_location="cpu", weights_only=False)
        slim = {k: ck[k] for k in ("config", "epoch", "best", "history", "classes") if k in ck}
        last = best.parent / "last.pt"  # best.pt's history stops at the best epoch; the run's goes on to its end
        if last.exists():
            whole = torch.load(last, map_location="cpu", weights_only=False)
            slim["history"] = whole.get("history", slim.get("history"))
        slim["model"] = {k: v.half() if v.is_floating_point() else v for k, v in ck["model"].items()}
        name = f"member-{best.parent.name}.pt"
        tmp = dest / name
        torch.save(slim, tmp)
        blob = tmp.read_bytes()
        summary[name] = {"sha256": hashlib.sha256(blob).hexdigest(), "epoch": ck["epoch"], "best": ck["best"]}
        step = int(max_mb * MiB)
        chunks = [blob[i : i + step] for i in range(0, len(blob), step)]
        for i, chunk in enumerate(chunks):
            target = out / (name if len(chunks) == 1 else f"{name}.part{i}")
            target.write_bytes(chunk)
            written.append(target)
    (out / "members.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(json.dumps(summary, indent=1))
    return written


def merge(sources: list[Path], out: Path) -> list[Path]:
    """Join the returned files (parts in order) into ``out`` and check them against members.json."""
    out.mkdir(parents=True, exist_ok=True)
    summary: dict = {}
    found: dict[str, list[Path]] = {}
    for src in sources:
        if (src / "members.json").exists():
            summary.update(json.loads((src / "members.json").read_text(encoding="utf-8")))
        for path in src.glob("member-*.pt*"):
            found.setdefault(path.name.split(".pt")[0] + ".pt", []).append(path)
    merged = []
    for name, paths in sorted(found.items()):
        paths.sort(key=lambda p: int(p.suffix[5:]) if p.suffix.startswith(".part") else 0)
        blob = b"".join(p.read_bytes() for p in paths)
        expected = summary.get(name, {}).get("sha256")
        if expected and hashlib.sha256(blob).hexdigest() != expected:
            raise SystemExit(f"{name}: joined parts do not match members.json (a part missing?)")
        (out / name).write_bytes(blob)
        merged.append(out / name)
    print(f"merged {[p.name for p in merged]} into {out}")
    return merged


def main(argv: list[str] | None = None) -> int:
    from training.export import WEIGHT_STORAGES

    p = argparse.ArgumentParser(
        prog="python -m training.lease", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("pack", help="data, split and weights in parts for the calls (here)")
    s.add_argument("--data", required=True, help="comma-separated data folders (each is zipped whole)")
    s.add_argument("--split", required=True)
    s.add_argument("--out", required=True, help="an ignored folder of the repository, e.g. gpu/")
    s.add_argument("--arch", default="efficientnet_lite2")
    s.add_argument("--part-mb", type=float, default=30.0)
    s.add_argument("--call-mb", type=float, default=36.0, help="room beside the working tree in one call")
    s = sub.add_parser("unpack", help="extract the carried parts (there)")
    s.add_argument("--src", required=True)
    s.add_argument("--dest", default="/tmp/gw")
    s = sub.add_parser("start", help="train one member per seed, detached (there); after --, train options")
    s.add_argument("--dest", default="/tmp/gw")
    s.add_argument("--seeds", type=int, nargs="+", required=True)
    s.add_argument("--parallel", type=int, default=1, help="runs at once (default one after the other)")
    s.add_argument("train_args", nargs=argparse.REMAINDER)
    s = sub.add_parser("wait", help="show progress until the runs end or SECONDS pass (there)")
    s.add_argument("--dest", default="/tmp/gw")
    s.add_argument("--seconds", type=float, default=540)
    s = sub.add_parser("stop", help="end the runs (there)")
    s.add_argument("--dest", default="/tmp/gw")
    s = sub.add_parser("collect", help="best weights of each run, float16, into OUT (there)")
    s.add_argument("--dest", default="/tmp/gw")
    s.add_argument("--out", required=True)
    s = sub.add_parser("merge", help="join the returned files (here)")
    s.add_argument("--src", nargs="+", required=True)
    s.add_argument("--out", required=True)
    s = sub.add_parser("ship", help="ensemble, calibrate, evaluate, export, refit OOD (here)")
    s.add_argument("--members", nargs="+", required=True)
    s.add_argument("--data", required=True)
    s.add_argument("--split", required=True)
    s.add_argument("--work", required=True)
    s.add_argument("--name", required=True)
    s.add_argument("--version", required=True)
    s.add_argument("--tta", default="flip")
    s.add_argument("--stability-images", type=int, default=300)
    s.add_argument("--ood-train-images", type=int, default=800)
    s.add_argument("--ood-max-train", type=int, default=6000)
    s.add_argument("--weights-storage", choices=WEIGHT_STORAGES, default="float16",
                   help="int8 (per output channel) for ensembles that would pass the 40 MB file budget as float16")
    a = p.parse_args(argv)
    if a.command == "pack":
        plan = pack([Path(d) for d in a.data.split(",")], Path(a.split), Path(a.out), a.arch, a.part_mb, a.call_mb)
        for i, call in enumerate(plan["calls"], 1):
            print(f"call {i}: carry " + " ".join(f"{a.out.rstrip('/')}/{n}" for n in call))
    elif a.command == "unpack":
        unpack(Path(a.src), Path(a.dest))
    elif a.command == "start":
        start(Path(a.dest), a.seeds, [x for x in a.train_args if x != "--"], parallel=a.parallel)
    elif a.command == "wait":
        return 0 if wait(Path(a.dest), a.seconds) else 3
    elif a.command == "stop":
        stop(Path(a.dest))
    elif a.command == "collect":
        collect(Path(a.dest), Path(a.out))
    elif a.command == "merge":
        merge([Path(s) for s in a.src], Path(a.out))
    else:
        from training.ship import ship

        final = ship(
            [Path(m) for m in a.members],
            a.data,
            Path(a.split),
            Path(a.work),
            a.name,
            a.version,
            a.tta,
            stability_images=a.stability_images,
            ood_train_images=a.ood_train_images,
            ood_max_train=a.ood_max_train,
            weights_storage=a.weights_storage,
        )
        print(f"shipped model in {final}: copy its files into models/ (and remove the old model's) and commit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
