"""``archivist export`` and ``archivist import`` end to end (in process, and one subprocess)."""

import json
import os
import subprocess
import sys

import pytest

from archivist.cli.main import main
from archivist.core.errors import ArchivistError
from archivist.ops.demo import build_demo


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    try:
        return build_demo(tmp_path_factory.mktemp("demo") / "K.archivist")
    except ArchivistError as exc:
        pytest.skip(f"the sample archive does not build here: {exc}")


def test_export_then_dry_run_import(demo_path, tmp_path, capsys):
    out = tmp_path / "all.csv"
    assert main(["export", "-c", str(demo_path), "--format", "csv", "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out and out.exists()
    assert main(["import", "-c", str(demo_path), str(out), "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dry_run"] is True and report["created_records"] == 0
    assert report["unchanged_records"] > 0


def test_refused_import_lists_lines_and_exits_1(demo_path, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("legacyId,title,levelOfDescription\n1,x,Drawer\n", encoding="utf-8")
    assert main(["import", "-c", str(demo_path), str(bad), "--format", "atom-csv"]) == 1
    err = capsys.readouterr().err
    assert "line 2:" in err and "nothing imported" in err


def test_unknown_format_is_a_usage_error(demo_path, tmp_path):
    with pytest.raises(SystemExit):
        main(["export", "-c", str(demo_path), "--format", "docx", "-o", str(tmp_path / "x")])


def test_export_does_not_import_qt(demo_path, tmp_path):
    code = ("import sys; from archivist.cli.main import main; "
            f"rc = main(['export', '-c', {str(demo_path)!r}, '--format', 'ead3', '-o', "
            f"{str(tmp_path / 'f.xml')!r}, '--public']); "
            "assert rc == 0; assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt'")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_pdf_export(demo_path, tmp_path):
    # in a subprocess: a QGuiApplication made here would outlive the test and clash with qapp
    out = tmp_path / "fa.pdf"
    code = ("from archivist.cli.main import main; "
            f"raise SystemExit(main(['export', '-c', {str(demo_path)!r}, '--format', 'pdf', "
            f"'-o', {str(out)!r}, '--public']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"%PDF")
