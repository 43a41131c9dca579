"""What every UI action shares: the open register, the settings, the dialog service and the task runner."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from dermadesk.config import Settings
from dermadesk.storage.folder_lock import FolderLock
from dermadesk.storage.register import Register
from dermadesk.ui.dialogs import DialogService, start_folder
from dermadesk.ui.tasks import TaskRunner


@dataclass
class Session:
    """Plain data, handed to each action object by the composition root (``ui.app``); no window, no selection.

    ``settings`` is replaced (never edited in place) when the user saves new ones: read it at the moment of use.
    """

    register: Register
    settings: Settings
    dialogs: DialogService
    runner: TaskRunner
    folder_lock: FolderLock | None = None  # the app's lock on the data folder (``ui.folder_lock``), naming the operator

    @property
    def actor(self) -> str:
        """Who is acting, for the audit log."""
        return self.settings.actor()

    def last_folder(self, kind: str) -> Path:
        """Where a file dialog of ``kind`` ("report", "backup", "export", "import") opens: the folder last used for it
        (remembered in the settings) while it exists, else the user's Documents (home where there is none)."""
        last = getattr(self.settings, f"{kind}_folder")
        return Path(last) if last and Path(last).is_dir() else start_folder()

    def remember_folder(self, kind: str, folder: Path) -> None:
        """Remember ``folder`` as the last one used for ``kind``: the next dialog of that kind opens there."""
        if str(folder) != getattr(self.settings, f"{kind}_folder"):
            self.save_settings(dataclasses.replace(self.settings, **{f"{kind}_folder": str(folder)}))

    @property
    def data_dir(self) -> Path:
        return self.register.data_dir

    def save_settings(self, new: Settings) -> bool:
        """Make ``new`` the settings and save them; True when the model or the device changed."""
        changed_model = (new.model, new.device) != (self.settings.model, self.settings.device)
        self.settings = new
        new.save(self.data_dir)
        if self.folder_lock is not None:  # a second DermaDesk on the folder names who has it open now
            self.folder_lock.name_operator(new.operator)
        return changed_model
