"""Indexes for search filters: dates that span many years or are open, and record type and level.

Date filters find their candidates through the year facet rows (``search_facets``, one row per
year for spans up to ``search_index.MAX_YEAR_SPAN`` years) plus the dates this partial index
holds (open ends or spans of 30 years or more), then check the exact bounds.
"""

VERSION = 5

#: The partial index's condition; queries repeat it word for word so SQLite uses the index.
WIDE_DATE = ("(earliest IS NULL OR latest IS NULL OR CAST(substr(latest, 1, 4) AS INTEGER)"
             " - CAST(substr(earliest, 1, 4) AS INTEGER) >= 29)")


def up(conn):
    """Add the search filter indexes."""
    conn.execute(f"CREATE INDEX IF NOT EXISTS record_dates_wide ON record_dates(record_id)"
                 f" WHERE {WIDE_DATE}")
    conn.execute("CREATE INDEX IF NOT EXISTS records_live_type ON records(type, id)"
                 " WHERE trashed_at IS NULL")
    conn.execute("CREATE INDEX IF NOT EXISTS records_live_level ON records(level, id)"
                 " WHERE trashed_at IS NULL")
