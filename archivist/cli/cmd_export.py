"""``archivist export``: write records in an exchange format (JSON, CSV, EAD, DC, BagIt, IIIF ...)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from archivist.cli.cmd_ingest import Interrupt, ProgressBar
from archivist.cli.common import emit, open_from_args
from archivist.ops.export import FORMATS, export, search_available

HELP_FORMATS = {
    "json": "native JSON, lossless (re-importable)", "csv": "native CSV, one row per record",
    "atom-csv": "AtoM ISAD(G) CSV", "aspace-csv": "ArchivesSpace bulk-import CSV",
    "dc": "Dublin Core (OAI-DC XML)", "ead3": "EAD3 finding aid", "ead2002": "EAD 2002 finding aid",
    "eac-cpf": "EAC-CPF 2010 authority records (a folder)",
    "bagit": "BagIt 1.0 package with the original files (a folder)",
    "iiif": "IIIF Presentation 3 manifests with images (a folder)",
    "html": "printable finding aid (HTML)", "pdf": "printable finding aid (PDF)"}


def register(sub, common) -> None:
    """Add the ``export`` subcommand."""
    p = sub.add_parser(
        "export", parents=[common], help="export records in an exchange format",
        description="Write the catalogue, a fonds or series (--scope), or search results (--query)"
                    " in a standard format. Formats: "
                    + "; ".join(f"{k}: {v}" for k, v in HELP_FORMATS.items())
                    + ". --public leaves out restricted and closed records and internal fields"
                      " (cataloguer's notes, shelf location).")
    p.add_argument("--format", required=True, choices=FORMATS, metavar="FORMAT",
                   help=f"one of: {', '.join(FORMATS)}")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="OUT",
                   help="the file to write (a new folder for eac-cpf, bagit and iiif)")
    p.add_argument("--scope", action="append", metavar="RECORD",
                   help="export this record and everything below it (UUID, reference code or"
                        " id; repeatable)")
    p.add_argument("--query", metavar="QUERY",
                   help="export the records that match a search query"
                        + ("" if search_available() else " (search is not available)"))
    p.add_argument("--public", action="store_true",
                   help="leave out restricted records and internal fields")
    p.add_argument("--base-url", metavar="URL",
                   help="iiif: where the manifests will be served from (http or https)")
    p.add_argument("--tiles", action="store_true",
                   help="iiif: write static IIIF level 0 image tiles instead of copies of the files")
    p.set_defaults(func=run)


def run(args) -> int:
    """Export; print what was written."""
    with open_from_args(args) as cat:
        bar = ProgressBar("export")
        with Interrupt() as interrupt:
            try:
                if args.format == "pdf":
                    result = _pdf(cat, args, bar, interrupt)
                else:
                    result = export(cat, args.format, args.output, scope=args.scope,
                                    query=args.query, public=args.public, base_url=args.base_url,
                                    iiif_tiles=args.tiles, progress=bar, cancelled=interrupt)
            finally:
                bar.close()
    unit = "files" if args.format in ("eac-cpf", "iiif") else "records"
    emit(args, {"format": args.format, "path": str(result.path), "count": result.count,
                "public": args.public},
         f"wrote {result.count} {unit} to {result.path}")
    return 0


def _pdf(cat, args, bar, interrupt):
    """The HTML finding aid printed to PDF by Qt (imported only here)."""
    with tempfile.TemporaryDirectory() as tmp:
        html_path = Path(tmp) / "finding-aid.html"
        result = export(cat, "html", html_path, scope=args.scope, query=args.query,
                        public=args.public, progress=bar, cancelled=interrupt)
        from archivist.gui.exchange.pdf import html_to_pdf
        html_to_pdf(html_path.read_text(encoding="utf-8"), args.output)
    result.format, result.path = "pdf", Path(args.output)
    return result
