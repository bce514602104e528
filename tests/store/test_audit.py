import pytest

from archivist.core.errors import InvalidValue, NotFound
from archivist.store import authorities, hierarchy, links, records, trash
from archivist.store.audit import list_changes
from archivist.store.revert import revert_change


@pytest.fixture
def letter(cat):
    f = records.create_record(cat, title="Fonds", level="fonds", identifier="F")
    return records.create_record(cat, title="Letter", level="item", type="letter", parent_id=f,
                                 identifier="1")


def test_every_change_is_logged_with_who_old_and_new(cat, letter):
    records.update_record(cat, letter, {"title": "Letter of May 1994"})
    last = list_changes(cat, letter)[0]
    assert (last.user, last.action, last.field, last.old, last.new) == (
        "tester", "update", "title", "Letter", "Letter of May 1994")
    assert last.at.endswith("Z")


def test_one_row_per_changed_value_and_none_for_no_change(cat, letter):
    n = len(list_changes(cat))
    records.update_record(cat, letter, {"title": "Letter", "scope_content": "x"})
    assert len(list_changes(cat)) == n + 1


@pytest.mark.parametrize("do, check", [
    (lambda cat, r: records.update_record(cat, r, {"title": "New"}),
     lambda cat, r: records.get_record(cat, r).title == "Letter"),
    (lambda cat, r: records.update_record(cat, r, {"languages": ["prs"]}),
     lambda cat, r: "languages" not in records.get_record(cat, r).fields),
    (lambda cat, r: records.set_dates(cat, r, ["1994-05"]),
     lambda cat, r: records.get_record(cat, r).dates == []),
    (lambda cat, r: trash.trash_records(cat, [r]),
     lambda cat, r: records.get_record(cat, r).trashed_at is None),
    (lambda cat, r: links.add_tags(cat, [r], ["mercenaries"]),
     lambda cat, r: links.tags_of(cat, r) == []),
])
def test_revert(cat, letter, do, check):
    do(cat, letter)
    change = list_changes(cat, letter)[0]
    revert_change(cat, change.id)
    assert check(cat, letter)
    assert list_changes(cat, letter)[0].reverts == change.id


def test_revert_move_and_create(cat, letter):
    f = records.get_record(cat, letter).parent_id
    s = records.create_record(cat, title="Series", level="series", parent_id=f)
    hierarchy.move_record(cat, letter, s)
    revert_change(cat, list_changes(cat, letter)[0].id)
    assert records.get_record(cat, letter).parent_id == f
    create = [c for c in list_changes(cat, s) if c.action == "create"][0]
    revert_change(cat, create.id)
    assert records.get_record(cat, s).trashed_at is not None


def test_revert_link_and_authority_edit(cat, letter):
    a = authorities.create_authority(cat, kind="person", name="Ter-Petrosyan, Levon")
    links.link(cat, letter, a, "sender")
    revert_change(cat, list_changes(cat, letter)[0].id)
    assert links.links_of(cat, letter) == []
    authorities.update_authority(cat, a, {"name": "Levon Ter-Petrosyan"})
    change = list_changes(cat, entity="authority", entity_id=a)[0]
    revert_change(cat, change.id)
    assert authorities.get_authority(cat, a).name == "Ter-Petrosyan, Levon"


def test_purge_cannot_be_reverted(cat, letter):
    trash.trash_records(cat, [letter])
    trash.purge_records(cat, [letter])
    purge = list_changes(cat)[0]
    with pytest.raises(InvalidValue, match="cannot be reverted"):
        revert_change(cat, purge.id)
    with pytest.raises(NotFound):
        revert_change(cat, 99999)
