"""The headless CLI, run as a user runs it: in a subprocess."""

import json
import os
import subprocess
import sys

import pytest

from archivist.cli.main import build_parser


def run(*args, check=True):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "archivist", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"archivist {' '.join(map(str, args))} failed:\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    c = tmp_path_factory.mktemp("cli") / "Karabakh.archivist"
    run("init", "-c", c)
    run("add", "-c", c, "--title", "Foreign fighters", "--level", "fonds", "--identifier", "KFF")
    run("add", "-c", c, "--title", "Official correspondence", "--level", "series", "--parent", "KFF",
        "--identifier", "1")
    run("add", "-c", c, "--title", "Letter of the President of Armenia", "--level", "item", "--type",
        "letter", "--parent", "KFF-1", "--identifier", "1", "--date", "1994-05",
        "--field", "languages=hy", "--field", "languages=ru", "--user", "Ani")
    return c


def test_full_round_of_commands(catalogue):
    c = catalogue
    auth = run("authority", "add", "-c", c, "--kind", "person", "--name", "Ter-Petrosyan, Levon",
               "--variant", "Լևոն Տեր-Պետրոսյան@hy-Armn").stdout.strip()
    run("link", "-c", c, "KFF-1-1", "--authority", auth, "--role", "sender")
    reply = run("add", "-c", c, "--title", "Reply of the President of Afghanistan", "--level", "item",
                "--type", "letter", "--parent", "KFF-1", "--identifier", "2", "--date", "1994~",
                "--json")
    reply_id = json.loads(reply.stdout)["id"]
    run("relate", "-c", c, reply_id, "--to", "KFF-1-1", "--type", "responds_to")
    shown = json.loads(run("show", "-c", c, "KFF-1-1", "--json").stdout)
    for key in ("id", "reference_code", "title", "level", "type", "parent", "dates", "fields",
                "links", "relations", "media"):
        assert key in shown
    assert shown["dates"][0] == {"expression": "1994-05", "label": "creation", "earliest": "1994-05-01",
                                 "latest": "1994-05-31", "certainty": None, "human": "May 1994"}
    assert shown["fields"]["languages"] == ["hy", "ru"]
    assert shown["links"][0]["role"] == "sender" and shown["links"][0]["authority"] == auth
    assert shown["relations"] == [{"type": "response", "record": reply_id,
                                   "title": "Reply of the President of Afghanistan",
                                   "reference_code": "KFF-1-2"}]
    tree = json.loads(run("tree", "-c", c, "--json").stdout)
    assert tree[0]["children"][0]["children"][1]["id"] == reply_id
    for key in ("id", "reference_code", "title", "level", "children"):
        assert key in tree[0]
    hist = json.loads(run("history", "-c", c, "KFF-1-1", "--json").stdout)
    assert {h["user"] for h in hist} >= {"Ani"}


def test_edit_move_trash_restore_revert(catalogue):
    c = catalogue
    run("add", "-c", c, "--title", "Press", "--level", "series", "--parent", "KFF", "--identifier", "4")
    run("add", "-c", c, "--title", "Clipping", "--level", "item", "--type", "press_clipping",
        "--parent", "KFF-4", "--identifier", "1")
    run("edit", "-c", c, "KFF-4-1", "--field", "title=Washington Post clipping",
        "--field", "publication=The Washington Post")
    clash = run("move", "-c", c, "KFF-4-1", "--parent", "KFF-1", check=False)
    assert clash.returncode == 1 and "already used by" in clash.stderr
    run("edit", "-c", c, "KFF-4-1", "--field", "identifier=9")
    run("move", "-c", c, "KFF-4-9", "--parent", "KFF-1", "--position", "0")
    moved = json.loads(run("show", "-c", c, "KFF-1-9", "--json").stdout)
    assert moved["title"] == "Washington Post clipping" and moved["position"] == 0
    run("trash", "-c", c, "KFF-1-9")
    assert json.loads(run("show", "-c", c, "KFF-1-9", "--json").stdout)["trashed"] is True
    tree = json.loads(run("tree", "-c", c, "--json").stdout)
    assert "KFF-1-9" not in json.dumps(tree)
    run("restore", "-c", c, "KFF-1-9")
    assert json.loads(run("show", "-c", c, "KFF-1-9", "--json").stdout)["trashed"] is False
    last = json.loads(run("history", "-c", c, "--json", "--limit", "20").stdout)
    title_change = next(h for h in last if h["field"] == "title" and h["new"] == "Washington Post clipping")
    run("revert", "-c", c, title_change["id"])
    assert json.loads(run("show", "-c", c, "KFF-1-9", "--json").stdout)["title"] == "Clipping"


@pytest.mark.parametrize("args, message", [
    (["show", "-c", "{missing}", "x"], "does not exist"),
    (["add", "-c", "{c}", "--title", "x", "--level", "item", "--date", "1995/1993"], "ends before it starts"),
    (["add", "-c", "{c}", "--title", "x", "--level", "fonds", "--parent", "KFF-1-1"], "cannot contain"),
    (["show", "-c", "{c}", "NOPE-9"], "no record has"),
    (["edit", "-c", "{c}", "KFF", "--field", "colour=red"], "unknown field"),
    (["link", "-c", "{c}", "KFF", "--authority", "Nobody", "--role", "sender"], "no authority record"),
    (["revert", "-c", "{c}", "99999"], "no change"),
    (["show", "-c", "{notcat}", "x"], "not an Archivist catalogue"),
])
def test_expected_errors_are_one_line(catalogue, tmp_path, args, message):
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "x.txt").write_text("x")
    args = [a.format(c=catalogue, missing=tmp_path / "nope", notcat=tmp_path / "plain") for a in args]
    proc = run(*args, check=False)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("archivist: error: ") and message in lines[0]


def test_every_command_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    assert {"init", "add", "edit", "move", "trash", "restore", "show", "tree", "authority", "link",
            "relate", "history", "revert"} <= set(sub.choices)
    for name in sub.choices:
        proc = run(name, "--help")
        assert "usage: archivist" in proc.stdout


def test_headless_commands_never_import_qt(catalogue):
    code = ("import sys; from archivist.cli.main import main; "
            f"rc = main(['tree', '-c', {str(catalogue)!r}]); "
            "rc |= main(['show', '-c', %r, 'KFF']); " % str(catalogue) +
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'PySide6 imported'; "
            "sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
