"""Shared test setup: Qt runs offscreen, QSettings are per test, GUI tests are marked; an empty
catalogue (``cat``) for any test that needs one."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

import pytest  # noqa: E402


def pytest_collection_modifyitems(items):
    """Mark tests that use a Qt fixture as ``gui`` (run ``-m "not gui"`` for the headless loop)."""
    for item in items:
        if {"qtbot", "qapp", "qtmodeltester"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _fresh_settings(request, tmp_path_factory, monkeypatch):
    """Give every test its own QSettings folder (never the user's real settings)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QSettings
    folder = str(tmp_path_factory.mktemp("qsettings"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
    yield


@pytest.fixture
def cat(tmp_path):
    """A new, empty catalogue on disk, closed after the test."""
    from archivist.store.catalogue import create_catalogue
    c = create_catalogue(tmp_path / "test.archivist", user="tester")
    yield c
    c.close()
