"""The small value every mutation returns: what changed, so each view can decide to refresh."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Changes:
    """What one operation changed.

    Attributes:
        records: ids of records whose own data changed (fields, dates, links, tags, pages).
        structure: the hierarchy changed (create, move, reorder, trash, restore, purge).
        authorities: ids of authority records that changed.
        media: ids of records whose pages changed.
        settings: catalogue settings or saved searches changed.
        visibility_only: the records only went to or came back from the trash (their content is
            unchanged, so indexes of their content need no work). Merging with any other
            change clears it.
    """

    records: set[int] = field(default_factory=set)
    structure: bool = False
    authorities: set[int] = field(default_factory=set)
    media: set[int] = field(default_factory=set)
    settings: bool = False
    visibility_only: bool = False

    def merge(self, other: "Changes") -> "Changes":
        """Add ``other`` into this value and return it."""
        if other:
            self.visibility_only = other.visibility_only if not self else (
                self.visibility_only and other.visibility_only)
        self.records |= other.records
        self.structure = self.structure or other.structure
        self.authorities |= other.authorities
        self.media |= other.media
        self.settings = self.settings or other.settings
        return self

    def __bool__(self) -> bool:
        return bool(self.records or self.structure or self.authorities or self.media
                    or self.settings)
