"""``archivist search``: the search box on the command line."""

from __future__ import annotations

import sys

from archivist.cli.common import emit, open_from_args, wants_json
from archivist.core.errors import InvalidQuery
from archivist.core.query import QUERY_HELP, caret_line
from archivist.ops.search import rebuild_search_index
from archivist.store.search import SORTS, search
from archivist.store.search_saved import save_search

HELP = QUERY_HELP


def register(sub, common) -> None:
    """Add the ``search`` subcommand."""
    p = sub.add_parser("search", parents=[common], help="search the catalogue",
                       description="Search records by words, names in any script, fields and dates.",
                       epilog=HELP, formatter_class=_raw())
    p.add_argument("query", nargs="*", metavar="QUERY", help="the query (quote it in the shell)")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="hits to show (default 20)")
    p.add_argument("--offset", type=int, default=0, metavar="N", help="hits to skip")
    p.add_argument("--sort", choices=SORTS, default="relevance")
    p.add_argument("--facets", action="store_true", help="also count facet values")
    p.add_argument("--within", action="store_true",
                   help="date: means entirely within the span (instead of overlapping)")
    p.add_argument("--no-translit", action="store_true",
                   help="do not match names through transliteration")
    p.add_argument("--save", metavar="NAME", help="also save the query as a saved search")
    p.add_argument("--reindex", action="store_true",
                   help="rebuild the search index first (repair); with no QUERY, only rebuild")
    p.set_defaults(func=run)


def _raw():
    import argparse
    return argparse.RawDescriptionHelpFormatter


def _hit_dict(hit) -> dict:
    return {"id": hit.uuid, "reference_code": hit.reference_code, "title": hit.title,
            "score": hit.score, "snippet": hit.marked_snippet(), "level": hit.level,
            "type": hit.type, "date": hit.date, "restricted": hit.restricted, "exact": hit.exact}


def run(args) -> int:
    """Run the search and print the hits (and facets)."""
    text = " ".join(args.query)
    if args.limit < 0 or args.offset < 0:
        raise InvalidQuery("--limit and --offset cannot be negative")
    if not text.strip() and not args.reindex:
        raise InvalidQuery("give a query, e.g. archivist search -c PATH 'kabul type:letter'", 0)
    with open_from_args(args) as cat:
        if args.reindex:
            done = rebuild_search_index(cat)
            if not text.strip():
                emit(args, {"reindexed": done}, f"search index rebuilt: {done} records")
                return 0
        try:
            result = search(cat, text, limit=args.limit, offset=args.offset, sort=args.sort,
                            facets=args.facets, within=args.within,
                            translit=not args.no_translit)
        except InvalidQuery as exc:
            if not wants_json(args):
                print(caret_line(text, exc.position), file=sys.stderr)
            raise
        if args.save:
            save_search(cat, args.save, text)
        data = {"query": text, "total": result.total, "total_exact": result.total_exact,
                "hits": [_hit_dict(h) for h in result.hits]}
        if args.facets:
            data["facets"] = {name: [{"value": v.value, "label": v.label, "count": v.count}
                                     for v in values] for name, values in result.facets.items()}
            data["facets_exact"] = result.facets_exact
            if result.total_estimate is not None:
                data["total_estimate"] = result.total_estimate
        emit(args, data, _text(result, args.facets))
    return 0


def _text(result, with_facets: bool) -> str:
    more = "" if result.total_exact else "+"
    about = f" (about {result.total_estimate:,})" if result.total_estimate else ""
    lines = [f"{result.total:,}{more} record{'s' if result.total != 1 else ''}{about} found"]
    for hit in result.hits:
        marks = []
        if hit.restricted:
            marks.append("restricted")
        if not hit.exact:
            marks.append("by transliteration")
        extra = f"  ({', '.join(marks)})" if marks else ""
        date = f"  {hit.date}" if hit.date else ""
        lines.append(f"{hit.reference_code or '-'}  {hit.title}{date}{extra}")
        if hit.snippet:
            lines.append(f"    {hit.marked_snippet()}")
    if with_facets and result.facets:
        approx = "" if result.facets_exact else " (estimated)"
        lines.append(f"Facets{approx}:")
        for name, values in result.facets.items():
            if values:
                shown = ", ".join(f"{v.label} {v.count}" for v in values[:12])
                lines.append(f"  {name}: {shown}")
    return "\n".join(lines)
