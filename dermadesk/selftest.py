"""``dermadesk self-test``: exercise the whole program in a temporary data directory.

Creates a register, imports generated images, assesses them with the model the app would use (the bundled one
unless another is installed), compares two captures, writes a PDF report, opens and closes the main window; prints
each check and the device.
Exit 0 when everything worked, 1 with the reason otherwise. Also runs inside the frozen build.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Callable


def _step(name: str, fn: Callable[[], str | None], log: list[str]) -> None:
    t0 = time.perf_counter()
    detail = fn()
    line = f"ok   {name} ({(time.perf_counter() - t0) * 1000:.0f} ms)" + (f": {detail}" if detail else "")
    print(line, flush=True)
    log.append(line)


def run(keep: str | None = None, skip_gui: bool = False) -> int:
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    t_start = time.perf_counter()
    temp = tempfile.TemporaryDirectory(prefix="dermadesk-selftest-")
    data_dir = Path(keep) if keep else Path(temp.name)
    log: list[str] = []
    state: dict[str, object] = {}
    try:
        from dermadesk import __version__
        from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
        from dermadesk.config import Settings
        from dermadesk.domain.text import signed, size_text
        from dermadesk.inference.engine import open_assessor
        from dermadesk.services.assessment import assess_fn
        from dermadesk.services.captures import CaptureMeta, import_capture
        from dermadesk.services.explain import tier_chances
        from dermadesk.services.reports import write_lesion_report
        from dermadesk.services.tracking import compare_captures
        from dermadesk.storage.check import check_register
        from dermadesk.storage.register import Register

        print(f"DermaDesk {__version__} self-test in {data_dir}", flush=True)
        reg = Register(data_dir)
        state["reg"] = reg

        def model() -> str:
            assessor = open_assessor(data_dir, None, "auto")
            state["assessor"] = assessor
            choice = assessor.choice
            text = f"{assessor.entry.key}, device {choice.device_label} ({choice.provider})"
            if choice.note:
                text += f"; {choice.note}"
            if choice.warning:
                text += f"; WARNING {choice.warning}"
            return text

        def register_() -> str:
            p = reg.patients.add("self-test", "SELFTEST-1", "Self Test (synthetic)", "1970-01-01", "other")
            state["lesion"] = reg.lesions.add("self-test", p.id, "posterior torso", "self-test", "monitoring",
                                              "back", 0.5, 0.3).id
            return f"patient {p.id}, lesion {state['lesion']}"

        def import_() -> str:
            ids = []
            for scale, date in ((1.0, "2025-01-01"), (1.3, "2025-03-01")):
                data = jpeg_bytes(synthetic_lesion(LesionSpec(seed=5, scale=scale)))
                cap, a = import_capture(reg, "self-test", int(state["lesion"]), data, "selftest.jpg",
                                        CaptureMeta(taken_at=date, mm_per_px=0.02), assess_fn(state["assessor"]))
                if a is None or abs(sum(a.probabilities.values()) - 1) > 1e-6:
                    raise RuntimeError("assessment missing or probabilities do not sum to 1")
                ids.append(cap.id)
            state["captures"] = ids
            a = reg.assessments.latest(ids[-1])
            if not a.assessable:  # as the app, CLI and reports: no class or probability the model cannot back
                return "2 captures assessed; latest: not assessable (synthetic image: " + \
                    ", ".join(a.status_reasons)[:80] + "); no class or probability shown, as in the app"
            thresholds = state["assessor"].entry.manifest.thresholds  # type: ignore[attr-defined]
            malignant = "no malignant probability" if a.malignant_probability is None else \
                f"malignant {tier_chances(a, thresholds)[0]}"  # as the app, CLI and reports write it ("6.9%")
            return f"2 captures assessed; latest: {a.top_class}, {malignant}, tier {a.risk_tier}"

        def compare_() -> str:
            row, result = compare_captures(reg, "self-test", *state["captures"])  # type: ignore[misc]
            if result.alignment is None or not result.alignment.ok:
                raise RuntimeError(f"registration failed: {result.reasons}")
            return f"{row.verdict}, area {signed(result.area_change_percent)}%"

        def report() -> str:
            out = write_lesion_report(reg, Settings(clinic_name="Self-test"), int(state["lesion"]),
                                      data_dir / "report.pdf")
            head = out.read_bytes()[:5]
            if head != b"%PDF-":
                raise RuntimeError("report is not a PDF")
            state["report"] = out
            return f"{out.name}, {size_text(out.stat().st_size)}"

        def check() -> str:
            r = check_register(reg)
            if not r.ok:
                raise RuntimeError(f"db check failed: {r.to_dict()}")
            return f"{r.captures_checked} captures verified"

        def window() -> str:
            from dermadesk.ui.app import open_and_close

            rows, platform = open_and_close(data_dir)
            if rows != 1:
                raise RuntimeError(f"main window listed {rows} patients, expected 1")
            return f"Qt platform {platform}"

        steps = [("load the assessing model", model), ("create register", register_), ("import and assess", import_),
                 ("compare captures", compare_), ("write PDF report", report), ("db check", check)]
        if not skip_gui:
            steps.append(("open and close main window", window))
        for name, fn in steps:
            _step(name, fn, log)
    except Exception as exc:  # noqa: BLE001 - any failure is the self-test's result
        print(f"FAIL {exc}", flush=True)
        traceback.print_exc()
        return 1
    finally:
        reg_obj = state.get("reg")
        if reg_obj is not None:
            reg_obj.close()  # type: ignore[attr-defined]
        if not keep:
            temp.cleanup()
    print(f"self-test passed: {len(log)} checks in {time.perf_counter() - t_start:.1f} s", flush=True)
    return 0
