"""Errors that reach the user as one clear line and exit code, never a traceback."""

from __future__ import annotations

__all__ = ["InfeasibleError", "InputError", "WfmError"]


class WfmError(Exception):
    """Base class of the errors the CLI turns into a message and an exit code."""

    exit_code = 1


class InputError(WfmError, ValueError):
    """Bad input or configuration (CLI exit code 2).

    Parameters
    ----------
    message
        What is wrong, in the user's words.
    file
        The file the problem is in, if any.
    row
        1-based line number in the file as a text editor shows it (the header is line 1);
        shown as ``row N`` (a CSV row, as a spreadsheet numbers it) or, for a ``.toml`` file,
        ``line N``.
    column
        The column (CSV) or key path (TOML, e.g. ``queues[2].service_level``), shown as
        ``column '...'`` or, for a ``.toml`` file, ``key '...'``.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        toml = str(self.file or "").endswith(".toml")
        if self.file:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"{'line' if toml else 'row'} {self.row}")
        if self.column:
            where.append(f"{'key' if toml else 'column'} '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def located(self, file: str) -> InputError:
        """Return the same error with ``file`` filled in (parsers don't know the path)."""
        return InputError(self.message, file=file, row=self.row, column=self.column)


class InfeasibleError(WfmError):
    """No acceptable schedule: infeasible, or understaffed beyond tolerance (exit code 3)."""

    exit_code = 3
