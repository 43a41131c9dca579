"""``db check``: SQLite integrity, foreign keys, every image present with its hash, orphan files."""

from __future__ import annotations

from dataclasses import dataclass, field

from dermadesk.storage.register import Register


@dataclass
class CheckReport:
    integrity: list[str] = field(default_factory=list)
    foreign_keys: list[str] = field(default_factory=list)
    missing_images: list[str] = field(default_factory=list)  # "capture 12: sha..."
    damaged_images: list[str] = field(default_factory=list)
    orphan_files: list[str] = field(default_factory=list)  # digests with no row; harmless, cleanable
    leftover_temp_files: list[str] = field(default_factory=list)
    captures_checked: int = 0
    cleaned: int = 0

    @property
    def ok(self) -> bool:
        """Orphan and temporary files are reported but do not fail the check."""
        return not (self.integrity or self.foreign_keys or self.missing_images or self.damaged_images)

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, **self.__dict__}


def check_register(register: Register, clean: bool = False) -> CheckReport:
    """Check the register; with ``clean`` delete orphan and temporary files (never referenced data)."""
    report = CheckReport()
    db = register.database
    result = [r[0] for r in db.query("PRAGMA integrity_check")]
    report.integrity = [] if result == ["ok"] else result
    report.foreign_keys = [f"{r[0]} row {r[1]} -> {r[2]}" for r in db.query("PRAGMA foreign_key_check")]
    referenced: dict[str, str] = {}
    for row in db.query("SELECT id, image_sha256 FROM captures"):
        referenced[row[1]] = f"capture {row[0]}"
    for row in db.query("SELECT id, cam_sha256 FROM assessments WHERE cam_sha256 IS NOT NULL"):
        referenced.setdefault(row[1], f"assessment {row[0]} heat map")
    for sha, owner in referenced.items():
        if not register.images.exists(sha):
            report.missing_images.append(f"{owner}: {sha}")
        elif not register.images.verify(sha):
            report.damaged_images.append(f"{owner}: {sha}")
        report.captures_checked += owner.startswith("capture")
    report.orphan_files = sorted(sha for sha in register.images if sha not in referenced)
    report.leftover_temp_files = [str(p) for p in register.images.leftovers()]
    if clean:
        for sha in report.orphan_files:
            register.images.delete(sha)
        for path in register.images.leftovers():
            path.unlink(missing_ok=True)
        report.cleaned = len(report.orphan_files) + len(report.leftover_temp_files)
    return report
