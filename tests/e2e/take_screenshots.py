"""Screenshot the main window on a catalogue, as a user sees it: run under xvfb-run -a.

Usage: xvfb-run -a python tests/e2e/take_screenshots.py CATALOGUE OUT_DIR  (on the demo catalogue)
"""
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from archivist.gui.app import ArchivistApp, setup_application
from archivist.gui.tasks import SyncTaskRunner
from archivist.store import records

cat_path, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
app = setup_application()
arch = ArchivistApp(runner_class=SyncTaskRunner)
win = arch.open(cat_path)
win.resize(1500, 950)
win.show()
for _ in range(20):
    app.processEvents()


def shot(name, ref, mode=None):
    rid = records.resolve_record(arch.cat, ref)
    rec = records.get_record(arch.cat, rid)
    win.show_unit(rec.parent_id)
    win.select_record(rid)
    if mode:
        win.set_mode(mode)
    for _ in range(40):
        app.processEvents()
    win.grab().save(str(out_dir / f"{name}.png"))


shot("demo-letter", "AM-ARCHIVIST-KFF-1-1-1")
shot("demo-testimony", "AM-ARCHIVIST-KFF-3-1")
shot("demo-scans", "AM-ARCHIVIST-KFF-2-1", "scans")
print("ok")
