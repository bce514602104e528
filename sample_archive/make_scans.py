"""Generate the placeholder page images of the sample archive (a standalone script, run by hand).

Usage::

    python sample_archive/make_scans.py [path/to/collection.json]

No original of the sample collection is held, so each item gets one to three generated pages that
say, on the image, that they are placeholders and not facsimiles, with the item's title and
reference code. Formats are mixed on purpose (JPEG, PNG, and multi-page TIFF) so that the viewer
and the ingest code meet each kind. The script rewrites the ``media`` list of every item in
``collection.json`` (file, sha256, page index, label, a transcription of the generated text and a
region around the placeholder notice) and deletes the images it made before.

Needs Pillow only. Fonts come from Noto (``fonts-noto-core``) where installed, else DejaVu, else
Pillow's built-in font; Armenian and Arabic-script lines are skipped when no font can draw them.
"""

from __future__ import annotations

import hashlib
import json
import sys
import textwrap
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

SIZE = (800, 1100)
MARGIN = 60
NOTICE = "PLACEHOLDER — NOT A FACSIMILE"
NOTICE_2 = ("Generated for the Archivist demo by sample_archive/make_scans.py. The original is "
            "not held: nothing on this page comes from it.")
CAPTION = "Names and languages in their own script, from the catalogue's authority records:"
FONT_DIRS = [Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/dejavu"),
             Path("/usr/share/fonts/noto"), Path("/usr/share/fonts/TTF"), Path("C:/Windows/Fonts"),
             Path("/System/Library/Fonts/Supplemental"), Path("/Library/Fonts")]
FONT_FILES = {
    "Latn": ["NotoSans-Regular.ttf", "DejaVuSans.ttf", "Arial.ttf", "arial.ttf"],
    "bold": ["NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf"],
    "Armn": ["NotoSansArmenian-Regular.ttf", "NotoSerifArmenian-Regular.ttf", "DejaVuSans.ttf"],
    "Arab": ["NotoNaskhArabic-Regular.ttf", "NotoSansArabic-Regular.ttf", "DejaVuSans.ttf"],
}
#: (format, number of pages) by record type; the annex is a three-page TIFF.
PLAN = {"letter": ("jpeg", 2), "captured_document": ("jpeg", 2), "physical_object": ("jpeg", 1),
        "press_clipping": ("png", 1), "report": ("png", 2), "book_extract": ("png", 2),
        "web_article": ("png", 3), "testimony": ("tiff", 2), "other": ("tiff", 3),
        "photograph": ("jpeg", 1)}
EXT = {"jpeg": "jpg", "png": "png", "tiff": "tif"}
NATIVE_ROLES = ("sender", "recipient", "author", "creator", "place_mentioned", "place_of_creation")
LANGUAGE_NAMES = {"prs": "دری", "pus": "پښتو", "hy": "Հայերեն", "ru": "Русский"}


def _find_font(script: str) -> Path | None:
    for name in FONT_FILES[script]:
        for folder in FONT_DIRS:
            if (folder / name).is_file():
                return folder / name
    return None


def font(script: str, size: int) -> ImageFont.ImageFont | None:
    """A font able to draw ``script`` at ``size`` px, or None for a non-Latin script without one."""
    path = _find_font(script)
    if path is not None:
        try:
            engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
            return ImageFont.truetype(str(path), size, layout_engine=engine)
        except OSError:
            pass
    if script in ("Latn", "bold"):
        return ImageFont.load_default(size)
    return None


def script_of(text: str) -> str:
    """The ISO 15924 script of the first letter that is not Latin or Cyrillic (else "Latn")."""
    for ch in text:
        name = unicodedata.name(ch, "")
        if name.startswith("ARMENIAN"):
            return "Armn"
        if name.startswith("ARABIC"):
            return "Arab"
    return "Latn"


