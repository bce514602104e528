"""Record table view and thumbnail grid: fixed rows, column choice, thumbnails made off-thread."""

from __future__ import annotations

import hashlib

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from archivist.gui.models.record_table import RecordTableModel
from archivist.gui.tasks import SyncTaskRunner
from archivist.gui.widgets.record_views import (RecordTableView, ThumbnailGrid, Thumbnails,
                                                make_thumbnails)
from archivist.media.derivatives import cache_path
from archivist.store import pages, records


def _add_scan(cat, record_id, tmp_path):
    src = tmp_path / "scan.jpg"
    Image.new("RGB", (300, 400), (200, 180, 150)).save(src, "JPEG")
    data = src.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    dest = pages.file_path(cat, sha, "jpg")
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)
    file_id = pages.add_file_row(cat, sha256=sha, ext="jpg", size=len(data))
    pages.add_page(cat, record_id, file_id)
    return sha


def test_table_view_has_fixed_rows_and_column_choice(qtbot, cat, tree_cat):
    model = RecordTableModel(cat, ["reference_code", "title"])
    model.set_scope(tree_cat["file"])
    view = RecordTableView(model)
    qtbot.addWidget(view)
    assert view.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    assert model.sort_key == "position"  # no implicit sort: the unit's own order
    view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert model.ids() == [tree_cat["l2"], tree_cat["l1"]]
    seen = []
    view.columns_changed.connect(seen.append)
    view.toggle_column("date", True)
    assert model.column_keys() == ["reference_code", "title", "date"] and seen == [model.column_keys()]
    view.toggle_column("reference_code", False)
    assert model.column_keys() == ["title", "date"]
    assert model.ids() == [tree_cat["l2"], tree_cat["l1"]]  # still by title, descending
    assert view.horizontalHeader().sortIndicatorSection() == 0
    view.selectRow(1)
    assert view.selected_ids() == [tree_cat["l1"]]


def test_missing_thumbnail_is_requested_and_made_in_background(qtbot, cat, tree_cat, tmp_path):
    sha = _add_scan(cat, tree_cat["l1"], tmp_path)
    wanted = []
    thumbs = Thumbnails(cat, request=wanted.append)
    model = RecordTableModel(cat, ["title"])
    model.set_scope(tree_cat["file"])
    grid = ThumbnailGrid(model, thumbs)
    qtbot.addWidget(grid)
    placeholder = grid.model().data(grid.model().index(0, 0), Qt.ItemDataRole.DecorationRole)
    assert wanted == [(sha, 0, "jpg")]
    grid.model().data(grid.model().index(0, 0), Qt.ItemDataRole.DecorationRole)
    assert len(wanted) == 1  # asked once
    failed = []
    SyncTaskRunner(cat.path).run(make_thumbnails(wanted), on_success=failed.extend)
    assert failed == [] and cache_path(cat.cache_dir, sha, 0, "thumb").is_file()
    icon = grid.model().data(grid.model().index(0, 0), Qt.ItemDataRole.DecorationRole)
    assert icon.cacheKey() != placeholder.cacheKey()
    assert grid.model().data(grid.model().index(0, 0)) == "Letter to the mayor"
    # the record without scans keeps its placeholder and asks for nothing
    grid.model().data(grid.model().index(1, 0), Qt.ItemDataRole.DecorationRole)
    assert len(wanted) == 1
