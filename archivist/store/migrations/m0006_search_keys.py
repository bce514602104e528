"""The vocabulary of cross-script name keys, for tolerant matching of spelling variants.

``search_keys`` lists every name key the index holds (it only grows; a key no record uses any
more matches nothing). A query word whose key is not there is compared with the keys that start
with the same letter, and the close ones (one edit away) are searched too.
"""

VERSION = 6


def up(conn):
    """Create the key vocabulary and fill it from the index."""
    conn.execute("CREATE TABLE IF NOT EXISTS search_keys (key TEXT PRIMARY KEY) WITHOUT ROWID")
    insert = "INSERT OR IGNORE INTO search_keys (key) VALUES (?)"
    for (keys,) in conn.execute("SELECT keys FROM search_fts").fetchall():
        conn.executemany(insert, [(k,) for k in set(keys.split())])
