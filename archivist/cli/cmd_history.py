"""``archivist history`` and ``archivist revert``: the audit log."""

from __future__ import annotations

import json

from archivist.cli.common import emit, open_from_args
from archivist.store import audit, records, revert


def register(sub, common) -> None:
    """Add the history and revert subcommands."""
    p = sub.add_parser("history", parents=[common], help="list changes (catalogue-wide or one record)",
                       description="List the audit log, newest first: who changed what, when,"
                       " with the old and new values.")
    p.add_argument("record", metavar="RECORD", nargs="?")
    p.add_argument("--limit", type=int, default=100)
    p.set_defaults(func=run_history)

    p = sub.add_parser("revert", parents=[common], help="revert one change",
                       description="Undo one change of the audit log (the revert is logged too).")
    p.add_argument("change", metavar="CHANGE_ID", type=int)
    p.set_defaults(func=run_revert)


def _short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def run_history(args) -> int:
    """Print changes."""
    with open_from_args(args) as cat:
        rid = records.resolve_record(cat, args.record) if args.record else None
        changes = audit.list_changes(cat, rid, limit=args.limit)
        lines = [f"#{c.id}  {c.at}  {c.user}  {c.action} {c.entity}"
                 + (f" {c.field}" if c.field else "")
                 + (f": {_short(c.old)} → {_short(c.new)}" if c.action == "update" else "")
                 + (f"  (reverts #{c.reverts})" if c.reverts else "") for c in changes]
        emit(args, [c.as_dict() for c in changes], "\n".join(lines) or "(no changes)")
    return 0


def run_revert(args) -> int:
    """Revert a change."""
    with open_from_args(args) as cat:
        changes = revert.revert_change(cat, args.change)
        emit(args, {"reverted": args.change, "changed": bool(changes)},
             f"reverted change {args.change}" if changes else "nothing to revert")
    return 0
