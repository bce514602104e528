"""The batched reads behind the fast native exports."""

import json
import threading

import pytest

from archivist.store import authorities, export_rows, links, pages, records
from archivist.store import trash
from archivist.store import hierarchy


def _tree(cat):
    f = records.create_record(cat, title="Fonds", level="fonds", identifier="F")
    item = records.create_record(cat, title="A, item", level="item", parent_id=f, identifier="1",
                                 dates=[("1990", "creation"), ("[1993,1995]", "publication")],
                                 fields={"languages": ["en"], "scope_content": "x"})
    closed = records.create_record(cat, title="Closed", level="item", parent_id=f,
                                   identifier="2", access_status="closed", access_reason="law")
    other = records.create_record(cat, title="Other", level="item", parent_id=f, identifier="3")
    return f, item, closed, other


def test_parts_are_finished_cells_but_the_fields(cat):
    f, item, closed, other = _tree(cat)
    b = authorities.create_authority(cat, kind="person", name="B")
    a = authorities.create_authority(cat, kind="person", name="A")
    links.link(cat, item, b, "author")
    links.link(cat, item, a, "mentioned")
    links.add_tags(cat, [item], ["z|pipe", "a\\slash", "M"])
    links.relate(cat, item, closed, "cites")
    links.relate(cat, item, other, "related")
    parts = {p[0]: p for p in export_rows.record_csv_parts(cat, [f, item, other])}
    assert set(parts) == {f, item, other}
    uuid = {r: records.get_record(cat, r).uuid for r in (f, item, closed, other)}
    auth = {x: authorities.get_authority(cat, x).uuid for x in (a, b)}
    p = parts[item]
    assert p[1:8] == [uuid[item], uuid[f], "item", "1", "", "A, item", ""]
    assert p[8] == "1990|[1993,1995]" + export_rows.DATES_SEPARATOR + "creation|publication"
    assert p[9:13] == ["open", "", "", "draft"]
    assert p[13] == {"languages": ["en"], "scope_content": "x"}
    assert p[14] == "a\\\\slash|M|z\\|pipe"  # A-Z ignoring case, escaped
    assert p[15] == f"author={auth[b]}|mentioned={auth[a]}"  # link order, not name order
    assert p[16] == f"cites={uuid[closed]}|related={uuid[other]}"
    assert p[17] is None  # no pages
    assert parts[f][2] == "" and parts[f][8] is None and parts[f][14:17] == ["", "", ""]


def test_public_parts_keep_only_relations_to_open_records(cat):
    f, item, closed, other = _tree(cat)
    links.relate(cat, item, closed, "cites")
    links.relate(cat, item, other, "related")
    (p,) = export_rows.record_csv_parts(cat, [item], open_targets_only=True)
    assert p[16] == f"related={records.get_record(cat, other).uuid}"


def test_parts_carry_pages(cat):
    f, item, _, _ = _tree(cat)
    file_id = pages.add_file_row(cat, sha256="b" * 64, ext="png", size=3,
                                 info={"width": 1, "height": 2})
    pages.add_page(cat, item, file_id, label="p. 1")
    (p,) = export_rows.record_csv_parts(cat, [item])
    (page,) = p[17]
    assert page["sha256"] == "b" * 64 and page["label"] == "p. 1"
    assert page["file"].endswith("b" * 64 + ".png")
    assert export_rows.record_csv_parts(cat, []) == []


def test_dates_and_links_follow_their_positions_not_their_ids(cat):
    f, item, _, _ = _tree(cat)
    a = authorities.create_authority(cat, kind="person", name="A")
    b = authorities.create_authority(cat, kind="person", name="B")
    links.link(cat, item, a, "author")
    links.link(cat, item, b, "author")
    cat.conn.execute("UPDATE record_dates SET position = 1 - position WHERE record_id = ?", (item,))
    cat.conn.execute("UPDATE links SET position = -id WHERE record_id = ?", (item,))
    (p,) = export_rows.record_csv_parts(cat, [item])
    assert p[8] == "[1993,1995]|1990" + export_rows.DATES_SEPARATOR + "publication|creation"
    ua, ub = (authorities.get_authority(cat, x).uuid for x in (a, b))
    assert p[15] == f"author={ub}|author={ua}"
    (rec,) = export_rows.record_rows(cat, [item]).values()  # the dict path agrees
    assert [d["expression"] for d in rec["dates"]] == ["[1993,1995]", "1990"]


