"""Fixtures for GUI tests: a catalogue on disk, a small hierarchy, an undo stack, a sync runner."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from archivist.gui import errors
from archivist.store import authorities, records


@pytest.fixture(autouse=True)
def _no_dialogs():
    """No modal boxes in tests: errors are logged and kept in ``errors.reported``."""
    errors.set_dialogs_enabled(False)
    errors.reported.clear()
    yield
    errors.reported.clear()



@pytest.fixture
def tree_cat(cat):
    """A fonds with two series; the first holds a file with two letters, one in Dari."""
    ids = {}
    ids["fonds"] = records.create_record(cat, title="Karabakh papers", level="fonds", identifier="KP")
    ids["s1"] = records.create_record(cat, title="Correspondence", level="series",
                                      parent_id=ids["fonds"], identifier="1")
    ids["s2"] = records.create_record(cat, title="Reports", level="series", parent_id=ids["fonds"],
                                      identifier="2")
    ids["file"] = records.create_record(cat, title="Letters 1993", level="file", parent_id=ids["s1"],
                                        identifier="1")
    ids["l1"] = records.create_record(cat, title="Letter to the mayor", level="item",
                                      parent_id=ids["file"], type="letter", identifier="1",
                                      dates=["1993~"], fields={"languages": ["hye"]})
    ids["l2"] = records.create_record(cat, title="نامه به والی مزار شریف", level="item",
                                      parent_id=ids["file"], type="letter", identifier="2",
                                      dates=["1994-05"], fields={"languages": ["prs"]})
    ids["person"] = authorities.create_authority(
        cat, kind="person", name="Karimi, Ahmad", variants=[{"name": "احمد کریمی", "script": "Arab"}])
    ids["place"] = authorities.create_authority(cat, kind="place", name="Mazar-i-Sharif",
                                                variants=["مزار شریف", "Mozari Sharif"])
    return ids


@pytest.fixture
def stack(qapp):
    """An undo stack."""
    from PySide6.QtGui import QUndoStack
    return QUndoStack()


@pytest.fixture
def panel(qtbot, cat, record):
    """The scans viewer on the module's ``record`` (a record with pages), shown 900 × 700."""
    from archivist.gui.viewer import ViewerPanel
    widget = ViewerPanel(cat, record)
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


@pytest.fixture
def qsettings(tmp_path):
    """Settings kept in an ini file of the test's own, never the user's."""
    return QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
