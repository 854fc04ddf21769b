"""Why a file could not be read, in plain words of the catalogs instead of the system's English
(`strerror`, "No such file or directory")."""

from __future__ import annotations

import errno

from core.said import Said

_REASONS = {
    errno.ENOENT: "files.missing",
    errno.EACCES: "files.no_permission",
    errno.EPERM: "files.no_permission",
    errno.EISDIR: "files.folder",
}


def why_unreadable(error: OSError) -> Said:
    """The reason `error` gives, said in the reader's language."""
    return Said(_REASONS.get(error.errno or 0, "files.other"))