def test_whole_walk_equals_the_walk_from_the_roots(cat):
    f2 = records.create_record(cat, title="Second fonds", level="fonds", identifier="G")
    f, item, closed, other = _tree(cat)
    s = records.create_record(cat, title="Series", level="series", parent_id=f, identifier="S")
    kept = records.create_record(cat, title="Kept", level="item", parent_id=s, identifier="K")
    gone = records.create_record(cat, title="Gone", level="file", parent_id=f2, identifier="X")
    records.create_record(cat, title="Under gone", level="item", parent_id=gone, identifier="U")
    hierarchy.move_record(cat, s, f, position=0)  # first among its siblings, though created last
    trash.trash_records(cat, [gone])
    whole = list(export_rows.walk_ids(cat))
    roots = [r for r, depth in whole if depth == 0]
    assert whole == list(export_rows.walk_ids(cat, roots))
    assert roots == [f2, f]
    assert whole == [(f2, 0), (f, 0), (s, 1), (kept, 2), (item, 1), (closed, 1), (other, 1)]


def test_parts_text_is_json_of_the_parts(cat):
    f, item, _, _ = _tree(cat)
    assert json.loads(export_rows.csv_parts_json(cat.conn, [f, item])) == \
        export_rows.record_csv_parts(cat, [f, item])
    assert export_rows.csv_parts_json(cat.conn, []) == "[]"


def test_read_ahead_runs_the_next_job_on_the_side_reader(cat):
    f, item, closed, other = _tree(cat)
    threads = []

    def job(ids):
        def run(conn):
            threads.append((threading.current_thread() is threading.main_thread(),
                            conn is cat.conn))
            return export_rows.record_csv_parts(cat, ids) if conn is cat.conn else \
                json.loads(export_rows.csv_parts_json(conn, ids))
        return run

    batches = [[f], [item], [closed, other]]
    got = list(export_rows.read_ahead(cat, (job(b) for b in batches)))
    assert [sorted(p[0] for p in parts) for parts in got] == [sorted(b) for b in batches]
    assert threads[0] == (True, True)  # the first job runs at once on the main connection
    assert threads[1:] == [(False, False)] * 2  # the others beside it, on the side reader


def test_read_ahead_falls_back_to_the_main_connection_when_the_side_is_busy(cat):
    release = threading.Event()
    busy = cat.side.submit(lambda conn: release.wait(5))
    assert busy is not None
    try:
        seen = list(export_rows.read_ahead(cat, (lambda conn, n=n: (n, conn is cat.conn)
                                                 for n in range(3))))
    finally:
        release.set()
        busy.result()
    assert seen == [(0, True), (1, True), (2, True)]


def test_read_ahead_passes_errors_on(cat):
    def bad(conn):
        raise ValueError("boom")
    it = export_rows.read_ahead(cat, iter([lambda conn: 1, bad]))
    assert next(it) == 1
    with pytest.raises(ValueError, match="boom"):
        next(it)


def test_read_ahead_stays_on_the_main_connection_inside_a_transaction(cat):
    f, item, _, _ = _tree(cat)
    with cat.atomic():
        late = records.create_record(cat, title="Late", level="item", parent_id=f, identifier="9")
        got = list(export_rows.read_ahead(cat, (
            lambda conn, ids=ids: (conn is cat.conn, export_rows.csv_parts_json(conn, ids))
            for ids in ([f], [late]))))
    assert [on_main for on_main, _ in got] == [True, True]
    assert json.loads(got[1][1])[0][0] == late  # the uncommitted record is seen
