"""Record subcommands: add, edit, move, trash, restore, purge, show, tree."""

from __future__ import annotations

from archivist.cli.common import emit, open_from_args, parse_assignments
from archivist.core.dates import humanize
from archivist.core.levels import LEVELS
from archivist.core.model import RECORD_ATTRIBUTES
from archivist.core.templates import RECORD_TYPES
from archivist.ops.native_json import record_as_dict
from archivist.store import hierarchy, links, pages, records, trash


def register(sub, common) -> None:
    """Add the record subcommands."""
    p = sub.add_parser("add", parents=[common], help="add a record; prints its id",
                       description="Create a record (fonds, series, file, item ...).")
    p.add_argument("--title", required=True)
    p.add_argument("--level", required=True, choices=LEVELS)
    p.add_argument("--type", choices=RECORD_TYPES, help="record type (for files and items)")
    p.add_argument("--parent", metavar="RECORD", help="UUID or reference code of the parent")
    p.add_argument("--identifier", help="local identifier (the reference code is derived from it)")
    p.add_argument("--date", action="append", metavar="EDTF",
                   help="an EDTF date such as 1994-12-21, 1994-05, 1993~, 1993/1994 (repeatable)")
    p.add_argument("--field", action="append", metavar="NAME=VALUE",
                   help="a field value; repeat a name for repeatable fields")
    p.add_argument("--position", type=int, help="place among its siblings (from 0)")
    p.set_defaults(func=run_add)

    p = sub.add_parser("edit", parents=[common], help="edit a record's fields",
                       description="Set fields and attributes (title, level, type, identifier,"
                       " reference_code, access_status, access_reason, access_until,"
                       " description_status). An empty VALUE clears a field.")
    p.add_argument("record", metavar="RECORD", help="UUID or reference code")
    p.add_argument("--field", action="append", metavar="NAME=VALUE")
    p.add_argument("--date", action="append", metavar="EDTF", help="replace the dates (repeatable)")
    p.set_defaults(func=run_edit)

    p = sub.add_parser("move", parents=[common], help="move a record under another",
                       description="Move a record (with everything below it) under a new parent.")
    p.add_argument("record", metavar="RECORD")
    p.add_argument("--parent", metavar="RECORD", required=True,
                   help="the new parent (use 'none' for the top level)")
    p.add_argument("--position", type=int, help="place among its new siblings (from 0)")
    p.set_defaults(func=run_move)

    for name, helptext in (("trash", "move records to the trash"),
                           ("restore", "restore records from the trash"),
                           ("purge", "delete trashed records for good")):
        p = sub.add_parser(name, parents=[common], help=helptext, description=helptext.capitalize() + ".")
        p.add_argument("records", metavar="RECORD", nargs="+")
        p.set_defaults(func=run_bulk, action=name)

    p = sub.add_parser("show", parents=[common], help="show a record",
                       description="Show one record with its dates, fields, links, relations and pages.")
    p.add_argument("record", metavar="RECORD")
    p.set_defaults(func=run_show)

    p = sub.add_parser("tree", parents=[common], help="show the hierarchy",
                       description="Show the catalogue's hierarchy of fonds, series, files and items.")
    p.set_defaults(func=run_tree)


def _split(values: dict) -> dict:
    out = {}
    for key, value in values.items():
        if key in RECORD_ATTRIBUTES or key.startswith("fields."):
            out[key] = value
        else:
            out[f"fields.{key}"] = value
    return out


def run_add(args) -> int:
    """Create a record and print its UUID."""
    with open_from_args(args) as cat:
        parent = records.resolve_record(cat, args.parent) if args.parent else None
        values = parse_assignments(args.field)
        attrs = {k: values.pop(k) for k in list(values) if k in RECORD_ATTRIBUTES}
        for key in ("title", "level", "type", "identifier"):
            attrs.pop(key, None)
        rid = records.create_record(cat, title=args.title, level=args.level, type=args.type,
                                    parent_id=parent, identifier=args.identifier,
                                    position=args.position, dates=args.date or [],
                                    fields=values, **attrs)
        rec = records.get_record(cat, rid)
        emit(args, {"id": rec.uuid, "reference_code": rec.reference_code}, rec.uuid)
    return 0


def run_edit(args) -> int:
    """Apply field edits."""
    with open_from_args(args) as cat:
        rid = records.resolve_record(cat, args.record)
        values = _split(parse_assignments(args.field))
        if args.date:
            values["dates"] = args.date
        if not values:
            emit(args, {"id": records.record_uuid(cat, rid), "changed": False}, "nothing to change")
            return 0
        changes = records.update_record(cat, rid, values)
        emit(args, {"id": records.record_uuid(cat, rid), "changed": bool(changes)},
             "updated" if changes else "no change")
    return 0


