import sqlite3
import threading

import pytest

from archivist.core.errors import (CatalogueLocked, DiskFull, NewerSchema, NotACatalogue, ReadOnly)
from archivist.store import hierarchy, migrations, records
from archivist.store.catalogue import (APPLICATION_ID, DB_NAME, create_catalogue, open_catalogue,
                                       translate_error)


def test_new_catalogue_layout(tmp_path):
    with create_catalogue(tmp_path / "K.archivist") as cat:
        assert (cat.path / DB_NAME).is_file()
        assert (cat.path / "media").is_dir() and (cat.path / "cache").is_dir()
        pragma = lambda name: cat.conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("application_id") == APPLICATION_ID
        assert pragma("user_version") == migrations.latest_version()
        assert pragma("busy_timeout") >= 1000


def test_folder_that_is_not_a_catalogue(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(NotACatalogue, match="not an Archivist catalogue"):
        open_catalogue(tmp_path)
    with pytest.raises(NotACatalogue, match="does not exist"):
        open_catalogue(tmp_path / "missing")


def test_sqlite_file_of_another_program(tmp_path):
    folder = tmp_path / "other"
    folder.mkdir()
    sqlite3.connect(folder / DB_NAME).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(NotACatalogue, match="not an Archivist catalogue"):
        open_catalogue(folder)


def test_garbage_database_file(tmp_path):
    folder = tmp_path / "garbage"
    folder.mkdir()
    (folder / DB_NAME).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(NotACatalogue):
        open_catalogue(folder)


def test_newer_schema_refused(tmp_path):
    path = tmp_path / "K.archivist"
    create_catalogue(path).close()
    conn = sqlite3.connect(path / DB_NAME)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 5}")
    conn.close()
    with pytest.raises(NewerSchema, match="newer version of Archivist"):
        open_catalogue(path)


def test_older_schema_is_backed_up_then_migrated(tmp_path):
    if migrations.latest_version() == 1:
        pytest.skip("only one migration exists yet")
    path = tmp_path / "Old.archivist"
    path.mkdir()
    conn = sqlite3.connect(path / DB_NAME, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations.all_migrations()[0].up(conn)  # a catalogue made by version 1 of the schema
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO records (uuid, level, title, created_at, created_by, modified_at,"
                 " modified_by) VALUES ('u1', 'fonds', 'Old fonds', 'x', 'x', 'x', 'x')")
    conn.close()
    with open_catalogue(path) as cat:
        assert cat.schema_version() == migrations.latest_version()
        assert records.get_record(cat, records.resolve_record(cat, "u1")).title == "Old fonds"
    backups = list(path.glob("catalogue.backup-v1-*.sqlite"))
    assert len(backups) == 1
    b = sqlite3.connect(backups[0])
    assert b.execute("PRAGMA user_version").fetchone()[0] == 1
    assert b.execute("SELECT title FROM records").fetchone()[0] == "Old fonds"
    b.close()


def test_create_refuses_non_empty_folder(tmp_path):
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(Exception, match="not empty"):
        create_catalogue(tmp_path)


def test_locked_catalogue_gives_clear_error(cat):
    other = sqlite3.connect(cat.path / DB_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    cat.conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(CatalogueLocked, match="another program is writing"):
            records.create_record(cat, title="x", level="fonds")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert hierarchy.count_records(cat) == 0


def test_second_writer_waits_instead_of_failing(cat):
    other = sqlite3.connect(cat.path / DB_NAME, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO settings(key, value) VALUES ('held', '1')")
    result = {}

    def write():
        try:
            result["id"] = records.create_record(cat, title="waited", level="fonds")
        except Exception as exc:  # noqa: BLE001
            result["error"] = exc

    writer = threading.Thread(target=write)
    writer.start()
    writer.join(timeout=0.2)  # the writer is blocked on the lock, not failed
    assert writer.is_alive() and not result
    other.execute("COMMIT")
    other.close()
    writer.join(timeout=10)
    assert "error" not in result
    assert records.get_record(cat, result["id"]).title == "waited"


def test_disk_full_is_an_expected_error_and_writes_nothing(cat):
    records.create_record(cat, title="before", level="fonds")
    pages = cat.conn.execute("PRAGMA page_count").fetchone()[0]
    cat.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFull, match="disk is full"):
        records.create_record(cat, title="x" * 200_000, level="fonds")
    assert hierarchy.count_records(cat) == 1


def test_read_only_catalogue(cat):
    cat.conn.execute("PRAGMA query_only = ON")
    with pytest.raises(ReadOnly, match="read-only"):
        records.create_record(cat, title="x", level="fonds")


def test_translate_os_errors(tmp_path):
    import errno
    assert isinstance(translate_error(OSError(errno.ENOSPC, "full"), tmp_path), DiskFull)
    assert isinstance(translate_error(PermissionError(errno.EACCES, "no"), tmp_path), ReadOnly)
    bug = ValueError("bug")
    assert translate_error(bug) is bug


def test_subscribers_hear_committed_changes_only(cat):
    heard = []
    cat.subscribe(heard.append)
    rid = records.create_record(cat, title="F", level="fonds")
    assert heard and rid in heard[-1].records and heard[-1].structure
    n = len(heard)
    with pytest.raises(Exception):
        with cat.atomic():
            records.create_record(cat, title="G", level="fonds")
            raise RuntimeError("boom")
    assert len(heard) == n
    assert hierarchy.count_records(cat) == 1


def test_opening_removes_stray_files_left_by_a_crash(tmp_path):
    path = tmp_path / "K.archivist"
    create_catalogue(path).close()
    stray = path / "media" / "ab" / "cd" / ("abcd" + "0" * 60 + ".jpg")
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"half an ingest")
    with open_catalogue(path):
        assert not stray.exists()
