import pytest

from archivist.core.errors import InvalidDate, InvalidHierarchy, InvalidValue, NotFound
from archivist.store import hierarchy, records, trash


@pytest.fixture
def tree(cat):
    f = records.create_record(cat, title="Fonds", level="fonds", identifier="KFF")
    s1 = records.create_record(cat, title="Correspondence", level="series", parent_id=f, identifier="1")
    s2 = records.create_record(cat, title="Press", level="series", parent_id=f, identifier="2")
    letter = records.create_record(cat, title="Letter", level="item", type="letter", parent_id=s1,
                                   identifier="1", dates=["1994-05"], fields={"languages": ["hy"]})
    return {"fonds": f, "s1": s1, "s2": s2, "letter": letter}


def test_reference_codes_are_derived(cat, tree):
    assert records.get_record(cat, tree["letter"]).reference_code == "KFF-1-1"
    records.update_record(cat, tree["fonds"], {"identifier": "AM-KFF"})
    assert records.get_record(cat, tree["letter"]).reference_code == "AM-KFF-1-1"


def test_reference_code_can_be_set_by_hand_and_children_follow(cat, tree):
    records.update_record(cat, tree["s1"], {"reference_code": "CORR"})
    assert records.get_record(cat, tree["s1"]).reference_code == "CORR"
    assert records.get_record(cat, tree["letter"]).reference_code == "CORR-1"
    assert records.resolve_record(cat, "CORR-1") == tree["letter"]


def test_every_record_has_a_uuid_and_is_found_by_it(cat, tree):
    rec = records.get_record(cat, tree["letter"])
    assert len(rec.uuid) == 36
    assert records.resolve_record(cat, rec.uuid) == tree["letter"]
    with pytest.raises(NotFound, match="no record has"):
        records.resolve_record(cat, "KFF-9")


def test_dates_stored_with_bounds(cat, tree):
    rec = records.get_record(cat, tree["letter"])
    assert [(d.expression, d.earliest, d.latest) for d in rec.dates] == [("1994-05", "1994-05-01", "1994-05-31")]
    records.set_dates(cat, tree["letter"], [("1994-05", "creation"), ("2003", "publication")])
    assert [d.label for d in records.get_record(cat, tree["letter"]).dates] == ["creation", "publication"]


def test_invalid_date_writes_nothing(cat, tree):
    before = hierarchy.count_records(cat)
    with pytest.raises(InvalidDate):
        records.create_record(cat, title="x", level="item", parent_id=tree["s1"], dates=["1995/1993"])
    assert hierarchy.count_records(cat) == before
    with pytest.raises(InvalidDate):
        records.update_record(cat, tree["letter"], {"title": "changed", "dates": ["1995/1993"]})
    assert records.get_record(cat, tree["letter"]).title == "Letter"


def test_hierarchy_rules(cat, tree):
    with pytest.raises(InvalidHierarchy, match="an item cannot contain a fonds"):
        records.create_record(cat, title="x", level="fonds", parent_id=tree["letter"])
    with pytest.raises(InvalidHierarchy, match="into itself or into one of its own descendants"):
        hierarchy.move_record(cat, tree["fonds"], tree["s1"])
    with pytest.raises(InvalidHierarchy):
        records.update_record(cat, tree["s1"], {"level": "item"})  # it contains an item


def test_ordered_siblings_and_move(cat, tree):
    a = records.create_record(cat, title="A", level="item", parent_id=tree["s2"])
    b = records.create_record(cat, title="B", level="item", parent_id=tree["s2"])
    c = records.create_record(cat, title="C", level="item", parent_id=tree["s2"], position=0)
    assert hierarchy.child_ids(cat, tree["s2"]) == [c, a, b]
    hierarchy.move_record(cat, b, tree["s2"], 0)
    assert hierarchy.child_ids(cat, tree["s2"]) == [b, c, a]
    hierarchy.move_record(cat, tree["letter"], tree["s2"], 1)
    assert hierarchy.child_ids(cat, tree["s2"]) == [b, tree["letter"], c, a]
    assert hierarchy.child_ids(cat, tree["s1"]) == []
    assert records.get_record(cat, tree["letter"]).reference_code == "KFF-2-1"
    positions = [records.get_record(cat, i).position for i in hierarchy.child_ids(cat, tree["s2"])]
    assert positions == [0, 1, 2, 3]


