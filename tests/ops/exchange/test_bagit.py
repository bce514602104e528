import json

import bagit
import pytest

from archivist.ops.exchange.bagit_export import write_bagit
from archivist.ops.exchange.common import ExportError, ExportOptions

from .conftest import CATALOGUE, SECRET_WORDS


def _manifest(bag_dir):
    lines = (bag_dir / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines()
    return {path: sha for sha, path in (line.split("  ", 1) for line in lines)}


def test_bag_is_valid_version_1_and_checksums_equal_stored(sample, options, tmp_path):
    _, auths, records = sample
    bag_dir = tmp_path / "bag"
    bag = write_bagit(records, auths, bag_dir, options=options)
    assert bag.version_info == (1, 0)
    assert (bag_dir / "bagit.txt").read_text().startswith("BagIt-Version: 1.0")
    bagit.Bag(str(bag_dir)).validate()
    info = bagit.Bag(str(bag_dir)).info
    for key in ("Source-Organization", "Bagging-Date", "External-Identifier", "Payload-Oxum"):
        assert info.get(key)
    manifest = _manifest(bag_dir)
    stored = {p["file"]: p["sha256"] for r in records for p in r["media"]}
    for path, sha in stored.items():
        assert manifest[f"data/{path}"] == sha
    assert list((bag_dir).glob("tagmanifest-*.txt"))
    doc = json.loads((bag_dir / "data" / "catalogue.json").read_text(encoding="utf-8"))
    assert [r["uuid"] for r in doc["records"]] == [r["uuid"] for r in records]
    assert (bag_dir / "data" / "finding-aid.xml").exists()


def test_changing_one_payload_byte_fails_validation(sample, options, tmp_path):
    _, auths, records = sample
    bag_dir = tmp_path / "bag"
    write_bagit(records, auths, bag_dir, options=options)
    target = bag_dir / "data" / "media" / "letter-p1.jpg"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag_dir)).validate()


def test_stored_checksum_mismatch_stops_export(sample, options, tmp_path, media_root):
    _, auths, records = sample
    (media_root / "media" / "azg.jpg").write_bytes(b"not the stored file")
    with pytest.raises(ExportError, match="checksum"):
        write_bagit(records, auths, tmp_path / "bag", options=options)
    assert not (tmp_path / "bag").exists()


def test_public_bag(sample, media_root, tmp_path):
    _, auths, records = sample
    bag_dir = tmp_path / "bag"
    write_bagit(records, auths, bag_dir,
                options=ExportOptions(public=True, catalogue=CATALOGUE, media_root=media_root))
    for path in (bag_dir / "data").rglob("*"):
        if path.suffix in (".json", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert SECRET_WORDS not in text and "cataloguer private remark" not in text
