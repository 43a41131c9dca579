"""training.lease: data in parts that fit a lent machine's calls, runs that outlive a call, members home."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch", reason="needs the train extra (torch)")
pytest.importorskip("timm", reason="needs the train extra (timm)")

from tests.training.test_training import make_dataset  # noqa: E402
from training.__main__ import main as training_main  # noqa: E402
from training.lease import MiB, collect, merge, pack, progress, start, unpack, wait  # noqa: E402
from training.ship import ship  # noqa: E402

pytestmark = pytest.mark.training


def packed(tmp_path: Path, part_mb: float, call_mb: float) -> tuple[Path, Path, dict]:
    data = make_dataset(tmp_path / "ham")
    work = tmp_path / "work"
    assert training_main(["prepare", "--data", str(data), "--out", str(work), "--held-out", ""]) == 0
    out = tmp_path / "gpu"
    plan = pack([data], work / "split.json", out, "efficientnet_lite0", part_mb, call_mb)
    return data, out, plan


def test_pack_splits_into_parts_that_fit_each_call_and_unpack_restores_every_byte(tmp_path: Path) -> None:
    data, out, plan = packed(tmp_path, part_mb=0.03, call_mb=0.1)
    assert len(plan["parts"]) >= 3 and all(p["bytes"] <= 0.04 * MiB for p in plan["parts"])
    for call in plan["calls"]:  # the weights file is larger than a call: it goes alone
        assert len(call) == 1 or sum((out / n).stat().st_size for n in call) <= 0.1 * MiB
    assert sorted(n for c in plan["calls"] for n in c) == sorted(
        [p["file"] for p in plan["parts"]] + ["split.json", "efficientnet_lite0_fp16.pth"]
    )
    weights = torch.load(out / "efficientnet_lite0_fp16.pth", weights_only=True)
    assert all(v.dtype == torch.float16 for v in weights.values() if v.is_floating_point())
    # call by call: the carried folder holds only that call's files (the tree is synced anew each call)
    dest = tmp_path / "device_tmp"
    for i, call in enumerate(plan["calls"]):
        carried = tmp_path / f"call{i}"
        carried.mkdir()
        shutil.copyfile(out / "plan.json", carried / "plan.json")
        for name in call:
            shutil.copyfile(out / name, carried / name)
        complete = unpack(carried, dest)
        assert complete == (i == len(plan["calls"]) - 1)
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        assert (dest / "data" / "ham" / path.relative_to(data)).read_bytes() == path.read_bytes()
    with pytest.raises(SystemExit, match="already running|unpacked"):
        (dest / ".unpacked-split.json").unlink()
        start(dest, [1], [])


def test_parallel_lanes_run_at_once_and_each_lane_in_turn(tmp_path: Path) -> None:
    _, out, _ = packed(tmp_path, part_mb=1.0, call_mb=64.0)
    dest = tmp_path / "device_tmp"
    assert unpack(out, dest)
    # a stand-in for the interpreter that notes when each run starts and ends (no training needed here); run 1
    # ends only once run 2 has started (or after a minute): run one after the other, 2 would start after 1 ended
    stamps = tmp_path / "stamps.txt"
    fake = tmp_path / "fake-python"
    fake.write_text(
        '#!/bin/sh\nseed=$(echo "$@" | sed "s/.*--seed \\([0-9]*\\).*/\\1/")\n'
        f'echo "start $seed" >> {stamps}\n'
        f'i=0; while [ "$seed" = 1 ] && [ $i -lt 1200 ] && ! grep -q "start 2" {stamps}\n'
        "do sleep 0.05; i=$((i+1)); done\n"
        f'echo "end $seed" >> {stamps}\n'
    )
    fake.chmod(0o755)
    start(dest, [1, 2, 3, 4], [], python=str(fake), parallel=2)
    assert wait(dest, seconds=300, every=0.2)
    order = stamps.read_text().splitlines()
    assert sorted(order) == sorted(f"{what} {seed}" for what in ("start", "end") for seed in "1234")
    assert all((dest / "runs" / f"s{s}.exit").read_text().strip() == "0" for s in range(1, 5))
    # lanes [1, 3] and [2, 4]: 2 started while 1 ran; 3 starts only after 1 ended, 4 after 2
    assert order.index("start 2") < order.index("end 1")
    assert order.index("start 3") > order.index("end 1") and order.index("start 4") > order.index("end 2")


@pytest.mark.slow
def test_detached_runs_collected_in_parts_merged_and_shipped_as_one_model(tmp_path: Path) -> None:
    data, out, plan = packed(tmp_path, part_mb=1.0, call_mb=64.0)
    dest = tmp_path / "device_tmp"
    assert unpack(out, dest)
    train_args = ["--epochs", "1", "--size", "64", "--max-batches", "1", "--workers", "0", "--device", "cpu"]
    pid = start(dest, [1, 2], train_args, python=sys.executable)
    with pytest.raises(SystemExit, match="already running"):
        start(dest, [3], train_args)
    assert pid > 0 and wait(dest, seconds=900, every=1.0)
    lines = progress(dest)
    assert len(lines) == 2 and all("1 epochs" in line and "exit 0" in line for line in lines), lines
    home = tmp_path / "returned"
    files = collect(dest, home, max_mb=4.0)  # a Lite0 member in float16 is ~8 MB: returned in parts
    assert len(files) > 2 and all(f.stat().st_size <= 4 * MiB for f in files)
    members = merge([home], tmp_path / "members")
    assert [m.name for m in members] == ["member-s1.pt", "member-s2.pt"]
    ck = torch.load(members[0], weights_only=False)
    assert ck["config"]["seed"] == 1 and "optimizer" not in ck
    assert all(v.dtype == torch.float16 for v in ck["model"].values() if v.is_floating_point())
    (home / "member-s2.pt.part1").unlink()
    with pytest.raises(SystemExit, match="do not match"):
        merge([home], tmp_path / "broken")

    final = ship(
        members,
        str(dest / "data" / "ham"),
        dest / "split.json",
        tmp_path / "ship",
        "tiny-ens",
        "0.3",
        stability_images=8,
        ood_train_images=20,
        ood_max_train=40,
        ood_components=4,
    )
    from dermadesk.contract import ModelManifest

    manifest = ModelManifest.load(final / "tiny-ens.json")
    assert manifest.version == "0.3" and (final / manifest.onnx_file).is_file()
    assert manifest.provenance["ensemble"][1]["seed"] == 2
    evaluation = json.loads((tmp_path / "ship" / "evaluation" / "evaluation.json").read_text())
    assert "balanced_accuracy" in evaluation
    assert manifest.input.pose == "canonical"  # trained models now take the canonical pose by default

    # a new release of that model with another pose: same weights, refitted and measured again
    from training.rerelease import rerelease

    again, _ = rerelease(
        final / "tiny-ens.json",
        str(dest / "data" / "ham"),
        dest / "split.json",
        tmp_path / "rerelease",
        "0.4",
        "none",
        stability_images=8,
        ood_train_images=20,
    )
    newer = ModelManifest.load(again)
    assert newer.version == "0.4" and newer.input.pose == "none" and newer.sha256 == manifest.sha256
    assert newer.provenance["released_from"] == "tiny-ens 0.3" and newer.evaluation.stability
    card = (again.parent / newer.model_card).read_text()
    assert "## Version 0.4: what changed from 0.3" in card and "tier changed under quarter turns" in card


def test_a_collected_member_keeps_its_best_weights_and_the_whole_runs_history(tmp_path: Path) -> None:
    run = tmp_path / "gw" / "runs" / "s7"
    run.mkdir(parents=True)
    history = [{"epoch": e, "val_score": score, "seconds": 40.0} for e, score in enumerate((0.5, 0.7, 0.6, 0.65))]
    best = {
        "config": {"seed": 7},
        "epoch": 1,
        "best": 0.7,
        "history": history[:2],
        "optimizer": {"lr": 1.0},
        "model": {"w": torch.ones(3, dtype=torch.float32), "steps": torch.tensor(5)},
    }
    torch.save(best, run / "best.pt")
    torch.save({**best, "epoch": 3, "history": history, "model": {"w": torch.zeros(3)}}, run / "last.pt")
    collect(tmp_path / "gw", tmp_path / "out")
    ck = torch.load(tmp_path / "out" / "member-s7.pt", weights_only=False)
    assert ck["epoch"] == 1 and ck["best"] == 0.7 and torch.equal(ck["model"]["w"], torch.ones(3).half())
    assert ck["model"]["steps"].dtype == torch.int64 and "optimizer" not in ck
    assert [h["epoch"] for h in ck["history"]] == [0, 1, 2, 3]  # epochs run: 4, the best of them the second
