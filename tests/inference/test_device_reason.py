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
    assert none.status_text == "processor (no graphics card support found)"
    monkeypatch.setattr(s, "available_providers", lambda: ["CPUExecutionProvider"])
    assert s.cpu_why("auto") == "no CUDA GPU support in this build"
    monkeypatch.setattr(s, "available_providers", lambda: [s.CUDA, "CPUExecutionProvider"])
    monkeypatch.setattr(s, "cuda_provider_library", lambda: None)
    assert s.cpu_why("gpu") == "GPU pack not installed"
    monkeypatch.setattr(s, "cuda_provider_library", lambda: "libonnxruntime_providers_cuda.so")
    assert s.cpu_why("auto") == "no CUDA GPU found" and s.cpu_why("cpu") == "chosen in Settings"
