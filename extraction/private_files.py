"""Files that hold identifiers of suspects and victims are readable by their owner only (0600)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

PRIVATE = 0o600


def open_private(path: Path, *, append: bool = False) -> BinaryIO:
    """Open `path` for binary writing, created 0600 whatever the umask (truncated unless `append`).
    A file this process rewrites from scratch is tightened to 0600 as well."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    fd = os.open(path, flags, PRIVATE)
    if not append:
        os.fchmod(fd, PRIVATE)
    return os.fdopen(fd, "ab" if append else "wb")


def write_private(path: Path, data: bytes) -> None:
    """`Path.write_bytes`, but the file is readable by its owner only."""
    with open_private(path) as out:
        out.write(data)
