"""ONNX Runtime session with a device setting (auto | cpu | gpu) and honest provider reporting."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dermadesk.contract import INPUT_NAME, OUTPUT_NAMES
from dermadesk.domain.errors import ModelError, ValidationError

log = logging.getLogger(__name__)
DEVICES = ("auto", "cpu", "gpu")
CUDA = "CUDAExecutionProvider"
CPU = "CPUExecutionProvider"


@dataclass(frozen=True)
class ProviderChoice:
    provider: str  # what is really running: CUDAExecutionProvider or CPUExecutionProvider
    requested: str  # the device setting
    warning: str | None  # set when the GPU was asked for (device "gpu") and is not in use
    note: str | None = None  # e.g. why "auto" is on the CPU although a GPU provider is installed

    @property
    def device_label(self) -> str:
        return "CUDA (GPU)" if self.provider == CUDA else "CPU"


def available_providers() -> list[str]:
    import onnxruntime as ort

    return list(ort.get_available_providers())


class OnnxModel:
    """One session, created once and reused; ``run`` takes an NCHW float32 batch."""

    def __init__(self, onnx_path: Path, device: str = "auto", threads: int = 0) -> None:
        import onnxruntime as ort

        if device not in DEVICES:
            raise ValidationError(f"unknown device {device!r}; use auto, cpu or gpu")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # ORT logs a failed CUDA load at error level on stderr; we report it as one warning instead
        ort.set_default_logger_severity(4)
        if threads:
            options.intra_op_num_threads = threads
        want_gpu = device in ("auto", "gpu") and CUDA in available_providers()
        providers = [CUDA, CPU] if want_gpu else [CPU]
        try:
            self.session = ort.InferenceSession(str(onnx_path), options, providers=providers)
        except Exception as exc:  # noqa: BLE001 - ORT raises its own exception types
            if want_gpu:
                log.warning("CUDA session failed (%s); retrying on CPU", exc)
                try:
                    self.session = ort.InferenceSession(str(onnx_path), options, providers=[CPU])
                except Exception as exc2:  # noqa: BLE001
                    raise ModelError(f"cannot load model {Path(onnx_path).name}: {exc2}") from None
            else:
                raise ModelError(f"cannot load model {Path(onnx_path).name}: {exc}") from None
        active = self.session.get_providers()[0]
        warning = note = None
        reason = ("the CUDA provider is not installed" if CUDA not in available_providers()
                  else "the CUDA provider could not start (no GPU, driver or CUDA runtime)")
        if device == "gpu" and active != CUDA:
            warning = f"GPU requested but not in use: {reason}; running on CPU"
        elif device == "auto" and active != CUDA:
            note = f"running on CPU: {reason}"
        self.choice = ProviderChoice(active, device, warning, note)
        self._check_signature()

    def _check_signature(self) -> None:
        inputs = self.session.get_inputs()
        outputs = [o.name for o in self.session.get_outputs()]
        if len(inputs) != 1 or inputs[0].name != INPUT_NAME:
            raise ModelError(f"model input must be one tensor named {INPUT_NAME!r}, got "
                             f"{[i.name for i in inputs]}")
        if tuple(outputs) != OUTPUT_NAMES:
            raise ModelError(f"model outputs {outputs} do not match the contract {list(OUTPUT_NAMES)}")

    def run(self, batch: np.ndarray) -> dict[str, np.ndarray]:
        values = self.session.run(list(OUTPUT_NAMES), {INPUT_NAME: np.ascontiguousarray(batch, np.float32)})
        return dict(zip(OUTPUT_NAMES, values))
