"""A start that cannot go on: bad settings, an unreachable database, a rejected token.

Each is told as one line per problem (naming the setting and what is expected), never as a
traceback, and `hub` exits with code 2.
"""

from __future__ import annotations

EXIT_CODE = 2


class StartupError(Exception):
    """Raised where a start fails for a reason the operator fixes in the settings."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
