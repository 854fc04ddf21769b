"""Why a model could not be downloaded or installed."""

from __future__ import annotations


class ModelDownloadError(Exception):
    """A model could not be downloaded or installed; nothing was changed in its place."""


class ChecksumUnknown(ModelDownloadError):
    """No checksum to verify the archive against, so it was not downloaded."""


class ChecksumMismatch(ModelDownloadError):
    """The downloaded archive is not the one expected; it was deleted."""