def run_move(args) -> int:
    """Move a record."""
    with open_from_args(args) as cat:
        rid = records.resolve_record(cat, args.record)
        parent = None if args.parent.lower() in ("none", "root", "") else records.resolve_record(cat, args.parent)
        hierarchy.move_record(cat, rid, parent, args.position)
        rec = records.get_record(cat, rid)
        emit(args, {"id": rec.uuid, "reference_code": rec.reference_code, "position": rec.position},
             f"moved; reference code {rec.reference_code}")
    return 0


def run_bulk(args) -> int:
    """Trash, restore or purge records."""
    fn = {"trash": trash.trash_records, "restore": trash.restore_records,
          "purge": trash.purge_records}[args.action]
    with open_from_args(args) as cat:
        ids = [records.resolve_record(cat, key) for key in args.records]
        uuids = [records.record_uuid(cat, i) for i in ids]
        fn(cat, ids)
        emit(args, {"action": args.action, "records": uuids},
             f"{args.action}: {len(ids)} record(s)")
    return 0


def show_dict(cat, rid: int) -> dict:
    """The JSON of ``archivist show``."""
    d = record_as_dict(cat, rid)
    rec = records.get_record(cat, rid)
    return {
        "id": d["uuid"], "reference_code": d["_reference_code"], "identifier": d["identifier"],
        "title": d["title"], "level": d["level"], "type": d["type"], "parent": d["parent"],
        "position": rec.position,
        "dates": [{"expression": x["expression"], "label": x["label"], "earliest": x["_earliest"],
                   "latest": x["_latest"], "certainty": x["_certainty"],
                   "human": humanize(x["expression"])} for x in d["dates"]],
        "access": d["access"], "description_status": d["description_status"],
        "fields": d["fields"], "tags": d["tags"],
        "links": [{"authority": lk.authority_uuid, "name": lk.authority_name,
                   "kind": lk.authority_kind, "role": lk.role} for lk in links.links_of(cat, rid)],
        "relations": [{"type": r.type, "record": r.other_uuid, "title": r.other_title,
                       "reference_code": r.other_reference_code} for r in links.relations_of(cat, rid)],
        "media": [{"sha256": p["sha256"], "format": p["format"], "page_index": p["page_index"],
                   "label": p["label"], "width": p["width"], "height": p["height"]}
                  for p in pages.pages_of(cat, rid)],
        "trashed": rec.trashed_at is not None,
        "created": {"at": rec.created_at, "by": rec.created_by},
        "modified": {"at": rec.modified_at, "by": rec.modified_by},
    }


def _text(d: dict) -> str:
    lines = [f"{d['reference_code'] or '(no reference code)'}  {d['title']}",
             f"  id: {d['id']}", f"  level: {d['level']}" + (f"   type: {d['type']}" if d["type"] else "")]
    for x in d["dates"]:
        lines.append(f"  {x['label']} date: {x['expression']} ({x['human']})")
    if d["access"]["status"] != "open":
        lines.append(f"  access: {d['access']['status']} — {d['access']['reason'] or ''}")
    for key, value in d["fields"].items():
        lines.append(f"  {key}: {', '.join(value) if isinstance(value, list) else value}")
    for lk in d["links"]:
        lines.append(f"  {lk['role']}: {lk['name']} ({lk['kind']})")
    for r in d["relations"]:
        lines.append(f"  {r['type']}: {r['reference_code'] or ''} {r['title']}")
    if d["media"]:
        lines.append(f"  pages: {len(d['media'])}")
    if d["trashed"]:
        lines.append("  (in the trash)")
    return "\n".join(lines)


def run_show(args) -> int:
    """Print one record."""
    with open_from_args(args) as cat:
        rid = records.resolve_record(cat, args.record)
        d = show_dict(cat, rid)
        emit(args, d, _text(d))
    return 0


def _tree_text(nodes, depth=0) -> list[str]:
    out = []
    for n in nodes:
        out.append(f"{'  ' * depth}{n['reference_code'] or '—'}  [{n['level']}] {n['title']}")
        out.extend(_tree_text(n["children"], depth + 1))
    return out


def run_tree(args) -> int:
    """Print the hierarchy."""
    with open_from_args(args) as cat:
        nodes = hierarchy.tree(cat)
        emit(args, nodes, "\n".join(_tree_text(nodes)) or "(the catalogue is empty)")
    return 0
