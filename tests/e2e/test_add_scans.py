"""Drive the window with the real background runner: drop a folder of scans on a series, choose
one item per file, see the pages in the scans view, add more with File → Add scans…, verify."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox

from archivist.gui import errors, scans
from archivist.gui.app import ArchivistApp, setup_application
from archivist.gui.settings import Settings
from archivist.gui.tasks import TaskRunner
from archivist.store import hierarchy, records
from archivist.store.pages import pages_of
from tests.media import imagefactory as f


@pytest.fixture
def app(qapp, tmp_path):
    setup_application()
    errors.set_dialogs_enabled(False)
    errors.reported.clear()
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    archivist = ArchivistApp(settings, runner_class=TaskRunner)
    archivist.open(tmp_path / "scans.archivist", create=True)
    yield archivist
    archivist.close_current()


def wait_done(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog.buttons.button(QDialogButtonBox.StandardButton.Close) is not None,
                    timeout=20_000)


def test_drop_a_folder_then_add_more_then_verify(qtbot, app, tmp_path, monkeypatch):
    win, cat = app.window, app.cat
    src = tmp_path / "box 3"
    f.jpeg(src / "letter 1.jpg", size=(600, 800))
    f.save(f.gradient((500, 700)), src / "letter 2.png", "PNG")
    f.tiff_pages(src / "letter 10.tif", [(300, 400), (400, 300)])
    (src / "Thumbs.db").write_bytes(b"clutter")
    win.actions.new_series_top.trigger()
    series = win.form.record_id
    win.show()
    qtbot.waitExposed(win)
    index = win.tree_model.index_of(series)
    pos = win.tree.visualRect(index).center()
    monkeypatch.setattr(scans, "ask_how", lambda parent, target, count: scans.ITEMS)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(src))])
    drop = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    assert win.scans.eventFilter(win.tree.viewport(), drop) is True
    qtbot.waitUntil(lambda: win.scans.dialog is not None, timeout=5_000)
    wait_done(qtbot, win.scans.dialog)
    assert not errors.reported
    items = hierarchy.child_ids(cat, series)
    assert [records.get_record(cat, r).title for r in items] == ["letter 1", "letter 2", "letter 10"]
    win.tree.setCurrentIndex(win.tree_model.index_of(series))
    qtbot.waitUntil(lambda: win.table_model.ids() == items, timeout=5_000)  # the table followed
    win.scans.dialog.close()

    # the third item's pages in the scans view; then one more file through File → Add scans…
    win.select_record(items[2])
    win.set_mode("scans")
    assert win.viewer.record_id == items[2] and win.viewer.page_count == 2
    extra = f.jpeg(tmp_path / "more" / "envelope.jpg", size=(400, 300))
    monkeypatch.setattr(scans, "choose_files", lambda parent, start: [str(extra)])
    win.actions.add_scans.trigger()
    wait_done(qtbot, win.scans.dialog)
    qtbot.waitUntil(lambda: win.viewer.page_count == 3, timeout=5_000)
    assert [p["original_name"] for p in pages_of(cat, items[2])][-1] == "envelope.jpg"
    win.scans.dialog.close()

    win.actions.verify.trigger()
    dialog = win.scans.dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert dialog.report.problems == [] and dialog.report.checked == 4
    dialog.close()
