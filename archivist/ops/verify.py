"""Fixity check: re-hash every stored original and report each missing or changed file by name.

Hashing runs on a small thread pool (hashlib releases the GIL on large buffers, so reading and
hashing overlap). The outcome is logged as PREMIS ``fixity check`` events: one per file that failed,
and one summary event for the run (no file), so "when was this catalogue last verified, and how did
it go" is one query.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from archivist.media import filestore
from archivist.media.derivatives import default_workers
from archivist.media.filestore import Fixity
from archivist.store import media as store_media
from archivist.store.catalogue import Catalogue

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


@dataclass(frozen=True)
class FixityProblem:
    """A stored original that failed its check.

    Attributes:
        file_id: its ``files`` row.
        sha256: the checksum it was stored under.
        ext: its extension.
        status: ``missing`` or ``changed``.
        original_name: its name when ingested.
        records: reference codes (or titles) of the records whose pages show it.
    """

    file_id: int
    sha256: str
    ext: str
    status: str
    original_name: str | None
    records: tuple[str, ...]

    def describe(self) -> str:
        """One line for the user: what, which file, where it is used."""
        name = self.original_name or f"{self.sha256}.{self.ext}"
        where = f" (in {', '.join(self.records)})" if self.records else ""
        return f"{self.status.upper()}: {name}{where} — {self.sha256[:12]}…"


@dataclass
class VerifyReport:
    """The outcome of a fixity check.

    Attributes:
        checked: files re-hashed.
        total: files in the catalogue.
        problems: files missing or changed, in the order they were added to the catalogue.
        cancelled: the user stopped the check before the end.
    """

    checked: int = 0
    total: int = 0
    problems: list[FixityProblem] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        """True when every file checked is present and unchanged."""
        return not self.problems

    def summary(self) -> str:
        """One line: how many were checked and how many failed."""
        missing = sum(p.status == "missing" for p in self.problems)
        changed = sum(p.status == "changed" for p in self.problems)
        text = f"{self.checked} of {self.total} file(s) checked: {missing} missing, {changed} changed"
        return text + ("; cancelled" if self.cancelled else "")


def verify(
    cat: Catalogue,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    workers: int | None = None,
) -> VerifyReport:
    """Re-hash every stored original and compare it with its recorded SHA-256.

    Args:
        cat: the open catalogue (used only from the calling thread).
        progress: called ``progress(files_done, files_total)``.
        cancelled: polled between files; once True, no further file is started.
        workers: hashing threads (default: one per CPU).

    Returns:
        The report; its problems name each missing or changed file.
    """
    files = store_media.list_files(cat)
    report = VerifyReport(total=len(files))
    if progress is not None:
        progress(0, len(files))
    workers = workers or default_workers()
    results: dict[int, Fixity] = {}
    with ThreadPoolExecutor(workers, "verify") as pool:
        in_flight: dict[Future[Fixity], int] = {}
        queue = iter(range(len(files)))
        while True:
            while len(in_flight) < 2 * workers and not (cancelled and cancelled()):
                index = next(queue, None)
                if index is None:
                    break
                row = files[index]
                in_flight[pool.submit(filestore.verify_file, cat.path, row["sha256"], row["ext"])] = index
            if not in_flight:
                break
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                results[in_flight.pop(future)] = future.result()
                report.checked += 1
                if progress is not None:
                    progress(report.checked, len(files))
    report.cancelled = report.checked < len(files)
    for index in sorted(results):
        if results[index] is Fixity.OK:
            continue
        row = files[index]
        used = tuple(u["reference_code"] or u["title"] for u in store_media.file_usage(cat, row["id"]))
        report.problems.append(FixityProblem(row["id"], row["sha256"], row["ext"],
                                             results[index].value, row["original_name"], used))
    _log(cat, report)
    return report


def verify_task(cat: Catalogue, progress: Progress, cancelled: IsCancelled) -> VerifyReport:
    """:func:`verify` in the shape of a background task ``fn(cat, progress, cancelled)``."""
    return verify(cat, progress=progress, cancelled=cancelled)


def _log(cat: Catalogue, report: VerifyReport) -> None:
    with cat.atomic():
        for problem in report.problems:
            store_media.log_event(cat, store_media.EVENT_FIXITY, file_id=problem.file_id,
                                  outcome="failure",
                                  detail={"status": problem.status, "sha256": problem.sha256,
                                          "algorithm": "SHA-256",
                                          "original_name": problem.original_name})
        store_media.log_event(cat, store_media.EVENT_FIXITY, outcome="success" if report.ok else "failure",
                              detail={"checked": report.checked, "total": report.total,
                                      "missing": sum(p.status == "missing" for p in report.problems),
                                      "changed": sum(p.status == "changed" for p in report.problems),
                                      "cancelled": report.cancelled})