def test_trash_restore_purge(cat, tree):
    trash.trash_records(cat, [tree["s1"]])
    assert hierarchy.child_ids(cat, tree["fonds"]) == [tree["s2"]]
    assert records.get_record(cat, tree["letter"]).trashed_at is not None
    assert [t[0] for t in trash.list_trash(cat)] == [tree["s1"]]
    trash.restore_records(cat, [tree["s1"]])
    assert records.get_record(cat, tree["letter"]).trashed_at is None
    with pytest.raises(InvalidValue, match="not in the trash"):
        trash.purge_records(cat, [tree["s1"]])
    trash.trash_records(cat, [tree["s1"]])
    trash.purge_records(cat, [tree["s1"]])
    with pytest.raises(NotFound):
        records.get_record(cat, tree["letter"])


def test_fields_validated_by_template(cat, tree):
    with pytest.raises(InvalidValue, match="unknown field"):
        records.update_record(cat, tree["letter"], {"colour": "red"})
    with pytest.raises(InvalidValue, match="authority link"):
        records.update_record(cat, tree["letter"], {"sender": "someone"})
    records.update_record(cat, tree["letter"], {"scope_content": "According to the article ...",
                                                 "languages": ["prs", "pus"]})
    rec = records.get_record(cat, tree["letter"])
    assert rec.fields == {"languages": ["prs", "pus"], "scope_content": "According to the article ..."}
    records.update_record(cat, tree["letter"], {"scope_content": ""})
    assert "scope_content" not in records.get_record(cat, tree["letter"]).fields


def test_restricted_needs_reason(cat, tree):
    with pytest.raises(InvalidValue, match="needs a reason"):
        records.update_record(cat, tree["letter"], {"access_status": "restricted"})
    records.update_record(cat, tree["letter"], {"access_status": "restricted",
                                                 "access_reason": "personal data"})
    assert records.get_record(cat, tree["letter"]).restricted


def test_text_is_kept_in_nfc_with_zwnj(cat, tree):
    title = "نامه\u200cها"  # ZWNJ is orthographic in Dari
    nfd = "Fu\u0308zuli"
    records.update_record(cat, tree["letter"], {"title": title, "general_note": [nfd]})
    rec = records.get_record(cat, tree["letter"])
    assert rec.title == title
    assert rec.fields["general_note"] == ["Füzuli"]


def test_tree_nesting(cat, tree):
    nodes = hierarchy.tree(cat)
    assert [n["title"] for n in nodes] == ["Fonds"]
    assert [n["title"] for n in nodes[0]["children"]] == ["Correspondence", "Press"]
    assert nodes[0]["children"][0]["children"][0]["reference_code"] == "KFF-1-1"


def test_reference_codes_stay_unique(cat, tree):
    other = records.create_record(cat, title="Other letter", level="item", parent_id=tree["s2"],
                                  identifier="1")
    with pytest.raises(InvalidValue, match="already used by 'Letter'"):
        hierarchy.move_record(cat, other, tree["s1"])
    assert records.get_record(cat, other).reference_code == "KFF-2-1"
    with pytest.raises(InvalidValue, match="already used"):
        records.create_record(cat, title="Dup", level="item", parent_id=tree["s1"], identifier="1")
    with pytest.raises(InvalidValue, match="already used"):
        records.update_record(cat, other, {"reference_code": "KFF-1-1"})


def test_record_without_identifier_has_no_code_and_children_use_the_nearest(cat, tree):
    box = records.create_record(cat, title="Unnumbered file", level="file", parent_id=tree["s2"])
    assert records.get_record(cat, box).reference_code is None
    child = records.create_record(cat, title="Item", level="item", parent_id=box, identifier="7")
    assert records.get_record(cat, child).reference_code == "KFF-2-7"
    records.update_record(cat, tree["s2"], {"identifier": "P"})
    assert records.get_record(cat, child).reference_code == "KFF-P-7"
