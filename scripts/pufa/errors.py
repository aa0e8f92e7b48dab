"""One error type for bad input: it names the file, the line or key, and the fix."""

from __future__ import annotations

from pathlib import Path


class PufaError(Exception):
    """Raised for bad input; the CLI prints it and exits non-zero."""

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        line: int | None = None,
        key: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.key = key
        self.message = message
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        key = f" [{self.key}]" if self.key else ""
        fix = f"\n  fix: {self.fix}" if self.fix else ""
        return f"{where}:{key} {self.message}{fix}"


class PufaErrors(Exception):
    """Several input errors found in one pass, reported together."""

    def __init__(self, errors: list[PufaError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
