"""Streaming SHA-256: the bytes hashed are the bytes copied, in one read."""

from __future__ import annotations

import hashlib
import io

import pytest

from archivist.media import hashing


def test_hash_file_matches_hashlib_across_chunk_boundaries(tmp_path):
    data = bytes(range(256)) * (hashing.CHUNK_SIZE // 256 * 2 + 7)  # > 2 chunks, ragged end
    path = tmp_path / "blob.bin"
    path.write_bytes(data)

    assert hashing.hash_file(path) == (hashlib.sha256(data).hexdigest(), len(data))


def test_copy_and_hash_copies_every_byte_and_reads_once(tmp_path, monkeypatch):
    data = b"scan" * 300_000
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    reads = []
    real_open = open

    def counting_open(file, mode="r", *args, **kwargs):
        stream = real_open(file, mode, *args, **kwargs)
        if "r" in mode and str(file) == str(src):
            original = stream.readinto

            def readinto(buf):
                n = original(buf)
                reads.append(n)
                return n

            stream.readinto = readinto
        return stream

    monkeypatch.setattr("builtins.open", counting_open)
    out = io.BytesIO()
    digest, size = hashing.copy_and_hash(src, out)

    assert out.getvalue() == data
    assert (digest, size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert sum(reads) == len(data)  # every byte read exactly once


def test_empty_file_has_the_empty_digest(tmp_path):
    path = tmp_path / "empty"
    path.write_bytes(b"")
    assert hashing.hash_file(path) == (hashlib.sha256(b"").hexdigest(), 0)


@pytest.mark.parametrize(
    "value, ok",
    [("a" * 64, True), ("A" * 64, False), ("a" * 63, False), ("g" * 64, False), (None, False)],
)
def test_is_sha256(value, ok):
    assert hashing.is_sha256(value) is ok
