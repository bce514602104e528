"""``archivist search`` on the command line (headless)."""

import json
import subprocess
import sys

import pytest

from archivist.cli.main import main
from archivist.store import records
from archivist.store.catalogue import create_catalogue


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "Cli.archivist"
    cat = create_catalogue(p, user="tester")
    f = records.create_record(cat, title="Kabul papers", level="fonds", identifier="KP")
    records.create_record(cat, title="Letter from Kabul", level="item", parent_id=f, identifier="1",
                          type="letter", dates=["1994-05"],
                          fields={"scope_content": "The governor of Kabul writes."})
    records.create_record(cat, title="Report on Herat", level="item", parent_id=f, identifier="2",
                          type="report", access_status="restricted", access_reason="privacy")
    cat.close()
    return p


def test_json_lists_hits_and_facets(path, capsys):
    assert main(["search", "-c", str(path), "--json", "--facets", "kabul", "type:letter"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 1
    hit, = data["hits"]
    assert set(hit) >= {"id", "reference_code", "title", "score", "snippet"}
    assert hit["reference_code"] == "KP-1" and hit["score"] > 0
    assert hit["snippet"] == "The governor of [Kabul] writes."
    assert {v["value"]: v["count"] for v in data["facets"]["type"]} == {"letter": 1}


def test_text_output_marks_restricted_and_limit(path, capsys):
    assert main(["search", "-c", str(path), "--limit", "1", "--sort", "ref", "level:item"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2 records found"
    assert out[1].startswith("KP-1  Letter from Kabul")
    assert not any("Herat" in line for line in out)
    assert main(["search", "-c", str(path), "herat"]) == 0
    assert "(restricted)" in capsys.readouterr().out


def test_malformed_query_exits_1_with_a_caret(path, capsys):
    assert main(["search", "-c", str(path), "kabul (herat"]) == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[0] == "kabul (herat"
    assert lines[1] == "      ^"
    assert "never closed" in lines[2]


def test_save_option(path, capsys):
    assert main(["search", "-c", str(path), "--save", "letters", "type:letter"]) == 0
    from archivist.store.catalogue import open_catalogue
    from archivist.store.search_saved import list_saved_searches
    with open_catalogue(path) as cat:
        assert [s.query for s in list_saved_searches(cat)] == ["type:letter"]


def test_search_does_not_import_qt(path):
    code = ("import sys; from archivist.cli.main import main; "
            f"main(['search', '-c', {str(path)!r}, 'kabul']); "
            "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_reindex_repairs_a_damaged_index(path, capsys):
    import sqlite3
    conn = sqlite3.connect(path / "catalogue.sqlite")
    conn.execute("DELETE FROM search_fts")
    conn.commit()
    conn.close()
    assert main(["search", "-c", str(path), "--json", "kabul"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0
    assert main(["search", "-c", str(path), "--reindex"]) == 0
    assert capsys.readouterr().out.strip() == "search index rebuilt: 3 records"
    assert main(["search", "-c", str(path), "--json", "kabul"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 2


def test_no_query_is_an_error(path, capsys):
    assert main(["search", "-c", str(path)]) == 1
    assert "give a query" in capsys.readouterr().err
