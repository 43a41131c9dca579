"""Progress and cancellation for long services, with no Qt (the UI only listens)."""

from __future__ import annotations

import threading
from typing import Callable, Protocol

from dermadesk.domain.errors import Cancelled

ProgressFn = Callable[[float, str], None]


class CancelToken:
    """Set by the UI (any thread); services call ``raise_if_cancelled()`` between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled by the user")


class CancelLike(Protocol):
    """What a service needs of a cancel token (CancelToken, or a test's stand-in)."""

    @property
    def cancelled(self) -> bool: ...

    def raise_if_cancelled(self) -> None: ...


def no_progress(_: float, __: str) -> None:
    """A progress callback that ignores everything."""
    return None


NEVER = CancelToken()
