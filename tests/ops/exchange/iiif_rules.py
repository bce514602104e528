"""The rules of IIIF Presentation 3 that a manifest of ours must keep, checked without a network.

No JSON schema for IIIF is in ``../shared/schemas``, so these are the constraints of the
Presentation API 3.0 (and of the IIIF presentation validator's JSON schema that expresses them),
written out for the resources our manifests use: Manifest, Canvas, AnnotationPage, Annotation,
Image bodies, services, metadata, language maps. :func:`problems` returns each broken rule with
the path where it is broken.
"""

from __future__ import annotations

import re

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
_LANG_KEY = re.compile(r"^(?:[a-zA-Z-]+|none)$")
_HTTP = re.compile(r"^http")
_FORMAT = re.compile(r"^[a-z][a-z]*/.*$")
_RIGHTS = re.compile(r"^http://(?:creativecommons\.org/(?:licenses|publicdomain)/|rightsstatements\.org/vocab/)")
_MANIFEST_KEYS = {"@context", "id", "label", "type", "metadata", "summary", "requiredStatement",
                  "rendering", "service", "services", "viewingDirection", "placeholderCanvas",
                  "accompanyingCanvas", "rights", "start", "navDate", "navPlace", "provider",
                  "seeAlso", "thumbnail", "homepage", "behavior", "partOf", "items", "structures",
                  "annotations"}
_PAGE_KEYS = {"@context", "id", "type", "rendering", "label", "service", "thumbnail", "items",
              "partOf", "next", "prev", "first", "last"}
_DIRECTIONS = {"left-to-right", "right-to-left", "top-to-bottom", "bottom-to-top"}


def _lang_map(value, path: str, out: list[str]) -> None:
    if not isinstance(value, dict) or not value:
        out.append(f"{path}: a language map (object) is required")
        return
    for key, texts in value.items():
        if not _LANG_KEY.match(key):
            out.append(f"{path}: {key!r} is not a language tag or 'none'")
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            out.append(f"{path}.{key}: the value must be an array of strings")


def _id(node: dict, path: str, out: list[str]) -> None:
    if not isinstance(node.get("id"), str) or not _HTTP.match(node["id"]):
        out.append(f"{path}.id: an http(s) URI is required")


def _dimension(node: dict, key: str, path: str, out: list[str]) -> None:
    value = node.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        out.append(f"{path}.{key}: a positive integer is required")


def _pair(value, path: str, out: list[str]) -> None:
    if not isinstance(value, dict) or "label" not in value or "value" not in value:
        out.append(f"{path}: label and value are required")
        return
    _lang_map(value["label"], path + ".label", out)
    _lang_map(value["value"], path + ".value", out)


def _objects(value, path: str, out: list[str], required: str = "an array is required"):
    """Each object of an array, with its path; a value that is no array, and items that are no
    objects, are reported instead."""
    if not isinstance(value, list):
        out.append(f"{path}: {required}")
        return
    for i, item in enumerate(value):
        where = f"{path}[{i}]"
        if isinstance(item, dict):
            yield where, item
        else:
            out.append(f"{where}: an object is required")


def _services(value, path: str, out: list[str]) -> None:
    for where, svc in _objects(value, path, out):
        if "@id" in svc or "@type" in svc:  # an Image API 2 service
            if not (isinstance(svc.get("@id"), str) and _HTTP.match(svc["@id"]) and svc.get("@type")):
                out.append(f"{where}: @id (http) and @type are required")
        else:
            _id(svc, where, out)
            if not svc.get("type"):
                out.append(f"{where}.type: required")


def _body(body, path: str, out: list[str]) -> None:
    if not isinstance(body, dict):
        out.append(f"{path}: an object is required")
        return
    _id(body, path, out)
    if not body.get("type"):
        out.append(f"{path}.type: required")
    if "format" in body and not _FORMAT.match(str(body["format"])):
        out.append(f"{path}.format: a media type is required")
    for key in ("width", "height"):
        if key in body:
            _dimension(body, key, path, out)
    if "service" in body:
        _services(body["service"], path + ".service", out)


def _canvas(canvas: dict, path: str, out: list[str]) -> None:
    _id(canvas, path, out)
    if canvas.get("type") != "Canvas":
        out.append(f"{path}.type: must be 'Canvas'")
    if "label" in canvas:
        _lang_map(canvas["label"], path + ".label", out)
    if ("width" in canvas) != ("height" in canvas) or not ({"width", "duration"} & set(canvas)):
        out.append(f"{path}: width and height (or a duration) are required")
    for key in ("width", "height"):
        if key in canvas:
            _dimension(canvas, key, path, out)
    for where, page in _objects(canvas.get("items"), path + ".items", out,
                                "an array of annotation pages is required"):
        _annotation_page(page, where, canvas.get("id"), out)


def _annotation_page(page: dict, path: str, canvas_id, out: list[str]) -> None:
    _id(page, path, out)
    if page.get("type") != "AnnotationPage":
        out.append(f"{path}.type: must be 'AnnotationPage'")
    for extra in sorted(set(page) - _PAGE_KEYS):
        out.append(f"{path}.{extra}: not allowed on an annotation page")
    for at, anno in _objects(page.get("items") or [], path + ".items", out):
        _id(anno, at, out)
        if anno.get("type") != "Annotation":
            out.append(f"{at}.type: must be 'Annotation'")
        target = anno.get("target")
        if not (isinstance(target, str) and _HTTP.match(target)):
            out.append(f"{at}.target: an http(s) URI is required")
        elif anno.get("motivation") == "painting" and target.split("#")[0] != canvas_id:
            out.append(f"{at}.target: a painting annotation targets its own canvas")
        _body(anno.get("body"), at + ".body", out)


def problems(manifest: dict) -> list[str]:
    """Every rule of IIIF Presentation 3 this manifest breaks (empty when it keeps them all)."""
    out: list[str] = []
    if manifest.get("@context") != CONTEXT and not (
            isinstance(manifest.get("@context"), list) and CONTEXT in manifest["@context"]):
        out.append("@context: must be (or include) the Presentation 3 context")
    _id(manifest, "manifest", out)
    if manifest.get("type") != "Manifest":
        out.append("type: must be 'Manifest'")
    for extra in sorted(set(manifest) - _MANIFEST_KEYS):
        out.append(f"{extra}: not a property of a Manifest")
    if "label" not in manifest:
        out.append("label: required")
    else:
        _lang_map(manifest["label"], "label", out)
    if "summary" in manifest:
        _lang_map(manifest["summary"], "summary", out)
    for i, pair in enumerate(manifest.get("metadata") or []):
        _pair(pair, f"metadata[{i}]", out)
    if "requiredStatement" in manifest:
        _pair(manifest["requiredStatement"], "requiredStatement", out)
    if "rights" in manifest and not _RIGHTS.match(str(manifest["rights"])):
        out.append("rights: a Creative Commons or RightsStatements.org URI is required")
    if "viewingDirection" in manifest and manifest["viewingDirection"] not in _DIRECTIONS:
        out.append("viewingDirection: not one of the four directions")
    for key in ("service", "services"):
        if key in manifest:
            _services(manifest[key], key, out)
    for i, thumb in enumerate(manifest.get("thumbnail") or []):
        _body(thumb, f"thumbnail[{i}]", out)
    items = manifest.get("items")
    for where, canvas in _objects(items, "items", out, "an array of canvases is required"):
        _canvas(canvas, where, out)
    ids = [c.get("id") for c in items if isinstance(c, dict)] if isinstance(items, list) else []
    if len(ids) != len(set(ids)):
        out.append("items: canvas ids must be unique")
    return out
