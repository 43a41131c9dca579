"""Reading and decoding capture images off the GUI thread, with a cache of the thumbnails.

A 24-megapixel JPEG takes ~190 ms to decode and a lesion's thumbnails ~20 ms each: on the GUI
thread that freezes the window while the user clicks through a timeline. Callers get the QImage
through a callback on the GUI thread; a caller that has moved on ignores what arrives late.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from dermadesk.ui.images import image_from_file

Callback = Callable[[QImage | None], None]


class _Signals(QObject):
    done = Signal(int, object)  # request id, QImage or None (unreadable)


class _DecodeJob(QRunnable):
    def __init__(self, request_id: int, path: Path, max_side: int | None, signals: _Signals) -> None:
        super().__init__()
        self.request_id, self.path, self.max_side, self.signals = request_id, path, max_side, signals

    def run(self) -> None:
        try:
            image: QImage | None = image_from_file(str(self.path), self.max_side)
            if image is not None and image.isNull():
                image = None
        except Exception:  # noqa: BLE001 - a missing or corrupt file shows as "no image", never a crash
            image = None
        self.signals.done.emit(self.request_id, image)


class ImageLoader(QObject):
    """``load(key, path, max_side, callback)``: decode in a worker; thumbnails (``max_side`` set) are cached."""

    def __init__(self, parent: QObject | None = None, cached_thumbnails: int = 512) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._signals = _Signals(self)
        self._signals.done.connect(self._finish)  # queued: the job emits from its worker thread
        self._pending: dict[int, tuple[tuple[str, int | None], Callback]] = {}
        self._queued: dict[str, list[tuple[int, _DecodeJob]]] = {}  # per group: requests not yet known started
        self._cache: OrderedDict[tuple[str, int | None], QImage] = OrderedDict()
        self._capacity = cached_thumbnails
        self._jobs: dict[int, _DecodeJob] = {}
        self._latest: dict[str, int] = {}  # per group: the newest request (an older one finishing late is dropped)
        self._group_of: dict[int, str] = {}
        self._next_id = 0

    def load(self, key: str, path: Path, max_side: int | None, callback: Callback, group: str | None = None) -> None:
        """Decode ``path``; with ``group``, requests of that group still waiting in the queue are dropped, and
        one already decoding is not delivered (clicking through a timeline shows the capture the user stops
        at, never an earlier one that happened to finish later)."""
        cached = self._cache.get((key, max_side))
        if cached is not None:
            self._cache.move_to_end((key, max_side))
            callback(cached)
            return
        if group is not None:
            for old_id, old_job in self._queued.pop(group, []):
                if self.pool.tryTake(old_job):  # not started yet: it never will
                    self._pending.pop(old_id, None)
                    self._jobs.pop(old_id, None)
                    self._group_of.pop(old_id, None)
        self._next_id += 1
        if group is not None:
            self._latest[group] = self._next_id
            self._group_of[self._next_id] = group
        self._pending[self._next_id] = ((key, max_side), callback)
        job = _DecodeJob(self._next_id, path, max_side, self._signals)
        job.setAutoDelete(False)  # kept here until it has reported, so tryTake never races a deletion
        if group is not None:
            self._queued.setdefault(group, []).append((self._next_id, job))
        self._jobs[self._next_id] = job
        self.pool.start(job)

    def cached(self, key: str, max_side: int) -> QImage | None:
        return self._cache.get((key, max_side))

    def busy(self) -> bool:
        return bool(self._pending)

    def _finish(self, request_id: int, image: QImage | None) -> None:
        self._jobs.pop(request_id, None)
        for jobs in self._queued.values():
            jobs[:] = [(i, j) for i, j in jobs if i != request_id]
        entry = self._pending.pop(request_id, None)
        group = self._group_of.pop(request_id, None)
        if entry is None:
            return
        if group is not None and self._latest.get(group, request_id) > request_id:
            return  # superseded while decoding: showing it now would replace the newer capture
        (key, max_side), callback = entry
        if image is not None and max_side is not None:
            self._cache[(key, max_side)] = image
            while len(self._cache) > self._capacity:
                self._cache.popitem(last=False)
        callback(image)
