"""Errors that name what is wrong and where."""

from __future__ import annotations


class HdcatError(Exception):
    """Base class of the errors hdcat reports to its users."""


class InputError(HdcatError):
    """Input that cannot be read: names the file and, where known, the line and column."""

    def __init__(
        self,
        source: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.source = source
        self.message = message
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class RecordRefused(HdcatError):
    """A record that failed validation and was not stored."""
