"""The search ops: rebuilding the index (with progress and cancel) and searching."""

import pytest

from archivist.core.errors import Cancelled
from archivist.ops.search import rebuild_search_index, run_search
from archivist.store import records


@pytest.fixture
def filled(cat):
    f = records.create_record(cat, title="Kabul papers", level="fonds", identifier="KP")
    for i in range(5):
        records.create_record(cat, title=f"Letter {i} from Kabul", level="item", parent_id=f,
                              identifier=str(i), type="letter")
    return cat


def test_rebuild_reports_progress(filled):
    seen = []
    assert rebuild_search_index(filled, progress=lambda done, total: seen.append((done, total))) == 6
    assert seen[-1] == (6, 6)
    assert run_search(filled, "kabul").total == 6


def test_cancelled_rebuild_keeps_the_old_index(filled):
    with pytest.raises(Cancelled):
        rebuild_search_index(filled, cancelled=lambda: True)
    assert filled.conn.execute("SELECT count(*) FROM search_fts").fetchone()[0] == 6
    assert run_search(filled, "kabul").total == 6
