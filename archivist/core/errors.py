"""The family of expected errors.

Everything the user can cause or fix (a bad date, a locked catalogue, a full disk) is an
:class:`ArchivistError`: the CLI prints its message as one line and exits 1, the GUI shows it in a
message box. Any other exception is a bug and reaches a traceback or the crash dialog.
"""

from __future__ import annotations


class ArchivistError(Exception):
    """An expected error with a message fit for the user.

    Args:
        message: what happened and, where it helps, what to do.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotACatalogue(ArchivistError):
    """The path is not an Archivist catalogue."""


class NewerSchema(ArchivistError):
    """The catalogue was made by a newer version of Archivist."""


class CatalogueLocked(ArchivistError):
    """Another process holds the catalogue's write lock for too long."""


class DiskFull(ArchivistError):
    """The disk is full; nothing was written."""


class ReadOnly(ArchivistError):
    """The catalogue's folder or database cannot be written."""


class InvalidDate(ArchivistError):
    """A date is not valid EDTF or its bounds are reversed."""


class InvalidHierarchy(ArchivistError):
    """A move or level change would break the archival hierarchy."""


class InvalidValue(ArchivistError):
    """A field value, level, type, role or kind is not allowed."""


class NotFound(ArchivistError):
    """A record, authority, change or file does not exist."""


class BadFile(ArchivistError):
    """A file cannot be ingested (corrupt, empty, not an image, too large ...)."""


class InvalidQuery(ArchivistError):
    """A search query is malformed.

    Args:
        message: what is wrong.
        position: character offset in the query where the problem is, if known.
    """

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


class ImportRefused(ArchivistError):
    """An import file was refused as a whole; ``problems`` lists each reason with its line."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


class Cancelled(ArchivistError):
    """The user cancelled a long operation; nothing of it was written."""
