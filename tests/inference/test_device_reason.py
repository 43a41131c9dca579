"""The status bar never says a bare "CPU": it says why the model runs there (#16), in the frozen build too."""

from __future__ import annotations

from dermadesk.inference import session as s


def test_status_text_says_why_cpu(monkeypatch) -> None:
    assert s.ProviderChoice(s.CUDA, "auto", None).status_text == "graphics card"
    assert s.ProviderChoice("CPUExecutionProvider", "cpu", None, cpu_why="chosen in Settings").status_text == (
        "processor (chosen in Settings)"
    )
    failed = s.ProviderChoice("CPUExecutionProvider", "auto", None, gpu_failed=True, cpu_why="no CUDA GPU found")
    assert failed.status_text == "processor (the graphics card could not be started)"  # plain words (#16) ...
    assert failed.technical_text == "CPU (CUDA provider could not start)"  # ... the technical ones for a tooltip
    none = s.ProviderChoice("CPUExecutionProvider", "auto", None, cpu_why="no CUDA GPU found")
    assert none.status_text == "processor (no suitable graphics card found)"
    monkeypatch.setattr(s, "available_providers", lambda: ["CPUExecutionProvider"])
    assert s.cpu_why("auto") == "no CUDA GPU support in this build"
    monkeypatch.setattr(s, "available_providers", lambda: [s.CUDA, "CPUExecutionProvider"])
    monkeypatch.setattr(s, "cuda_provider_library", lambda: None)
    assert s.cpu_why("gpu") == "GPU pack not installed"
    monkeypatch.setattr(s, "cuda_provider_library", lambda: "libonnxruntime_providers_cuda.so")
    assert s.cpu_why("auto") == "no CUDA GPU found" and s.cpu_why("cpu") == "chosen in Settings"


def test_no_nvidia_driver_is_not_a_failed_start(monkeypatch, tiny_model_dir) -> None:
    """A field laptop with no NVIDIA card runs on the processor as it should: the status bar must not read as a
    fault ("the graphics card could not be started", helper 43); with a driver present and CUDA failing, it does."""
    onnx = next(tiny_model_dir.glob("*.onnx"))
    monkeypatch.setattr(s, "available_providers", lambda: [s.CUDA, "CPUExecutionProvider"])
    monkeypatch.setattr(s, "cuda_provider_library", lambda: "libonnxruntime_providers_cuda.so")
    monkeypatch.setattr(s, "nvidia_driver_present", lambda: False)
    model = s.OnnxModel(onnx, "auto")
    if model.choice.provider == s.CUDA:  # a machine with a working GPU: nothing to say here
        return
    assert not model.choice.gpu_failed
    assert model.choice.status_text == "processor (no suitable graphics card found)"
    monkeypatch.setattr(s, "nvidia_driver_present", lambda: True)
    assert s.OnnxModel(onnx, "auto").choice.status_text == "processor (the graphics card could not be started)"
