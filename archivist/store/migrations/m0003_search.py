"""The search index: an FTS5 table of normalised text, per-record search facts and facet values.

``search_fts`` (rowid = record id) holds the normalised text of a record (see
:mod:`archivist.core.normalize`) in columns title, body (every other field, dates, notes, page
transcriptions and translations, region texts), person / org / place (authorised and variant
names of linked authorities), tag, and keys (cross-script name keys, :mod:`archivist.core.translit`).
``search_meta`` keeps per-record flags for ``has:`` and the series; ``search_facets`` the facet
values (language, person, org, place, tag, year, decade). All three are rebuilt from the records
by :func:`archivist.store.search_index.rebuild` and kept in step by its commit hook.
"""

VERSION = 3

SCHEMA = """
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, body, person, org, place, tag, keys,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TABLE search_meta (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    has_scan INTEGER NOT NULL DEFAULT 0,
    has_transcription INTEGER NOT NULL DEFAULT 0,
    has_translation INTEGER NOT NULL DEFAULT 0,
    has_region INTEGER NOT NULL DEFAULT 0,
    series_id INTEGER,
    names TEXT NOT NULL DEFAULT ''
);
CREATE INDEX search_meta_series ON search_meta(series_id);

CREATE TABLE search_facets (
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    PRIMARY KEY (facet, value, record_id)
) WITHOUT ROWID;
CREATE INDEX search_facets_record ON search_facets(record_id);

CREATE TABLE search_authority_sig (
    authority_id INTEGER PRIMARY KEY,
    sig TEXT NOT NULL
);
"""


def up(conn):
    """Create the search tables and index the records already in the catalogue."""
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            conn.execute(statement)
    from archivist.store.search_index import rebuild

    rebuild(conn)
