"""Type-ahead: records whose title or linked names start with what is typed, and name completions.

Nothing is ranked: the first matches in index order are returned, so the cost does not grow with
the catalogue (the FTS5 prefix index answers ``"kab" *`` directly).
"""

from __future__ import annotations

from dataclasses import dataclass

from archivist.store.search_compile import tokens

__all__ = ["Suggestion", "suggest", "name_completions"]


@dataclass(frozen=True)
class Suggestion:
    """A record offered while typing."""

    id: int
    reference_code: str | None
    title: str


def suggest(cat, text: str, limit: int = 10) -> list[Suggestion]:
    """Live records whose title or linked authority names contain the typed words (the last one
    as a prefix).

    Args:
        cat: the catalogue.
        text: what is typed so far (plain words; query syntax is not interpreted).
        limit: how many to return.

    Returns:
        Up to ``limit`` suggestions, in index order.
    """
    toks = tokens(text)
    if not toks or (len(toks) == 1 and len(toks[0]) < 2):
        return []
    parts = [f'"{t}"' for t in toks[:-1]] + [f'"{toks[-1]}" *']
    expr = "{title person org place} : (" + " AND ".join(parts) + ")"
    rows = cat.conn.execute(
        "SELECT r.id, r.reference_code, r.title FROM"
        " (SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ?) f"
        " CROSS JOIN records r ON r.id = f.rowid WHERE r.trashed_at IS NULL LIMIT ?",
        (expr, limit * 4, limit)).fetchall()
    return [Suggestion(*r) for r in rows]


def name_completions(cat, limit: int = 5000) -> list[str]:
    """Authorised and variant names of live authorities, for the search box's completer."""
    return [r[0] for r in cat.conn.execute(
        "SELECT name FROM (SELECT a.name AS name FROM authorities a WHERE a.trashed_at IS NULL"
        " UNION SELECT n.name FROM authority_names n JOIN authorities a ON a.id = n.authority_id"
        " WHERE a.trashed_at IS NULL) ORDER BY name COLLATE NOCASE LIMIT ?", (limit,))]
