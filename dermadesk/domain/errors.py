"""Errors the app reports to users: each message is one clear line."""

from __future__ import annotations


class DermaDeskError(Exception):
    """Base class: ``str(error)`` is a message fit to show a user."""


class ValidationError(DermaDeskError):
    """A value given by the user is not acceptable (unknown site, bad date, ...)."""


class NotFoundError(DermaDeskError):
    """A patient, lesion, capture or model that was asked for does not exist."""


class DuplicateError(DermaDeskError):
    """A unique value (for example an MRN) is already in use."""


class BadImageError(DermaDeskError):
    """A file cannot be used as an image (not an image, truncated, too large...)."""


class RegisterVersionError(DermaDeskError):
    """The register file was written by a newer DermaDesk than this one."""


class IntegrityError(DermaDeskError):
    """Stored data failed a consistency check (hash mismatch, broken backup...)."""


class ModelError(DermaDeskError):
    """A model file or manifest cannot be used."""


class Cancelled(DermaDeskError):
    """The user cancelled a long operation."""


class PassphraseError(DermaDeskError):
    """An encrypted package or backup needs a passphrase, or the one given does not open it."""
