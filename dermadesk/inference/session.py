"""ONNX Runtime session with a device setting (auto | cpu | gpu) and honest provider reporting."""

from __future__ import annotations

import logging
import sys
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
    gpu_failed: bool = False  # the CUDA provider is installed and was tried, but could not start
    cpu_why: str = ""  # short: why the session runs on the CPU ("" on the GPU)

    @property
    def device_label(self) -> str:
        return "CUDA (GPU)" if self.provider == CUDA else "CPU"

    @property
    def status_text(self) -> str:
        """For the status bar, in plain words: the device and, on the processor, why ("processor (no graphics
        card support found)"); a failed graphics card start is said out loud. The technical reason: ``note``."""
        if self.provider == CUDA:
            return "graphics card"
        why = "the graphics card could not be started" if self.gpu_failed else PLAIN_CPU_WHY.get(self.cpu_why,
                                                                                                   self.cpu_why)
        return f"processor ({why})" if why else "processor"

    @property
    def technical_text(self) -> str:
        """The same in technical words, for a tooltip or a log: "CPU (CUDA provider could not start)"."""
        if self.provider == CUDA:
            return self.device_label
        why = "CUDA provider could not start" if self.gpu_failed else self.cpu_why
        return f"CPU ({why})" if why else "CPU"


# the short technical reasons ``cpu_why`` gives, as a nurse reads them in the status bar
PLAIN_CPU_WHY = {
    "no CUDA GPU support in this build": "this version has no graphics card support",
    "GPU pack not installed": "graphics card support not installed",
    "no CUDA GPU found": "no suitable graphics card found",
}


def available_providers() -> list[str]:
    import onnxruntime as ort

    return list(ort.get_available_providers())


CUDA_LIBRARY = "onnxruntime_providers_cuda.dll" if sys.platform == "win32" else "libonnxruntime_providers_cuda.so"


def cuda_provider_library() -> Path | None:
    """onnxruntime's CUDA provider library, where installed (the installer ships it as a separate GPU pack)."""
    from onnxruntime import capi

    path = Path(capi.__file__).resolve().parent / CUDA_LIBRARY
    return path if path.is_file() else None


def nvidia_driver_present() -> bool:
    """An NVIDIA driver is installed (its CUDA driver library loads): without one, a processor session is what
    the machine can do, not a graphics card that failed to start."""
    import ctypes

    for name in ("nvcuda.dll",) if sys.platform == "win32" else ("libcuda.so.1", "libcuda.so"):
        try:
            ctypes.CDLL(name)
            return True
        except OSError:
            continue
    return False


def cpu_why(device: str) -> str:
    """The status bar's few words on why the CPU runs the model (the long form is ``cpu_reason``)."""
    if device == "cpu":
        return "chosen in Settings"
    if CUDA not in available_providers():
        return "no CUDA GPU support in this build"
    if cuda_provider_library() is None:
        return "GPU pack not installed"
    return "no CUDA GPU found"


def cpu_reason() -> str:
    """Why a GPU session is not possible or did not start, in words an administrator can act on."""
    if CUDA not in available_providers():
        return "this onnxruntime has no CUDA provider (CPU-only build)"
    if cuda_provider_library() is None:
        return (f"the GPU pack is not installed ({CUDA_LIBRARY} is missing beside onnxruntime; "
                "see README, Installer)")
    return "the CUDA provider could not start (no NVIDIA GPU or driver, or the CUDA 13 runtime and cuDNN are missing)"


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
        reason = cpu_reason() if active != CUDA else ""
        if device == "gpu" and active != CUDA:
            warning = f"GPU requested but not in use: {reason}; running on CPU"
        elif device == "auto" and active != CUDA:
            note = f"running on CPU: {reason}"
        gpu_failed = want_gpu and active != CUDA and cuda_provider_library() is not None and nvidia_driver_present()
        why = cpu_why(device) if active != CUDA else ""
        self.choice = ProviderChoice(active, device, warning, note, gpu_failed, why)
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
