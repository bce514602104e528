"""The ingest progress dialog: runs the ingest in the background, then the previews; summary."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from archivist.gui.tasks import SyncTaskRunner, TaskRunner
from archivist.gui.viewer.ingest_progress import IngestProgressDialog
from archivist.gui.widgets.task_dialog import eta_text
from archivist.media import derivatives
from archivist.store import hierarchy, records
from archivist.store.pages import pages_of
from tests.media import imagefactory as f


@pytest.fixture
def scans(tmp_path):
    src = tmp_path / "scans"
    f.jpeg(src / "p1.jpg", size=(300, 200))
    f.jpeg(src / "p2.jpg", size=(200, 300))
    (src / "p3.jpg").write_bytes(b"")
    return src


def finished(dialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Close) is not None


def test_ingest_then_previews_then_summary(qtbot, cat, scans):
    rid = records.create_record(cat, title="Letter", level="item")
    reports = []
    dialog = IngestProgressDialog(SyncTaskRunner(cat.path), [scans], record_id=rid)
    qtbot.addWidget(dialog)
    dialog.ingested.connect(reports.append)
    dialog.start()
    qtbot.waitUntil(lambda: finished(dialog), timeout=10_000)

    (report,) = reports
    assert report.page_count == 2 and [r.path.name for r in report.refused] == ["p3.jpg"]
    assert "p3.jpg" in dialog.details.toPlainText() and "empty" in dialog.details.toPlainText()
    assert dialog.height() >= 360  # room to read the refused files
    assert "2 page(s) from 2 file(s)" in dialog.counts.text()
    for page in pages_of(cat, rid):
        assert derivatives.cache_path(cat.cache_dir, page["sha256"], 0, "preview").is_file()


def test_threaded_runner_and_one_record_per_file(qtbot, cat, scans):
    parent = records.create_record(cat, title="Series", level="series")
    runner = TaskRunner(cat.path)
    dialog = IngestProgressDialog(runner, [scans / "p1.jpg", scans / "p2.jpg"], parent_id=parent)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ingested, timeout=10_000) as blocker:
        dialog.start()
    assert len(blocker.args[0].created_records) == 2
    qtbot.waitUntil(lambda: finished(dialog), timeout=10_000)
    assert [records.get_record(cat, r).title for r in hierarchy.child_ids(cat, parent)] == ["p1", "p2"]
    runner.wait()


def test_failure_is_shown(qtbot, cat, scans):
    dialog = IngestProgressDialog(SyncTaskRunner(cat.path), [scans], record_id=999)
    qtbot.addWidget(dialog)
    failures = []
    dialog.failed.connect(failures.append)
    dialog.start()
    assert failures and "999" in dialog.counts.text()
    assert finished(dialog)


@pytest.mark.parametrize("done, total, elapsed, expected", [
    (0, 10, 0.0, "0 of 10 files"),
    (5, 10, 2.0, "5 of 10 files · 2.5/s · about 2 s left"),
    (10, 10, 4.0, "10 of 10 files · 2.5/s"),
    (1, 1000, 2.0, "1 of 1000 files · 0.5/s · about 33 min left"),
    (30, 40, 0.5, "30 of 40 files · 60.0/s · under a second left"),
])
def test_eta_text(done, total, elapsed, expected):
    assert eta_text(done, total, elapsed) == expected


def test_verify_dialog_lists_missing_and_changed(qtbot, cat, scans):
    from archivist.gui.viewer.verify_dialog import VerifyDialog
    from archivist.media import filestore
    from archivist.ops.ingest import ingest
    from archivist.store import media as store_media

    rid = records.create_record(cat, title="Letter", level="item", identifier="L1")
    ingest(cat, [scans / "p1.jpg", scans / "p2.jpg"], record_id=rid)
    rows = {r["original_name"]: r for r in store_media.list_files(cat)}
    f.flip_byte(filestore.path_for(cat.path, rows["p1.jpg"]["sha256"], "jpg"))

    dialog = VerifyDialog(SyncTaskRunner(cat.path))
    qtbot.addWidget(dialog)
    dialog.start()
    assert dialog.report is not None and not dialog.report.ok
    assert "CHANGED: p1.jpg (in L1)" in dialog.problems.toPlainText()
    assert "1 file(s) are missing or changed" in dialog.title.text()
    assert "backup" in dialog.title.text()  # says what to do
    assert finished(dialog)
