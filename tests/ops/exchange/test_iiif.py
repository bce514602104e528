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


def test_level0_tiles_exist_for_every_listed_tile_and_size(tmp_path):
    from PIL import Image

    from archivist.ops.exchange.iiif_tiles import tile_requests, write_level0

    src = tmp_path / "big.png"
    Image.new("RGB", (300, 200), (10, 20, 30)).save(src)
    folder = tmp_path / "svc"
    info = write_level0(src, folder, "https://example.org/img/p1", tile=128)
    assert info["profile"] == "level0" and info["type"] == "ImageService3"
    assert (info["width"], info["height"]) == (300, 200)
    factors = info["tiles"][0]["scaleFactors"]
    assert factors == [1, 2, 4]
    requests = list(tile_requests(300, 200, 128, factors))
    assert len(requests) == 6 + 2 + 1
    for x, y, w, h, ws, hs in requests:
        path = folder / f"{x},{y},{w},{h}" / f"{ws},{hs}" / "0" / "default.jpg"
        with Image.open(path) as tile:
            assert tile.size == (ws, hs)
    for size in info["sizes"]:
        assert (folder / "full" / f"{size['width']},{size['height']}" / "0" / "default.jpg").exists()
    assert (folder / "full" / "max" / "0" / "default.jpg").exists()


def test_manifest_with_tiles_points_to_services(sample, options, tmp_path):
    _, auths, records = sample
    write_iiif(records, auths, tmp_path, options=options, tiles=True)
    doc = json.loads((tmp_path / LETTER / "manifest.json").read_text(encoding="utf-8"))
    body = doc["items"][0]["items"][0]["items"][0]["body"]
    service = body["service"][0]
    assert service["profile"] == "level0" and body["id"].startswith(service["id"])
    rel = service["id"].removeprefix("https://archive.example.org/iiif/")
    info = json.loads((tmp_path / rel / "info.json").read_text(encoding="utf-8"))
    assert (info["width"], info["height"]) == (body["width"], body["height"]) == (40, 60)


def test_manifests_keep_the_presentation_3_rules(sample, options, tmp_path):
    from .iiif_rules import problems
    _, auths, records = sample
    write_iiif(records, auths, tmp_path, options=options, tiles=True)
    manifests = sorted(tmp_path.glob("*/manifest.json"))
    assert len(manifests) == 2
    for path in manifests:
        assert problems(json.loads(path.read_text(encoding="utf-8"))) == [], path


def test_the_rules_catch_a_broken_manifest(sample, options, tmp_path):
    from .iiif_rules import problems
    _, auths, records = sample
    write_iiif(records, auths, tmp_path, options=options, copy_images=False)
    doc = json.loads((tmp_path / LETTER / "manifest.json").read_text(encoding="utf-8"))
    doc["label"] = {"prs": "not an array"}
    doc["items"][0]["width"] = 0
    doc["items"][0]["items"][0]["items"][0]["target"] = "p1"
    doc["viewingDirection"] = "sideways"
    doc["sequences"] = []
    found = "\n".join(problems(doc))
    for rule in ("label.prs", "items[0].width", "target", "viewingDirection", "sequences"):
        assert rule in found
