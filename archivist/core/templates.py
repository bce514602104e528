"""Field templates of the record types, read from ``resources/templates/*.toml``.

``_isad.toml`` holds the ISAD(G) elements every type carries; each other file is one record type
with its own extra fields. User-defined fields (stored in the catalogue) are merged in by the
store through :func:`with_user_fields`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from archivist.core import paths
from archivist.core.errors import InvalidValue

FIELD_KINDS = ("text", "long_text", "date", "authority", "language", "term", "url", "number")
AREAS = ("identity", "context", "content", "access", "allied", "notes", "control", "location")
AREA_LABELS = {
    "identity": "Identity statement", "context": "Context", "content": "Content and structure",
    "access": "Conditions of access and use", "allied": "Allied materials", "notes": "Notes",
    "control": "Description control", "location": "Physical location",
}


@dataclass(frozen=True)
class FieldDef:
    """One field of a template.

    Attributes:
        id: stable field id (a key of a record's ``fields``, or for authority fields the link role).
        label: label shown in forms.
        kind: one of FIELD_KINDS.
        area: ISAD(G) area, one of AREAS.
        repeatable: whether the field holds a list of values.
        required: levels at which the field is required.
        crosswalk: mapping to ISAD(G) element number, Dublin Core element and EAD element.
        role: for authority fields, the link role they edit.
        internal: left out of public exports (cataloguer's notes, shelf location).
        vocabulary: for term fields, the name of the vocabulary.
        user_defined: defined by the user in this catalogue rather than shipped.
    """

    id: str
    label: str
    kind: str
    area: str
    repeatable: bool = False
    required: tuple[str, ...] = ()
    crosswalk: dict = field(default_factory=dict, compare=False, hash=False)
    role: str | None = None
    internal: bool = False
    vocabulary: str | None = None
    user_defined: bool = False


@dataclass(frozen=True)
class Template:
    """The form of one record type: ISAD(G) fields plus the type's own."""

    type: str
    label: str
    dc_type: str
    fields: tuple[FieldDef, ...]

    def field(self, field_id: str) -> FieldDef | None:
        """Return the field with this id, or None."""
        return next((f for f in self.fields if f.id == field_id), None)


def _field(raw: dict, source: str) -> FieldDef:
    kind = raw.get("kind", "text")
    if kind not in FIELD_KINDS:
        raise InvalidValue(f"{source}: field {raw.get('id')!r} has unknown kind {kind!r}")
    area = raw.get("area", "notes")
    if area not in AREAS:
        raise InvalidValue(f"{source}: field {raw.get('id')!r} has unknown area {area!r}")
    return FieldDef(
        id=raw["id"], label=raw.get("label", raw["id"]), kind=kind, area=area,
        repeatable=bool(raw.get("repeatable", False)), required=tuple(raw.get("required", ())),
        crosswalk=dict(raw.get("crosswalk", {})), role=raw.get("role"),
        internal=bool(raw.get("internal", False)), vocabulary=raw.get("vocabulary"),
        user_defined=bool(raw.get("user_defined", False)))


def _read(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=4)
def load_templates(folder: Path | None = None) -> dict[str, Template]:
    """Read every record type's template.

    Args:
        folder: the templates folder; defaults to ``resources/templates``.

    Returns:
        Templates by record type id, in file-name order with ``other`` last.
    """
    folder = folder or paths.resources() / "templates"
    base = _read(folder / "_isad.toml")
    base_fields = [_field(f, "_isad.toml") for f in base.get("field", [])]
    templates: dict[str, Template] = {}
    files = sorted(p for p in folder.glob("*.toml") if not p.name.startswith("_"))
    files.sort(key=lambda p: p.stem == "other")
    for path in files:
        raw = _read(path)
        own = [_field(f, path.name) for f in raw.get("field", [])]
        own_ids = {f.id for f in own}
        merged = tuple([f for f in base_fields if f.id not in own_ids] + own)
        templates[path.stem] = Template(path.stem, raw.get("label", path.stem),
                                        raw.get("dc_type", "Text"), merged)
    return templates


RECORD_TYPES = tuple(load_templates().keys())


def template_for(record_type: str | None) -> Template:
    """The template of a record type; units without a type (fonds, series) use ``other``."""
    templates = load_templates()
    if record_type is None:
        return templates["other"]
    try:
        return templates[record_type]
    except KeyError:
        raise InvalidValue(f"unknown record type {record_type!r}; use one of: "
                           f"{', '.join(templates)}") from None


def all_fields() -> dict[str, FieldDef]:
    """Every shipped field by id, across all templates (non-authority fields first seen wins)."""
    out: dict[str, FieldDef] = {}
    for template in load_templates().values():
        for f in template.fields:
            out.setdefault(f.id, f)
    return out


def with_user_fields(template: Template, user_fields: list[FieldDef]) -> Template:
    """Return ``template`` with the catalogue's user-defined fields appended."""
    return Template(template.type, template.label, template.dc_type,
                    template.fields + tuple(user_fields))


def missing_essentials(level: str, template: Template, values: dict, has: dict) -> list[str]:
    """Labels of the fields required at ``level`` that are empty.

    Args:
        level: the record's level.
        template: its template.
        values: the record's fields.
        has: other facts, e.g. ``{"dates": True, "creator": False, "reference_code": True}``;
            an authority field counts as present when ``has[role]`` is true.
    """
    missing = [label for key, label in (("reference_code", "Reference code"),
                                         ("title", "Title"), ("dates", "Date(s)"))
               if not has.get(key)]
    for f in template.fields:
        if level not in f.required:
            continue
        present = has.get(f.role or f.id) if f.kind == "authority" else values.get(f.id)
        if not present:
            missing.append(f.label)
    return missing
