"""The stream every export reads: records as native dicts, parents first, depth-first.

:func:`open_stream` returns a :class:`RecordStream`: catalogue facts, the authority records the
chosen records use, and an iterator of RECORD dicts (docs/native-format.md). Besides the keys of
the format, each dict carries private keys that writers may use and the native writer drops:
``_id`` (row id), ``_depth`` (0 for the scope's top), ``_reference_code`` (the effective code,
derived or set by hand), ``_control`` (created/modified by whom and when), and on dates
``_earliest``/``_latest``/``_certainty``, on pages ``_width``/``_height``/``_format``.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Callable, Iterator

from archivist.core.errors import Cancelled
from archivist.core.templates import load_templates
from archivist.store import export_rows, hierarchy, records
from archivist.store.catalogue import Catalogue

Progress = Callable[[int, int], None]


def internal_fields() -> set[str]:
    """Field ids left out of public exports (cataloguer's notes, shelf location)."""
    return {f.id for t in load_templates().values() for f in t.fields if f.internal}


class IdDepths(Sequence):
    """(record id, depth) pairs in export order, kept in two arrays.

    A million pairs take 12 MB here against about 100 MB as a list of tuples; indexing and
    iterating give tuples, slicing a list of them (one batch at a time).
    """

    def __init__(self, pairs: Iterable[tuple[int, int]] = ()):
        self._ids, self._depths = array("q"), array("i")
        add_id, add_depth = self._ids.append, self._depths.append
        for rid, depth in pairs:
            add_id(rid)
            add_depth(depth)

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(zip(self._ids[index], self._depths[index]))
        return self._ids[index], self._depths[index]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self._ids, self._depths)

    def record_ids(self) -> list[int]:
        """The record ids alone."""
        return self._ids.tolist()


@dataclass
class RecordStream:
    """What an export writes: catalogue facts, authorities by UUID, and the records."""

    catalogue: dict
    authorities: dict[str, dict]
    total: int
    records: Iterator[dict] = field(repr=False, default=iter(()))
    ids: Sequence[tuple[int, int]] = field(repr=False, default_factory=IdDepths)
    scoped: bool = False
    public: bool = False


def catalogue_info(cat: Catalogue) -> dict:
    """The catalogue block of the native format (name, country and repository codes)."""
    return {"name": cat.get_setting("name") or cat.path.stem,
            "country_code": cat.get_setting("country_code"),
            "repository_code": cat.get_setting("repository_code"),
            "description_language": cat.get_setting("description_language") or "en"}


def open_stream(cat: Catalogue, *, scope: list[int] | None = None, public: bool = False,
                progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None) -> RecordStream:
    """Prepare an export of the whole catalogue or of ``scope`` (records with their subtrees).

    Args:
        scope: record ids; each is exported with everything below it. None: everything.
        public: leave out restricted or closed records (with all below them) and internal fields.
        progress: called with (records done, total) as records are read.
        cancelled: polled between batches; when it returns True the stream raises Cancelled.
    """
    if scope is not None:
        # a record inside another scoped record is exported once, with its ancestor
        scoped = set(scope)
        scope = [r for r in scope if not scoped.intersection(hierarchy.ancestors(cat, r))]
    ids = IdDepths(export_rows.walk_ids(cat, scope))
    if public:
        ids = _public_only(cat, ids)
    if scope is None and not public:
        auths = {a["uuid"]: a for a in export_rows.authority_rows(cat)}
    else:
        auths = {a["uuid"]: a for a in export_rows.authority_rows(
            cat, sorted(export_rows.linked_authority_ids(cat, ids.record_ids())))}
    return RecordStream(catalogue_info(cat), auths, len(ids),
                        _iterate(cat, ids, public, progress, cancelled), ids=ids,
                        scoped=scope is not None, public=public)


def _public_only(cat: Catalogue, ids: IdDepths) -> IdDepths:
    return IdDepths(_open_pairs(cat, ids))


def _open_pairs(cat: Catalogue, ids: IdDepths) -> Iterator[tuple[int, int]]:
    closed = records.restricted_ids(cat)
    skip_depth = None
    for rid, depth in ids:
        if skip_depth is not None and depth > skip_depth:
            continue
        skip_depth = None
        if rid in closed:
            skip_depth = depth
            continue
        yield rid, depth


def _iterate(cat: Catalogue, ids: IdDepths, public: bool, progress, cancelled):
    hidden = internal_fields() if public else set()
    total = len(ids)
    scope_uuids: set[str] = set()
    for start in range(0, total, export_rows.BATCH):
        if cancelled and cancelled():
            raise Cancelled("the export was cancelled")
        chunk = ids[start:start + export_rows.BATCH]
        rows = export_rows.record_rows(cat, [i for i, _ in chunk])
        for rid, depth in chunk:
            rec = rows[rid]
            rec["_depth"] = depth
            if depth == 0:
                rec["parent"] = rec["parent"] if rec["parent"] in scope_uuids else None
            scope_uuids.add(rec["uuid"])
            if hidden:
                rec["fields"] = {k: v for k, v in rec["fields"].items() if k not in hidden}
            if public:
                rec["relations"] = [r for r in rec["relations"] if r["target"] in scope_uuids
                                    or records.is_open(cat, r["target"])]
            yield rec
        if progress:
            progress(min(start + len(chunk), total), total)
