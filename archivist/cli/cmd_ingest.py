"""``archivist ingest``: add scans to a record, or one new item per file under a parent."""

from __future__ import annotations

import signal
import sys
import time

from archivist.cli.common import emit, open_from_args
from archivist.core.errors import InvalidValue
from archivist.core.levels import LEVELS
from archivist.ops.ingest import ingest, make_previews
from archivist.store import records


def register(sub, common) -> None:
    """Add the ``ingest`` subcommand."""
    p = sub.add_parser(
        "ingest", parents=[common], help="add scans (files or folders) to the catalogue",
        description="Copy scans into the catalogue with SHA-256 fixity, make thumbnails and"
                    " previews, and add them as pages of a record (files in natural order), or as"
                    " one new record per file under a parent. Formats: JPEG, PNG, TIFF, WebP,"
                    " GIF, BMP, PDF. Exits 1 if any file was refused.")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="scans, or folders of scans")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--record", metavar="RECORD",
                        help="add every file's pages to this record (UUID, reference code or id)")
    target.add_argument("--parent", metavar="RECORD",
                        help="make new records under this one (with --one-record-per-file)")
    p.add_argument("--one-record-per-file", action="store_true",
                   help="with --parent: each file becomes a new record titled with its name")
    p.add_argument("--level", default="item", choices=LEVELS,
                   help="level of the new records (default: item)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="worker threads (default: one per CPU, plus one)")
    p.add_argument("--no-previews", action="store_true",
                   help="leave the viewer previews of JPEG and PDF pages to be made when first"
                        " viewed (ingest itself makes thumbnails only)")
    p.set_defaults(func=run)


class ProgressBar:
    """A one-line progress bar with a rate and an ETA, drawn on stderr when it is a terminal."""

    def __init__(self, label: str, stream=None, width: int = 30):
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.start = time.monotonic()
        self.live = self.stream.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.live or (done < total and now - self._last < 0.1):
            return
        self._last = now
        frac = done / total if total else 1.0
        filled = int(frac * self.width)
        elapsed = now - self.start
        eta = (elapsed / done * (total - done)) if done else 0.0
        rate = done / elapsed if elapsed > 0 else 0.0
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}]"
                          f" {done}/{total} {rate:.1f}/s ETA {eta:4.0f}s ")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.live:
            self.stream.write("\n")
            self.stream.flush()


class Interrupt:
    """First Ctrl-C asks the operation to stop after the files in hand; a second one aborts."""

    def __init__(self):
        self.requested = False
        self._previous = None

    def __enter__(self) -> "Interrupt":
        try:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread
            self._previous = None
        return self

    def _handle(self, signum, frame) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print("\narchivist: stopping after the files in hand (Ctrl-C again to abort)",
              file=sys.stderr)

    def __call__(self) -> bool:
        return self.requested

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def run(args) -> int:
    """Ingest the files; print a summary; exit 1 if any file was refused."""
    if args.parent and not args.one_record_per_file:
        raise InvalidValue("with --parent, also give --one-record-per-file"
                           " (or use --record to add pages to one record)")
    with open_from_args(args) as cat:
        if args.record:
            target = {"record_id": records.resolve_record(cat, args.record)}
        else:
            target = {"parent_id": records.resolve_record(cat, args.parent), "level": args.level}
        bar = ProgressBar("ingest")
        with Interrupt() as interrupt:
            try:
                report = ingest(cat, args.paths, progress=bar, cancelled=interrupt,
                                workers=args.workers, **target)
            finally:
                bar.close()
            previews_made = 0
            if report.previews_pending and not args.no_previews and not interrupt():
                bar = ProgressBar("previews")
                try:
                    made = make_previews(cat, report.previews_pending, progress=bar,
                                         cancelled=interrupt, workers=args.workers)
                finally:
                    bar.close()
                previews_made = len(made.made)
        data = {
            "pages": report.page_count,
            "previews_made": previews_made,
            "files": [{"path": str(i.path), "sha256": i.sha256, "record": i.record_id,
                       "pages": len(i.page_ids), "duplicate": i.duplicate} for i in report.ingested],
            "refused": [{"path": str(r.path), "reason": r.reason} for r in report.refused],
            "created_records": [records.record_uuid(cat, r) for r in report.created_records],
            "cancelled": report.cancelled,
        }
        lines = [f"already in the catalogue (stored once): {i.path}" for i in report.duplicates]
        lines.append(report.summary())
        if previews_made:
            lines.append(f"{previews_made} preview(s) made")
        emit(args, data, "\n".join(lines))
        for refused in report.refused:
            print(f"archivist: refused {refused.path}: {refused.reason}", file=sys.stderr)
    if report.cancelled:
        return 130
    return 1 if report.refused else 0
