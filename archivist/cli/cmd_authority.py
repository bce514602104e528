"""``archivist authority add|list|show|edit``: authority records."""

from __future__ import annotations

from archivist.cli.common import emit, open_from_args
from archivist.core.model import AUTHORITY_KINDS
from archivist.store import authorities, records


def register(sub, common) -> None:
    """Add the ``authority`` subcommand group."""
    p = sub.add_parser("authority", help="authority records (people, organisations, families, places)",
                       description="Create, list and show authority records.")
    group = p.add_subparsers(dest="authority_command", metavar="ACTION", required=True)

    a = group.add_parser("add", parents=[common], help="add an authority record; prints its id")
    a.add_argument("--kind", required=True, choices=AUTHORITY_KINDS)
    a.add_argument("--name", required=True, help="the authorised form of the name")
    a.add_argument("--variant", action="append", metavar="NAME",
                   help="another form of the name; NAME@LANG or NAME@LANG-Script to tag it"
                        " (e.g. 'مزار شریف@prs-Arab'); repeatable")
    a.add_argument("--dates", metavar="EDTF", help="dates of existence")
    a.add_argument("--description")
    a.set_defaults(func=run_add)

    lst = group.add_parser("list", parents=[common], help="list authority records")
    lst.add_argument("--kind", choices=AUTHORITY_KINDS)
    lst.add_argument("--find", metavar="TEXT", help="only names containing TEXT (any form)")
    lst.set_defaults(func=run_list)

    s = group.add_parser("show", parents=[common], help="show an authority and its records")
    s.add_argument("authority", metavar="AUTHORITY", help="UUID or a name")
    s.set_defaults(func=run_show)


def parse_variant(text: str) -> dict:
    """``NAME@lang-Script`` → a variant dict (language and script optional)."""
    name, sep, tag = text.rpartition("@")
    if not sep or not tag or " " in tag:
        return {"name": text}
    lang, _, script = tag.partition("-")
    return {"name": name, "language": lang or None, "script": script or None}


def _as_dict(a) -> dict:
    return {"id": a.uuid, "kind": a.kind, "name": a.name, "variants": a.variants,
            "dates": a.dates, "description": a.description, "identifiers": a.identifiers}


def run_add(args) -> int:
    """Create an authority and print its UUID."""
    with open_from_args(args) as cat:
        aid = authorities.create_authority(cat, kind=args.kind, name=args.name,
                                           variants=[parse_variant(v) for v in args.variant or []],
                                           dates=args.dates, description=args.description)
        a = authorities.get_authority(cat, aid)
        emit(args, _as_dict(a), a.uuid)
    return 0


def run_list(args) -> int:
    """List authorities."""
    with open_from_args(args) as cat:
        items = (authorities.find_authorities(cat, args.find, args.kind, limit=10_000) if args.find
                 else authorities.list_authorities(cat, args.kind))
        emit(args, [_as_dict(a) for a in items],
             "\n".join(f"{a.uuid}  {a.kind:<12} {a.name}" for a in items) or "(no authority records)")
    return 0


def run_show(args) -> int:
    """Show one authority and every record linked to it."""
    with open_from_args(args) as cat:
        a = authorities.get_authority(cat, authorities.resolve_authority(cat, args.authority))
        linked = []
        for rid, role in authorities.linked_record_ids(cat, a.id):
            rec = records.get_record(cat, rid)
            linked.append({"record": rec.uuid, "reference_code": rec.reference_code,
                           "title": rec.title, "role": role})
        d = dict(_as_dict(a), records=linked)
        lines = [f"{a.name} ({a.kind})", f"  id: {a.uuid}"]
        lines += [f"  also: {v['name']}" + (f" [{v['language'] or ''}{'-' + v['script'] if v['script'] else ''}]"
                                           if v["language"] or v["script"] else "") for v in a.variants]
        lines += [f"  {x['role']}: {x['reference_code'] or ''} {x['title']}" for x in linked]
        emit(args, d, "\n".join(lines))
    return 0
