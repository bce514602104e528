"""IIIF Presentation 3.0 manifests (STANDARDS.md §7.1), one per record that has pages.

Written into a folder: ``<uuid>/manifest.json`` and, with ``copy_images``, the page images beside
it as ``<uuid>/p<n>.<ext>`` so that the folder can be served as it is. Every id starts with the
configured ``base_url`` (http or https, as the IIIF validator requires). Canvas sizes are the pixel
sizes of the pages (from the page dict's ``width``/``height`` or read from the file header with
Pillow), canvases follow page order, and items written in an Arabic-script language are
``right-to-left``. With ``tiles`` each page gets a static level 0 image service instead
(:mod:`archivist.ops.exchange.iiif_tiles`).
"""

from __future__ import annotations

import json
import mimetypes
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from archivist.ops.exchange.common import (ExportError, ExportOptions, ReferenceCodes,
                                           public_records)
from archivist.ops.exchange.datemap import date_bounds
from archivist.ops.exchange.iiif_tiles import write_level0
from archivist.ops.exchange.langs import is_rtl, text_language

CONTEXT = "http://iiif.io/api/presentation/3/context.json"


def page_size(page: dict, options: ExportOptions) -> tuple[int, int]:
    """(width, height) in pixels of a page.

    Raises:
        ExportError: the size is not in the dict and the file cannot be read.
    """
    for w, h in (("width", "height"), ("_width", "_height")):
        if page.get(w) and page.get(h):
            return int(page[w]), int(page[h])
    path = options.file_of(page)
    if path is None or not Path(path).exists():
        raise ExportError(f"cannot find the file of page {page.get('file')!r} to size its canvas")
    from PIL import Image

    with Image.open(path) as img:
        if page.get("page_index"):
            img.seek(int(page["page_index"]))
        return img.size


def _lang_map(text: str, lang: str | None) -> dict:
    return {lang or "none": [text]}


def manifest(rec: dict, code: str | None, options: ExportOptions,
             image_names: list[str] | None = None, services: bool = False) -> dict:
    """The Presentation 3 manifest of one record with pages.

    Args:
        rec: the RECORD dict.
        code: its reference code.
        options: ``base_url`` and ``catalogue`` (attribution); files for sizes.
        image_names: names of copied images beside the manifest (else the page file name).
        services: pages have static level 0 image services in ``img/p<n>`` beside the manifest.
    """
    base = options.base_url.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise ExportError(f"IIIF base URL must start with http:// or https:// (got {base!r})")
    fields = rec.get("fields") or {}
    root = f"{base}/{rec['uuid']}"
    lang, _ = text_language(rec.get("title") or "", fields.get("languages"))
    desc_lang = (options.catalogue or {}).get("description_language") or "en"
    metadata = []
    if code:
        metadata.append({"label": {"en": ["Reference code"]}, "value": {"none": [code]}})
    for date in rec.get("dates") or []:
        metadata.append({"label": {"en": [f"Date ({date.get('label') or 'creation'})"]},
                         "value": {"en": [date_bounds(date).human]}})
    if fields.get("languages"):
        metadata.append({"label": {"en": ["Languages"]},
                         "value": {"none": list(fields["languages"])}})
    doc = {"@context": CONTEXT, "id": f"{root}/manifest.json", "type": "Manifest",
           "label": _lang_map(rec.get("title") or "", lang or desc_lang),
           "metadata": metadata}
    if (options.catalogue or {}).get("name"):
        doc["requiredStatement"] = {"label": {"en": ["Attribution"]},
                                    "value": {"en": [options.catalogue["name"]]}}
    if fields.get("scope_content"):
        slang, _ = text_language(fields["scope_content"], fields.get("languages"))
        doc["summary"] = _lang_map(fields["scope_content"], slang or desc_lang)
    doc["viewingDirection"] = ("right-to-left" if is_rtl(fields.get("languages"),
                                                         fields.get("scripts"))
                               else "left-to-right")
    items = []
    for n, page in enumerate(rec.get("media") or [], start=1):
        width, height = page_size(page, options)
        name = image_names[n - 1] if image_names else PurePosixPath(page["file"]).name
        fmt = mimetypes.guess_type(name)[0] or "image/jpeg"
        canvas = f"{root}/canvas/p{n}"
        body = {"id": f"{root}/{name}", "type": "Image", "format": fmt, "width": width,
                "height": height}
        if services:
            service = f"{root}/img/p{n}"
            body = {"id": f"{service}/full/max/0/default.jpg", "type": "Image",
                    "format": "image/jpeg", "width": width, "height": height,
                    "service": [{"id": service, "type": "ImageService3", "profile": "level0"}]}
        items.append({
            "id": canvas, "type": "Canvas", "label": {"none": [page.get("label") or f"p. {n}"]},
            "width": width, "height": height,
            "items": [{"id": f"{root}/page/p{n}/1", "type": "AnnotationPage",
                       "items": [{"id": f"{root}/annotation/p{n}-image", "type": "Annotation",
                                  "motivation": "painting",
                                  "body": body, "target": canvas}]}]})
    doc["items"] = items
    return doc


def write_iiif(records: Iterable[dict], authorities: Mapping[str, dict], out, *,
               options: ExportOptions | None = None, copy_images: bool = True,
               tiles: bool | None = None) -> int:
    """Write one IIIF Presentation 3 manifest per record with pages into the folder ``out``.

    Args:
        records: RECORD dicts (depth-first, for reference codes).
        authorities: unused; kept for the common writer shape.
        out: the folder to write into.
        options: ``base_url``, ``public``, ``catalogue``, and how to find page files.
        copy_images: also copy each page image beside its manifest.
        tiles: write a static level 0 image service (tiles, sizes, info.json) per page instead
            of a copy (default: ``options.iiif_tiles``).

    Returns:
        The number of manifests written.
    """
    options = options or ExportOptions()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    tiles = options.iiif_tiles if tiles is None else tiles
    codes = ReferenceCodes()
    count = 0
    for rec in public_records(records, options):
        code = codes.code(rec)
        if not rec.get("media"):
            continue
        target = folder / rec["uuid"]
        target.mkdir(exist_ok=True)
        names = None
        if tiles:
            root = f"{options.base_url.rstrip('/')}/{rec['uuid']}"
            for n, page in enumerate(rec["media"], start=1):
                src = options.file_of(page)
                if src is None or not Path(src).exists():
                    raise ExportError(f"the file of page {page.get('file')!r} is missing")
                write_level0(Path(src), target / "img" / f"p{n}", f"{root}/img/p{n}",
                             page_index=int(page.get("page_index") or 0))
        elif copy_images:
            names = []
            for n, page in enumerate(rec["media"], start=1):
                src = options.file_of(page)
                name = f"p{n}{PurePosixPath(page['file']).suffix.lower()}"
                if src is not None and Path(src).exists():
                    shutil.copyfile(src, target / name)
                names.append(name)
        doc = manifest(rec, code, options, names, services=tiles)
        (target / "manifest.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1),
                                              encoding="utf-8")
        count += 1
    return count
