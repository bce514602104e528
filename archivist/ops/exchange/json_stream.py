"""The native JSON document (docs/native-format.md) written as a stream.

The lead's :mod:`archivist.ops.native_json` turns the store into native dicts; this writes those
dicts as one ``archivist-native`` document without holding them all: the header and authorities
first, then each record as it comes. Exports use it for ``--format json`` and inside BagIt.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping

from archivist.ops.exchange.common import (ExportOptions, public_records, strip_private,
                                           text_out)


def write_native_json(records: Iterable[dict], authorities: Mapping[str, dict], out, *,
                      options: ExportOptions | None = None,
                      page_file: Callable[[dict], str] | None = None) -> int:
    """Write a native JSON document, streaming.

    Args:
        records: RECORD dicts, parents first.
        authorities: uuid → AUTHORITY dict; in a public export only those linked from exported
            records are written (so the authorities go last in the file).
        out: a path or a text/binary stream.
        options: ``public`` and ``catalogue``.
        page_file: maps a page dict to the ``file`` to write (e.g. its path inside a bag).

    Returns:
        The number of records written.
    """
    options = options or ExportOptions()
    count = 0
    linked: set[str] = set()
    with text_out(out) as fh:
        head = {"format": "archivist-native", "version": 1, "catalogue": options.catalogue or {}}
        fh.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2])
        fh.write(',\n "records": [')
        for rec in public_records(records, options):
            if page_file is not None and rec.get("media"):
                rec = dict(rec, media=[dict(p, file=page_file(p)) for p in rec["media"]])
            linked.update(link["authority"] for link in rec.get("links") or [])
            fh.write("\n  " if count == 0 else ",\n  ")
            fh.write(json.dumps(strip_private(rec), ensure_ascii=False))
            count += 1
        fh.write('\n ],\n "authorities": [')
        first = True
        for uid, auth in authorities.items():
            if options.public and uid not in linked:
                continue
            fh.write("\n  " if first else ",\n  ")
            fh.write(json.dumps(strip_private(auth), ensure_ascii=False))
            first = False
        fh.write("\n ]\n}\n")
    return count
