"""The initial schema: records, dates, authorities, links, relations, tags, media, audit log."""

VERSION = 1

SCHEMA = """
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    parent_id INTEGER REFERENCES records(id),
    position INTEGER NOT NULL DEFAULT 0,
    level TEXT NOT NULL CHECK (level IN ('fonds','subfonds','series','subseries','file','item')),
    identifier TEXT,
    reference_code TEXT,
    ref_custom INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    type TEXT,
    access_status TEXT NOT NULL DEFAULT 'open' CHECK (access_status IN ('open','restricted','closed')),
    access_reason TEXT,
    access_until TEXT,
    description_status TEXT NOT NULL DEFAULT 'draft'
        CHECK (description_status IN ('draft','revised','final')),
    fields TEXT NOT NULL DEFAULT '{}',
    trashed_at TEXT,
    trashed_with INTEGER,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    modified_by TEXT NOT NULL,
    CHECK (parent_id IS NULL OR parent_id != id)
);
CREATE INDEX records_parent ON records(parent_id, position);
CREATE INDEX records_reference_code ON records(reference_code);
CREATE INDEX records_trashed ON records(trashed_at) WHERE trashed_at IS NOT NULL;

CREATE TABLE record_dates (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    label TEXT NOT NULL DEFAULT 'creation' CHECK (label IN ('creation','accumulation','publication')),
    expression TEXT NOT NULL,
    earliest TEXT,
    latest TEXT,
    earliest_fuzzy TEXT,
    latest_fuzzy TEXT,
    certainty TEXT
);
CREATE INDEX record_dates_record ON record_dates(record_id, position);
CREATE INDEX record_dates_range ON record_dates(earliest, latest);

CREATE TABLE authorities (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('person','organisation','family','place')),
    name TEXT NOT NULL,
    dates TEXT,
    earliest TEXT,
    latest TEXT,
    description TEXT,
    identifiers TEXT NOT NULL DEFAULT '[]',
    trashed_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    modified_by TEXT NOT NULL
);
CREATE INDEX authorities_name ON authorities(kind, name);

CREATE TABLE authority_names (
    id INTEGER PRIMARY KEY,
    authority_id INTEGER NOT NULL REFERENCES authorities(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    language TEXT,
    script TEXT
);
CREATE INDEX authority_names_authority ON authority_names(authority_id, position);
CREATE INDEX authority_names_name ON authority_names(name);

CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    authority_id INTEGER NOT NULL REFERENCES authorities(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('creator','author','sender','recipient','mentioned','subject',
                                       'place_of_creation','place_mentioned','custodian')),
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (record_id, authority_id, role)
);
CREATE INDEX links_authority ON links(authority_id, role);

CREATE TABLE relations (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    target_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    type TEXT NOT NULL CHECK (type IN ('responds_to','annex_of','cites','translation_of','copy_of','related')),
    UNIQUE (source_id, target_id, type),
    CHECK (source_id != target_id)
);
CREATE INDEX relations_target ON relations(target_id);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE record_tags (
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (record_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX record_tags_tag ON record_tags(tag_id);

CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    ext TEXT NOT NULL,
    size INTEGER NOT NULL,
    format TEXT,
    mode TEXT,
    width INTEGER,
    height INTEGER,
    dpi_x REAL,
    dpi_y REAL,
    orientation INTEGER,
    page_count INTEGER NOT NULL DEFAULT 1,
    capture TEXT NOT NULL DEFAULT '{}',
    original_name TEXT,
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
);

CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    file_id INTEGER NOT NULL REFERENCES files(id),
    page_index INTEGER NOT NULL DEFAULT 0,
    label TEXT,
    width INTEGER,
    height INTEGER,
    view TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX pages_record ON pages(record_id, position);
CREATE INDEX pages_file ON pages(file_id);

CREATE TABLE regions (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,
    title TEXT,
    description TEXT,
    transcription TEXT
);
CREATE INDEX regions_page ON regions(page_id);

CREATE TABLE page_texts (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('transcription','translation')),
    language TEXT,
    text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX page_texts_page ON page_texts(page_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    agent TEXT NOT NULL,
    file_id INTEGER REFERENCES files(id) ON DELETE SET NULL,
    outcome TEXT,
    detail TEXT
);
CREATE INDEX events_file ON events(file_id);

CREATE TABLE field_defs (
    id INTEGER PRIMARY KEY,
    field_id TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    area TEXT NOT NULL DEFAULT 'notes',
    repeatable INTEGER NOT NULL DEFAULT 0,
    required TEXT NOT NULL DEFAULT '[]',
    crosswalk TEXT NOT NULL DEFAULT '{}',
    record_types TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    query TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    entity_uuid TEXT,
    record_id INTEGER,
    field TEXT,
    old TEXT,
    new TEXT,
    reverts INTEGER REFERENCES changes(id)
);
CREATE INDEX changes_record ON changes(record_id);
CREATE INDEX changes_entity ON changes(entity, entity_id);
"""


def up(conn):
    """Create the initial schema."""
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            conn.execute(statement)
