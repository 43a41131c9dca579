"""Where data and resources live, and the user's settings."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, fields
from pathlib import Path

DATA_DIR_ENV = "DERMADESK_DATA_DIR"
PORTABLE_MARKER = "dermadesk-portable"  # a file of this name beside the executable: data stays beside it
REGISTER_FILE = "register.sqlite3"
IMAGES_DIR = "images"
MODELS_DIR = "models"
SETTINGS_FILE = "settings.json"
RESTORE_LOCK = ".restore.lock"  # held while a restore replaces the register (``storage.restore``)
CONFIG_DIR_ENV = "DERMADESK_CONFIG_DIR"  # where this workstation's own file lives (tests point it elsewhere)
WORKSTATION_FILE = "workstation.json"  # per workstation, whatever register is open: the operator, shared or not, and
# the data folder chosen in Settings (never inside the data folder it points to)


BUNDLED_DIR = "_bundled"  # models/ and resources/ inside the package of an installed wheel (installer/wheel_data.py)


def app_root() -> Path:
    """Folder holding models/ and resources/: the PyInstaller bundle, the package's own copy in an installed wheel
    (`pip install .`), or the source checkout (also `pip install -e .`)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    package = Path(__file__).resolve().parent
    installed = package / BUNDLED_DIR
    return installed if installed.is_dir() else package.parent


def resource_path(*parts: str) -> Path:
    return app_root().joinpath("resources", *parts)


def bundled_models_dir() -> Path:
    return app_root() / MODELS_DIR


def portable_dir() -> Path | None:
    """The data folder beside the executable when the portable marker file is there."""
    exe_dir = Path(sys.executable).resolve().parent if getattr(sys, "frozen", False) else app_root()
    return exe_dir / "DermaDeskData" if (exe_dir / PORTABLE_MARKER).exists() else None


# Where this start's data folder came from (``data_dir_source``), first to last:
FROM_FLAG = "--data-dir"
FROM_ENV = DATA_DIR_ENV
FROM_PORTABLE = "portable"
FROM_SETTINGS = "settings"  # the folder chosen in the app's Settings, kept in this workstation's file
FROM_STANDARD = "standard"
CHOSEN_KEY = "data_dir"  # its key in WORKSTATION_FILE


def data_dir_source(explicit: str | os.PathLike[str] | None = None) -> str:
    """Which of --data-dir, $DERMADESK_DATA_DIR, portable mode, the folder chosen in Settings or the per-user
    default picks the data folder (one of the FROM_ names): the command line and the environment win over the
    saved choice, portable mode too (its data stays beside the program whatever this computer's user chose)."""
    if explicit:
        return FROM_FLAG
    if os.environ.get(DATA_DIR_ENV):
        return FROM_ENV
    if portable_dir() is not None:
        return FROM_PORTABLE
    return FROM_SETTINGS if chosen_data_dir() is not None else FROM_STANDARD


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, then $DERMADESK_DATA_DIR, then portable mode, then the folder chosen in Settings, then the
    per-user default (``data_dir_source`` says which)."""
    source = data_dir_source(explicit)
    if source == FROM_FLAG:
        return Path(explicit).expanduser().resolve()  # type: ignore[arg-type]
    if source == FROM_ENV:
        return Path(os.environ[DATA_DIR_ENV]).expanduser().resolve()
    if source == FROM_PORTABLE:
        return portable_dir()  # type: ignore[return-value]
    return chosen_data_dir() or standard_data_dir()


def standard_data_dir() -> Path:
    """The per-user data folder (Linux ~/.local/share/DermaDesk, ...): the first start's, where none is chosen."""
    import platformdirs

    return Path(platformdirs.user_data_dir("DermaDesk", appauthor=False))


def chosen_data_dir() -> Path | None:
    """The data folder chosen in Settings (kept in this workstation's file); None where none was chosen, or the
    value kept is no absolute path (a hand-edited file: never a folder relative to wherever the app started)."""
    kept = _workstation().get(CHOSEN_KEY)
    if not isinstance(kept, str) or not kept.strip() or "\0" in kept:
        return None
    path = Path(kept.strip()).expanduser()
    return path if path.is_absolute() else None


def choose_data_dir(folder: Path | None) -> None:
    """Keep ``folder`` as the data folder of the next start without --data-dir or $DERMADESK_DATA_DIR (None, or the
    standard folder itself: forget the choice, the standard folder again). Nothing is moved or copied. OSError
    where this workstation's folder cannot be written (said by the caller: unlike the operator's name, the choice
    would otherwise be lost without a word)."""
    here = _workstation()
    here.pop(CHOSEN_KEY, None)
    if folder is not None and Path(folder) != standard_data_dir():
        here[CHOSEN_KEY] = str(folder)
    _write_workstation(here)


