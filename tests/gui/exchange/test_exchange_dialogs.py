"""The export and import dialogs, driven with a synchronous runner."""

from __future__ import annotations

import csv
import io

from archivist.gui.exchange.export_dialog import ExportDialog
from archivist.gui.exchange.import_dialog import ImportDialog
from archivist.gui.tasks import SyncTaskRunner
from archivist.store import hierarchy, records


def _choose(combo, data):
    combo.setCurrentIndex(combo.findData(data))


def test_export_dialog_writes_public_csv_of_the_selection(qtbot, cat, tree_cat, tmp_path):
    records.update_record(cat, tree_cat["l2"], {"access_status": "restricted",
                                                "access_reason": "personal data"})
    runner = SyncTaskRunner(cat.path)
    dialog = ExportDialog(runner, selection=[tree_cat["s1"]], query="letter")
    qtbot.addWidget(dialog)
    assert dialog.scope_selection.isEnabled() and dialog.scope_search.isEnabled()
    _choose(dialog.format_combo, "csv")
    dialog.scope_selection.setChecked(True)
    dialog.public_box.setChecked(True)
    out = tmp_path / "out.csv"
    dialog.target.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=5000) as blocker:
        dialog.export_button.click()
    assert blocker.args[0].count == 3  # series, file, open letter
    titles = [r["title"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))]
    assert "Correspondence" in titles and "Reports" not in titles
    assert "نامه به والی مزار شریف" not in titles
    assert dialog.progress.value() == dialog.progress.maximum()
    assert "Wrote 3" in dialog.status.text()


def test_export_dialog_reports_errors_without_writing(qtbot, cat, tree_cat, tmp_path):
    dialog = ExportDialog(SyncTaskRunner(cat.path))
    qtbot.addWidget(dialog)
    _choose(dialog.format_combo, "iiif")
    assert not dialog.base_url.isHidden()
    dialog.base_url.setText("file:///nowhere")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    dialog.target.setText(str(tmp_path / "full"))
    dialog.export_button.click()
    assert dialog.status.text().startswith("Not exported")
    assert dialog.export_button.isEnabled()


def test_import_dialog_previews_then_imports(qtbot, cat, tree_cat, tmp_path):
    path = tmp_path / "atom.csv"
    path.write_text("legacyId,parentId,title,levelOfDescription\nA1,,Donated papers,Fonds\n"
                    "A2,A1,Diary,Item\n", encoding="utf-8")
    dialog = ImportDialog(SyncTaskRunner(cat.path), path)
    qtbot.addWidget(dialog)
    before = hierarchy.count_records(cat)
    dialog.import_button.click()
    assert hierarchy.count_records(cat) == before
    dialog.preview_button.click()
    assert "Will create 2 records" in dialog.summary.text()
    assert hierarchy.count_records(cat) == before
    with qtbot.waitSignal(dialog.imported, timeout=5000):
        dialog.import_button.click()
    assert hierarchy.count_records(cat) == before + 2


def test_import_dialog_lists_refusals(qtbot, cat, tree_cat, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("legacyId,title,levelOfDescription\n1,Ok,Fonds\n2,Bad,Cupboard\n",
                    encoding="utf-8")
    dialog = ImportDialog(SyncTaskRunner(cat.path), path)
    qtbot.addWidget(dialog)
    dialog.preview_button.click()
    assert dialog.summary.text().startswith("Refused")
    items = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert any(item.startswith("line 3:") for item in items)
    assert not dialog.import_button.isEnabled()


def test_export_dialog_on_a_worker_thread(qtbot, cat, tree_cat, tmp_path):
    from archivist.gui.tasks import TaskRunner

    runner = TaskRunner(cat.path)
    dialog = ExportDialog(runner)
    qtbot.addWidget(dialog)
    _choose(dialog.format_combo, "ead3")
    out = tmp_path / "fa.xml"
    dialog.target.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=10000) as blocker:
        dialog.export_button.click()
    runner.wait()
    assert blocker.args[0].count == 6 and out.read_bytes().rstrip().endswith(b"</ead>")
    assert dialog.export_button.isEnabled() and dialog.cancel_button.text() == "Close"