def reference_codes(records: list[dict]) -> dict[str, str]:
    """Reference codes by uuid: a hand-set code wins, else the parent's code + "-" + identifier."""
    codes: dict[str, str] = {}
    for r in records:
        if r.get("reference_code"):
            codes[r["uuid"]] = r["reference_code"]
        elif r["parent"] is None:
            codes[r["uuid"]] = r["identifier"]
        else:
            codes[r["uuid"]] = f"{codes[r['parent']]}-{r['identifier']}"
    return codes


def native_lines(record: dict, authorities: dict[str, dict]) -> list[str]:
    """Up to three non-Latin names of the item's main authorities and its languages, to draw."""
    lines: list[str] = []
    for link in record["links"]:
        if link["role"] not in NATIVE_ROLES:
            continue
        for var in authorities[link["authority"]]["variants"]:
            if var["script"] in ("Armn", "Arab") and var["name"] not in lines:
                lines.append(var["name"])
                break
    langs = [LANGUAGE_NAMES[c] for c in record["fields"].get("languages", []) if c in LANGUAGE_NAMES]
    if langs:
        lines.append("، ".join(langs))
    return lines[:3]


def page_labels(record: dict, count: int) -> list[str]:
    """Labels of the pages: the cited page numbers of a book extract, else "p. 1", "p. 2" ..."""
    page_range = record["fields"].get("page_range", "")
    first, _, last = page_range.partition("-")
    if first.isdigit() and last.isdigit() and int(last) - int(first) + 1 == count:
        return [f"p. {n}" for n in range(int(first), int(last) + 1)]
    return [f"p. {n}" for n in range(1, count + 1)]


