"""DermaDesk: offline dermoscopy decision support (register, assessment, change tracking, reports)."""

__version__ = "0.1.0"
