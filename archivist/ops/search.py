"""Search use cases for background tasks: rebuilding the index, searching on a worker's connection.

Both are plain functions (``progress(done, total)`` and ``cancelled()`` where they run long), for
``gui/tasks.py`` and the CLI alike.
"""

from __future__ import annotations

from collections.abc import Callable

from archivist.core.errors import Cancelled
from archivist.store import search_index
from archivist.store.catalogue import Catalogue
from archivist.store.search import SearchResult, search

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


def rebuild_search_index(cat: Catalogue, progress: Progress | None = None,
                         cancelled: IsCancelled | None = None) -> int:
    """Rebuild the whole search index in one transaction (repair, or after a bulk change).

    Args:
        cat: the open catalogue (a worker's own connection in the GUI).
        progress: called with (records done, total).
        cancelled: polled between batches; when it returns True nothing is changed.

    Returns:
        The number of records indexed.

    Raises:
        Cancelled: the user cancelled; the old index is kept.
    """
    stop = cancelled or (lambda: False)
    with cat.atomic():
        done = search_index.rebuild(cat, progress=progress, cancelled=stop)
        if stop():
            raise Cancelled("the search index was not rebuilt")
    return done


def run_search(cat: Catalogue, query: str | None, **options) -> SearchResult:
    """Run a search (see :func:`archivist.store.search.search` for the options).

    Meant for a worker thread with its own connection when a search could be slow (a huge
    catalogue, facets over many hits); the result holds only plain values.
    """
    return search(cat, query, **options)
