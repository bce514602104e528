"""Type-ahead suggestions and name completions."""

from archivist.store import authorities, links, records, trash
from archivist.store.search import search
from archivist.store.search_suggest import name_completions, suggest


def test_suggest_by_title_and_names_prefix(cat):
    f = records.create_record(cat, title="Kabul papers", level="fonds", identifier="KP")
    a = records.create_record(cat, title="Letter from Kandahar", level="item", parent_id=f,
                              identifier="1", type="letter")
    b = records.create_record(cat, title="Report", level="item", parent_id=f, identifier="2",
                              type="report", fields={"scope_content": "Kandahar is not in the title"})
    person = authorities.create_authority(cat, kind="person", name="Karimi, Ahmad",
                                          variants=["احمد کریمی"])
    links.link(cat, b, person, "author")
    assert {s.id for s in suggest(cat, "kand")} == {a}
    assert {s.id for s in suggest(cat, "ka")} == {f, a, b}
    assert {s.id for s in suggest(cat, "letter kan")} == {a}
    assert {s.id for s in suggest(cat, "کری")} == {b}
    assert suggest(cat, "k") == [] and suggest(cat, "  ") == []
    assert len(suggest(cat, "ka", limit=2)) == 2
    trash.trash_records(cat, [a])
    assert suggest(cat, "kand") == []


def test_name_completions_list_live_names(cat):
    p = authorities.create_authority(cat, kind="person", name="Karimi, Ahmad", variants=["احمد کریمی"])
    authorities.create_authority(cat, kind="place", name="Herat")
    assert name_completions(cat) == ["Herat", "Karimi, Ahmad", "احمد کریمی"]
    authorities.set_authority_trashed(cat, p, True)
    assert name_completions(cat) == ["Herat"]


def test_blank_query_browses_everything(cat):
    f = records.create_record(cat, title="Kabul papers", level="fonds", identifier="KP")
    records.create_record(cat, title="Letter", level="item", parent_id=f, identifier="1", type="letter")
    result = search(cat, "  ", facets=True)
    assert result.total == 2
    assert {v.value: v.count for v in result.facets["level"]} == {"fonds": 1, "item": 1}
    assert search(cat, None, selected={"type": ["letter"]}).total == 1
