"""``archivist link``, ``unlink``, ``relate`` and ``tag``."""

from __future__ import annotations

from archivist.cli.common import emit, open_from_args
from archivist.core.model import LINK_ROLES, RELATION_INVERSES
from archivist.store import authorities, links, records

RELATION_NAMES = sorted(set(RELATION_INVERSES) | set(RELATION_INVERSES.values()))


def register(sub, common) -> None:
    """Add the link, unlink, relate and tag subcommands."""
    for name, helptext in (("link", "link a record to an authority with a role"),
                           ("unlink", "remove a record's link to an authority")):
        p = sub.add_parser(name, parents=[common], help=helptext, description=helptext.capitalize() + ".")
        p.add_argument("record", metavar="RECORD")
        p.add_argument("--authority", required=True, metavar="AUTH", help="UUID or name")
        p.add_argument("--role", required=True, choices=LINK_ROLES)
        p.set_defaults(func=run_link, action=name)

    p = sub.add_parser("relate", parents=[common], help="relate two records",
                       description="Relate two records with a typed relation, stored once and"
                       " shown from both sides (e.g. a reply responds_to a letter).")
    p.add_argument("record", metavar="RECORD")
    p.add_argument("--to", required=True, metavar="RECORD")
    p.add_argument("--type", required=True, choices=RELATION_NAMES)
    p.set_defaults(func=run_relate)

    p = sub.add_parser("tag", parents=[common], help="tag records",
                       description="Add (or with --remove, remove) tags on records.")
    p.add_argument("records", metavar="RECORD", nargs="+")
    p.add_argument("--tag", action="append", required=True, metavar="TAG")
    p.add_argument("--remove", action="store_true")
    p.set_defaults(func=run_tag)


def run_link(args) -> int:
    """Link or unlink."""
    with open_from_args(args) as cat:
        rid = records.resolve_record(cat, args.record)
        aid = authorities.resolve_authority(cat, args.authority)
        fn = links.link if args.action == "link" else links.unlink
        changes = fn(cat, rid, aid, args.role)
        emit(args, {"record": records.record_uuid(cat, rid),
                    "authority": authorities.get_authority(cat, aid).uuid, "role": args.role,
                    "changed": bool(changes)}, f"{args.action}ed" if changes else "no change")
    return 0


def run_relate(args) -> int:
    """Relate two records."""
    with open_from_args(args) as cat:
        a = records.resolve_record(cat, args.record)
        b = records.resolve_record(cat, args.to)
        changes = links.relate(cat, a, b, args.type)
        emit(args, {"record": records.record_uuid(cat, a), "to": records.record_uuid(cat, b),
                    "type": args.type, "changed": bool(changes)},
             "related" if changes else "already related")
    return 0


def run_tag(args) -> int:
    """Tag or untag."""
    with open_from_args(args) as cat:
        ids = [records.resolve_record(cat, k) for k in args.records]
        fn = links.remove_tags if args.remove else links.add_tags
        changes = fn(cat, ids, args.tag)
        emit(args, {"changed": sorted(records.record_uuid(cat, i) for i in changes.records)},
             f"{len(changes.records)} record(s) changed")
    return 0
