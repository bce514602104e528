import json

import pytest

from archivist.ops.exchange.common import ExportError, ExportOptions
from archivist.ops.exchange.iiif import write_iiif

from .conftest import ARMENIAN, LETTER


def _walk_ids(node):
    if isinstance(node, dict):
        if "id" in node:
            yield node["id"]
        for value in node.values():
            yield from _walk_ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_ids(value)


def test_manifest_per_item_with_pages(sample, options, tmp_path):
    _, auths, records = sample
    out = tmp_path / "iiif"
    assert write_iiif(records, auths, out, options=options) == 2
    letter = json.loads((out / LETTER / "manifest.json").read_text(encoding="utf-8"))
    assert letter["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert letter["type"] == "Manifest" and letter["label"] == {"prs": ["نامه به وزارت دفاع"]}
    assert letter["viewingDirection"] == "right-to-left"
    assert all(i.startswith("https://archive.example.org/iiif/") for i in _walk_ids(letter))
    canvases = letter["items"]
    assert [c["label"] for c in canvases] == [{"none": ["p. 1"]}, {"none": ["p. 2"]}]
    assert [(c["width"], c["height"]) for c in canvases] == [(40, 60), (42, 64)]
    for c in canvases:
        anno = c["items"][0]["items"][0]
        assert anno["motivation"] == "painting" and anno["target"] == c["id"]
        assert (anno["body"]["width"], anno["body"]["height"]) == (c["width"], c["height"])
    assert (out / LETTER / "p1.jpg").exists() and (out / LETTER / "p2.jpg").exists()
    armenian = json.loads((out / ARMENIAN / "manifest.json").read_text(encoding="utf-8"))
    assert armenian["viewingDirection"] == "left-to-right"
    assert armenian["items"][0]["width"] == 80


def test_sizes_from_dict_win_over_file(sample, options, tmp_path):
    _, auths, records = sample
    letter = next(r for r in records if r["uuid"] == LETTER)
    letter["media"][0].update(width=2000, height=3000)
    write_iiif([letter], auths, tmp_path, options=options, copy_images=False)
    doc = json.loads((tmp_path / LETTER / "manifest.json").read_text(encoding="utf-8"))
    assert (doc["items"][0]["width"], doc["items"][0]["height"]) == (2000, 3000)


def test_base_url_must_be_http(sample, tmp_path):
    _, auths, records = sample
    with pytest.raises(ExportError):
        write_iiif(records, auths, tmp_path, options=ExportOptions(base_url="file:///tmp"))