@dataclass
class Settings:
    """User settings, kept as JSON in the data directory."""

    operator: str = ""
    clinic_name: str = ""
    clinic_logo: str = ""
    paper_size: str = "A4"  # or "Letter"
    device: str = "auto"  # auto | cpu | gpu
    model: str = ""  # empty: the default model
    disclaimer_acknowledged: bool = False
    report_folder: str = ""  # where the last report was saved: the next save dialog opens there
    backup_folder: str = ""  # where the last backup was written: Back up... and Restore... open there
    export_folder: str = ""  # the folder holding the last register export: Export register opens there
    import_folder: str = ""  # where the last imported images (or folder) came from: Import images... opens there
    operator_on_deidentified: bool = False  # print the operator on de-identified reports too
    shared_workstation: bool = False  # several people use this workstation: ask who is working at every start

    @classmethod
    def _load_file(cls, data_dir: Path) -> "Settings":
        """Settings from the file; a missing or unreadable file, a value that is not a JSON object, and
        values of the wrong type fall back to the defaults (a damaged settings file never stops the app)."""
        path = data_dir / SETTINGS_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        defaults = cls()
        return cls(**{f.name: raw[f.name] for f in fields(cls)
                      if f.name in raw and type(raw[f.name]) is type(getattr(defaults, f.name))})

    @classmethod
    def load(cls, data_dir: Path) -> "Settings":
        """The data directory's settings, with the operator this workstation remembers (any register: a second
        data folder or the demo does not ask again); a register's own operator only where the workstation has never
        kept one (settings from before this file)."""
        settings = cls._load_file(data_dir)
        here = _workstation()  # read once
        if isinstance(name := here.get("operator"), str):
            settings.operator = name.strip()
        if isinstance(shared := here.get("shared"), bool):  # else (damaged, hand-edited) the register's copy
            settings.shared_workstation = shared
        settings.operator = usable_name(settings.operator)
        return settings

    def save(self, data_dir: Path) -> None:
        from dermadesk.files import private_dir, write_private

        write_private(private_dir(data_dir) / SETTINGS_FILE, json.dumps(asdict(self), indent=1).encode("utf-8"))
        remember_operator(self.operator, self.shared_workstation)

    def actor(self) -> str:
        """Who the audit log names: the operator from settings, else the OS user."""
        if self.operator:
            return self.operator
        try:
            import getpass

            return getpass.getuser()
        except Exception:  # noqa: BLE001 - no user name available (containers)
            return "unknown"


def workstation_dir() -> Path:
    """This workstation's (this OS user's) configuration folder: $DERMADESK_CONFIG_DIR, else the platform's."""
    env = os.environ.get(CONFIG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("DermaDesk", appauthor=False))


def _workstation() -> dict[str, object]:
    """This workstation's file ({} when it has none or it is unreadable: that never stops the app)."""
    try:
        raw = json.loads((workstation_dir() / WORKSTATION_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return {}
    return raw if isinstance(raw, dict) else {}


def usable_name(name: str) -> str:
    """An operator name as the audit log can store and show it: "" for one with control characters, direction
    overrides or half a character (a hand-edited file; a lone surrogate stopped every audited save). Joiners that
    Persian or Indic names need are kept."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return ""
    overrides = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    return "" if any(ord(c) < 32 or 127 <= ord(c) < 160 or c in overrides for c in name) else name


def workstation_operator() -> str | None:
    """The operator this workstation remembers ("" once cleared); None when it never kept one or its file is
    unreadable (that never stops the app)."""
    name = _workstation().get("operator")
    return name.strip() if isinstance(name, str) else None


def workstation_shared() -> bool | None:
    """Whether this workstation's file marks it shared (None: no readable choice there)."""
    shared = _workstation().get("shared")
    return shared if isinstance(shared, bool) else None


def remember_operator(name: str, shared: bool | None = None) -> None:
    """Keep ``name`` as this workstation's operator ("" forgets it) and whether it is shared (None: as it was); a
    folder that cannot be written is skipped: the register's settings still hold the name."""
    here = _workstation()  # what else it keeps (the data folder chosen in Settings) stays
    here["operator"], here["shared"] = name.strip(), here.get("shared") is True if shared is None else shared
    try:
        _write_workstation(here)
    except OSError:
        pass


def _write_workstation(data: dict[str, object]) -> None:
    from dermadesk.files import write_private

    folder = workstation_dir()
    folder.mkdir(parents=True, exist_ok=True)
    write_private(folder / WORKSTATION_FILE, json.dumps(data, indent=1).encode("utf-8"))
