"""Saved searches, kept in the catalogue (table ``saved_searches``) so they travel with it."""

from __future__ import annotations

from dataclasses import dataclass

from archivist.core.changes import Changes
from archivist.core.errors import InvalidValue, NotFound
from archivist.core.query import parse_query
from archivist.store.catalogue import now

__all__ = ["SavedSearch", "save_search", "list_saved_searches", "get_saved_search",
           "rename_saved_search", "delete_saved_search"]


@dataclass(frozen=True)
class SavedSearch:
    """A named query."""

    id: int
    name: str
    query: str
    created_at: str


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidValue("a saved search needs a name")
    return name


def save_search(cat, name: str, query: str) -> SavedSearch:
    """Save ``query`` under ``name`` (replacing the query of a search with that name).

    Raises:
        InvalidQuery: the query is malformed (it is checked before saving).
        InvalidValue: the name is empty.
    """
    name = _clean_name(name)
    parse_query(query)
    with cat.atomic():
        cat.conn.execute("INSERT INTO saved_searches (name, query, created_at) VALUES (?, ?, ?)"
                         " ON CONFLICT(name) DO UPDATE SET query = excluded.query",
                         (name, query.strip(), now()))
        cat.note(Changes(settings=True))
    return get_saved_search(cat, name)


def list_saved_searches(cat) -> list[SavedSearch]:
    """Every saved search, by name."""
    return [SavedSearch(*r) for r in cat.conn.execute(
        "SELECT id, name, query, created_at FROM saved_searches ORDER BY name COLLATE NOCASE")]


def get_saved_search(cat, key: str | int) -> SavedSearch:
    """A saved search by name or id.

    Raises:
        NotFound: there is none.
    """
    row = cat.conn.execute("SELECT id, name, query, created_at FROM saved_searches WHERE name = ?"
                           " OR (typeof(?) = 'integer' AND id = ?)", (str(key), key, key)).fetchone()
    if row is None:
        raise NotFound(f"there is no saved search {key!r}")
    return SavedSearch(*row)


def rename_saved_search(cat, key: str | int, new_name: str) -> SavedSearch:
    """Give a saved search another name.

    Raises:
        NotFound: there is no such saved search.
        InvalidValue: the new name is empty or already used.
    """
    new_name = _clean_name(new_name)
    with cat.atomic():
        old = get_saved_search(cat, key)
        if new_name != old.name and cat.conn.execute(
                "SELECT 1 FROM saved_searches WHERE name = ?", (new_name,)).fetchone():
            raise InvalidValue(f"there is already a saved search called {new_name!r}")
        cat.conn.execute("UPDATE saved_searches SET name = ? WHERE id = ?", (new_name, old.id))
        cat.note(Changes(settings=True))
    return get_saved_search(cat, old.id)


def delete_saved_search(cat, key: str | int) -> Changes:
    """Delete a saved search.

    Raises:
        NotFound: there is no such saved search.
    """
    with cat.atomic():
        old = get_saved_search(cat, key)
        cat.conn.execute("DELETE FROM saved_searches WHERE id = ?", (old.id,))
        return cat.note(Changes(settings=True))