def draw_page(record: dict, code: str, label: str, index: int, count: int,
              extra: list[str], colour: bool) -> tuple[Image.Image, list[str], tuple]:
    """Draw one placeholder page; return the image, the lines of text on it and the notice box."""
    paper = (250, 247, 238) if colour else 255
    ink = (25, 25, 25) if colour else 0
    accent = (170, 20, 20) if colour else 0
    im = Image.new("RGB" if colour else "L", SIZE, paper)
    d = ImageDraw.Draw(im)
    w, h = SIZE
    big, mid, small = font("bold", 40), font("Latn", 26), font("Latn", 19)
    d.rectangle([20, 20, w - 21, h - 21], outline=ink, width=3)
    # A faint diagonal watermark.
    mark = Image.new("L", (h, 160), 0)
    ImageDraw.Draw(mark).text((h // 2, 80), "PLACEHOLDER", font=font("bold", 120), fill=40, anchor="mm")
    mark = mark.rotate(52, expand=True)
    tint = Image.new(im.mode, mark.size, (200, 200, 200) if colour else 200)
    im.paste(tint, ((w - mark.width) // 2, (h - mark.height) // 2), mark)
    # The notice.
    box = (MARGIN - 20, 40, w - MARGIN + 20, 200)
    d.rectangle(box, outline=accent, width=5)
    d.text((w // 2, 85), NOTICE, font=big, fill=accent, anchor="mm")
    y = 125
    for line in textwrap.wrap(NOTICE_2, 60):
        d.text((w // 2, y), line, font=small, fill=ink, anchor="mm")
        y += 26
    texts = [NOTICE, NOTICE_2]
    y = 260
    d.text((MARGIN, y), code, font=font("bold", 34), fill=ink)
    texts.append(code)
    y += 70
    for line in wrap_px(d, record["title"], mid, w - 2 * MARGIN):
        d.text((MARGIN, y), line, font=mid, fill=ink)
        y += 36
    texts.append(record["title"])
    y += 20
    facts = [f"Type: {(record['type'] or 'unit').replace('_', ' ')}"]
    if record["dates"]:
        facts.append("Date (EDTF): " + "; ".join(x["expression"] for x in record["dates"]))
    if record["access"]["status"] != "open":
        facts.append(f"Access: {record['access']['status'].upper()}")
    for fact in facts:
        d.text((MARGIN, y), fact, font=small, fill=ink)
        texts.append(fact)
        y += 30
    y += 20
    drawable = []
    for line in extra:
        script = script_of(line)
        f = font(script, 30)
        if f is None or (script == "Arab" and not features.check("raqm")):
            continue  # no font or no shaping: leave the line out rather than draw it wrong
        drawable.append((line, script, f))
    if drawable:
        for part in wrap_px(d, CAPTION, small, w - 2 * MARGIN):
            d.text((MARGIN, y), part, font=small, fill=ink)
            y += 28
        texts.append(CAPTION)
        y += 16
    for line, script, f in drawable:
        direction = "rtl" if script == "Arab" else None
        for part in wrap_px(d, line, f, w - 2 * MARGIN, direction):
            if direction:  # right-to-left: shaped by raqm, set against the right margin
                d.text((w - MARGIN, y), part, font=f, fill=ink, direction=direction, anchor="ra")
            else:
                d.text((MARGIN, y), part, font=f, fill=ink)
            y += 44
        texts.append(line)
        y += 6
    footer = f"{label} — page {index + 1} of {count} — placeholder, not a facsimile"
    d.text((w // 2, h - 60), footer, font=small, fill=ink, anchor="mm")
    texts.append(footer)
    return im, texts, box


def wrap_px(draw: ImageDraw.ImageDraw, text: str, fnt, width: int, direction: str | None = None) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` pixels (at spaces)."""
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(trial, font=fnt, direction=direction) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def sha256(path: Path) -> str:
    """SHA-256 of a file, lowercase hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_item(record: dict, code: str, media: Path, authorities: dict[str, dict]) -> list[dict]:
    """Write one item's pages and return its PAGE entries."""
    fmt, count = PLAN.get(record["type"], ("png", 1))
    labels = page_labels(record, count)
    extra = native_lines(record, authorities)
    stem = code.lower().replace("am-archivist-", "")
    pages = [draw_page(record, code, labels[i], i, count, extra, colour=(fmt == "jpeg"))
             for i in range(count)]
    files: list[Path] = []
    if fmt == "tiff":
        path = media / f"{stem}.{EXT[fmt]}"
        first, *rest = [p[0] for p in pages]
        first.save(path, "TIFF", save_all=True, append_images=rest, compression="tiff_adobe_deflate")
        files = [path] * count
    else:
        for i, (im, _, _) in enumerate(pages):
            path = media / f"{stem}-p{i + 1}.{EXT[fmt]}"
            if fmt == "jpeg":
                im.save(path, "JPEG", quality=55, optimize=True, progressive=False)
            else:
                im.quantize(16).save(path, "PNG", optimize=True)
            files.append(path)
    entries = []
    for i, (path, (im, texts, box)) in enumerate(zip(files, pages)):
        w, h = SIZE
        entry = {"file": f"media/{path.name}", "sha256": sha256(path),
                 "page_index": i if fmt == "tiff" else 0, "label": labels[i],
                 "transcriptions": [{"kind": "transcription", "language": "en", "text": "\n".join(texts)}],
                 "regions": []}
        if i == 0:
            entry["regions"].append({
                "x": round(box[0] / w, 4), "y": round(box[1] / h, 4),
                "w": round((box[2] - box[0]) / w, 4), "h": round((box[3] - box[1]) / h, 4),
                "title": "Placeholder notice",
                "description": "Generated text stating that this image is a placeholder, not a facsimile.",
                "transcription": NOTICE})
        entries.append(entry)
    return entries


def main(argv: list[str]) -> int:
    """Regenerate every item's pages and rewrite the collection's media lists."""
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("collection.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    media = path.parent / "media"
    media.mkdir(exist_ok=True)
    for old in media.glob("kff-*"):
        old.unlink()
    authorities = {a["uuid"]: a for a in doc["authorities"]}
    codes = reference_codes(doc["records"])
    for record in doc["records"]:
        if record["level"] == "item":
            record["media"] = make_item(record, codes[record["uuid"]], media, authorities)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in media.iterdir())
    print(f"{len(list(media.iterdir()))} files, {total / 1e6:.2f} MB in {media}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
