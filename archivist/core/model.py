"""Domain values shared by every layer: records, dates, authorities, links, relations."""

from __future__ import annotations

from dataclasses import dataclass, field

ACCESS_STATUSES = ("open", "restricted", "closed")
DESCRIPTION_STATUSES = ("draft", "revised", "final")
AUTHORITY_KINDS = ("person", "organisation", "family", "place")
LINK_ROLES = ("creator", "author", "sender", "recipient", "mentioned", "subject",
              "place_of_creation", "place_mentioned", "custodian")
ROLE_LABELS = {"creator": "Creator", "author": "Author", "sender": "Sender",
               "recipient": "Recipient", "mentioned": "Mentioned", "subject": "Subject",
               "place_of_creation": "Place of creation", "place_mentioned": "Place mentioned",
               "custodian": "Custodian"}
#: Relation types stored on the source side, and their name read from the target's side.
RELATION_INVERSES = {"responds_to": "response", "annex_of": "has_annex", "cites": "cited_by",
                     "translation_of": "has_translation", "copy_of": "has_copy",
                     "related": "related"}
RELATION_LABELS = {"responds_to": "Responds to", "response": "Response",
                   "annex_of": "Annex of", "has_annex": "Has annex", "cites": "Cites",
                   "cited_by": "Cited by", "translation_of": "Translation of",
                   "has_translation": "Has translation", "copy_of": "Copy of",
                   "has_copy": "Has copy", "related": "Related"}
#: Record columns a user can edit directly (everything else is in ``fields``).
RECORD_ATTRIBUTES = ("title", "level", "type", "identifier", "reference_code", "access_status",
                     "access_reason", "access_until", "description_status")


@dataclass(frozen=True)
class RecordDate:
    """One date of a record: an EDTF expression with its bounds and label."""

    expression: str
    label: str = "creation"
    earliest: str | None = None
    latest: str | None = None
    certainty: str | None = None


@dataclass
class Record:
    """A unit of description (fonds, series, file, item ...)."""

    id: int
    uuid: str
    parent_id: int | None
    position: int
    level: str
    identifier: str | None
    reference_code: str | None
    ref_custom: bool
    title: str
    type: str | None
    access_status: str
    access_reason: str | None
    access_until: str | None
    description_status: str
    fields: dict
    dates: list[RecordDate] = field(default_factory=list)
    trashed_at: str | None = None
    created_at: str = ""
    created_by: str = ""
    modified_at: str = ""
    modified_by: str = ""

    @property
    def restricted(self) -> bool:
        """Whether the record is left out of public views and exports."""
        return self.access_status != "open"


@dataclass
class Authority:
    """An authority record: a person, organisation, family or place."""

    id: int
    uuid: str
    kind: str
    name: str
    variants: list[dict]
    dates: str | None
    description: str | None
    identifiers: list[dict]
    trashed_at: str | None = None

    def all_names(self) -> list[str]:
        """The authorised name followed by every variant."""
        return [self.name] + [v["name"] for v in self.variants]


@dataclass(frozen=True)
class Link:
    """A record's link to an authority, with its role."""

    id: int
    record_id: int
    authority_id: int
    authority_uuid: str
    authority_name: str
    authority_kind: str
    role: str


@dataclass(frozen=True)
class Relation:
    """A typed relation as seen from one record (``type`` is already inverted when incoming)."""

    id: int
    type: str
    other_id: int
    other_uuid: str
    other_title: str
    other_reference_code: str | None
    outgoing: bool
