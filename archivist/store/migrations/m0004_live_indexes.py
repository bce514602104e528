"""Partial covering indexes over live (not trashed) records, for the record table at 1M records.

The table pages its id list with LIMIT/OFFSET in the user's sort order; with these indexes a
page far down the list is an index walk, with no lookups into the records table.
"""

VERSION = 4


def up(conn):
    """Add the live-record indexes."""
    conn.execute("CREATE INDEX IF NOT EXISTS records_live_id ON records(id) WHERE trashed_at IS NULL")
    conn.execute("CREATE INDEX IF NOT EXISTS records_live_title"
                 " ON records(title COLLATE NOCASE, id) WHERE trashed_at IS NULL")
    conn.execute("CREATE INDEX IF NOT EXISTS records_live_code"
                 " ON records(reference_code, id) WHERE trashed_at IS NULL")
    conn.execute("CREATE INDEX IF NOT EXISTS records_live_parent"
                 " ON records(parent_id, position, id) WHERE trashed_at IS NULL")
