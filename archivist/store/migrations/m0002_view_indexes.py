"""Indexes for the desktop views: sorting a million records by title or modification time."""

VERSION = 2


def up(conn):
    """Add the sort indexes the record table uses."""
    conn.execute("CREATE INDEX IF NOT EXISTS records_title ON records(title COLLATE NOCASE)")
    conn.execute("CREATE INDEX IF NOT EXISTS records_modified ON records(modified_at)")
