import pytest

from archivist.core.errors import InvalidValue, NotFound
from archivist.store import authorities, links, records


@pytest.fixture
def mazar(cat):
    return authorities.create_authority(
        cat, kind="place", name="Mazar-i-Sharif",
        variants=["Mozari Sharif", {"name": "مزار شریف", "language": "prs", "script": "Arab"}])


def test_variants_with_language_and_script(cat, mazar):
    a = authorities.get_authority(cat, mazar)
    assert a.all_names() == ["Mazar-i-Sharif", "Mozari Sharif", "مزار شریف"]
    assert a.variants[1] == {"name": "مزار شریف", "language": "prs", "script": "Arab"}
    assert len(a.uuid) == 36


def test_resolve_by_any_name(cat, mazar):
    assert authorities.resolve_authority(cat, "mozari sharif") == mazar
    assert authorities.resolve_authority(cat, "مزار شریف") == mazar
    with pytest.raises(NotFound):
        authorities.resolve_authority(cat, "Kabul")


def test_ambiguous_name_is_reported(cat, mazar):
    authorities.create_authority(cat, kind="person", name="Mozari Sharif")
    with pytest.raises(NotFound, match="names several"):
        authorities.resolve_authority(cat, "Mozari Sharif")


def test_find_in_any_script(cat, mazar):
    assert [a.id for a in authorities.find_authorities(cat, "شریف")] == [mazar]
    assert [a.id for a in authorities.find_authorities(cat, "Mozari")] == [mazar]


@pytest.mark.parametrize("kwargs, msg", [
    ({"kind": "ship", "name": "x"}, "unknown authority kind"),
    ({"kind": "person", "name": " "}, "needs a name"),
    ({"kind": "person", "name": "x", "variants": [{"name": "y", "language": "zz-99"}]}, "language"),
    ({"kind": "person", "name": "x", "variants": [{"name": "y", "script": "Klng"}]}, "script"),
])
def test_invalid_authorities(cat, kwargs, msg):
    with pytest.raises(InvalidValue, match=msg):
        authorities.create_authority(cat, **kwargs)


def test_links_with_roles_and_records_of_an_authority(cat, mazar):
    f = records.create_record(cat, title="F", level="fonds")
    r = records.create_record(cat, title="Testimony", level="item", type="testimony", parent_id=f)
    links.link(cat, r, mazar, "place_mentioned")
    links.link(cat, r, mazar, "place_mentioned")  # no duplicate
    assert [(lk.authority_name, lk.role) for lk in links.links_of(cat, r)] == [("Mazar-i-Sharif", "place_mentioned")]
    assert authorities.linked_record_ids(cat, mazar) == [(r, "place_mentioned")]
    with pytest.raises(InvalidValue, match="unknown role"):
        links.link(cat, r, mazar, "friend")


def test_relations_read_from_both_sides(cat):
    f = records.create_record(cat, title="F", level="fonds")
    letter = records.create_record(cat, title="Letter", level="item", parent_id=f)
    reply = records.create_record(cat, title="Reply", level="item", parent_id=f)
    links.relate(cat, reply, letter, "responds_to")
    assert [(r.type, r.other_id) for r in links.relations_of(cat, reply)] == [("responds_to", letter)]
    assert [(r.type, r.other_id) for r in links.relations_of(cat, letter)] == [("response", reply)]
    links.relate(cat, letter, reply, "response")  # the same relation named from the other side
    assert len(links.relations_of(cat, letter)) == 1
    with pytest.raises(InvalidValue):
        links.relate(cat, letter, letter, "related")
