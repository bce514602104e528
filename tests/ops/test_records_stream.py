"""The record stream's compact id list and what the stream holds."""

from archivist.ops.records_stream import IdDepths, open_stream
from archivist.store import records
from archivist.store.catalogue import create_catalogue


def test_id_depths_behave_like_a_list_of_pairs():
    pairs = [(5, 0), (7, 1), (2**40, 2), (3, 0)]
    ids = IdDepths(iter(pairs))
    assert len(ids) == 4 and list(ids) == pairs
    assert ids[2] == (2**40, 2) and ids[-1] == (3, 0)
    assert ids[1:3] == pairs[1:3] and ids[3:10] == [(3, 0)] and ids[10:] == []
    assert ids.record_ids() == [5, 7, 2**40, 3]
    assert sum(1 for _, depth in ids if depth == 0) == 2
    assert list(IdDepths()) == [] and len(IdDepths()) == 0


def test_public_stream_leaves_out_restricted_subtrees(tmp_path):
    cat = create_catalogue(tmp_path / "A.archivist")
    try:
        f = records.create_record(cat, title="F", level="fonds", identifier="F")
        s = records.create_record(cat, title="S", level="series", parent_id=f, identifier="1",
                                  access_status="restricted", access_reason="law")
        records.create_record(cat, title="I", level="item", parent_id=s, identifier="1")
        i2 = records.create_record(cat, title="J", level="item", parent_id=f, identifier="2")
        assert len(open_stream(cat).ids) == 4
        public = open_stream(cat, public=True)
        assert list(public.ids) == [(f, 0), (i2, 1)] and public.total == 2
        assert [r["_id"] for r in public.records] == [f, i2]
    finally:
        cat.close()
