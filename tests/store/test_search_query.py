"""Running queries: every form against a small catalogue, scripts, names, dates, sorting, snippets."""

import pytest

from archivist.core.errors import InvalidQuery
from archivist.store import authorities, links, records, trash
from archivist.store.search import search


@pytest.fixture
def data(cat):
    f = records.create_record(cat, title="Karabakh fighters", level="fonds", identifier="KFF")
    s = records.create_record(cat, title="Correspondence", level="series", parent_id=f, identifier="1")

    def item(ident, title, **kw):
        kw.setdefault("type", "letter")
        return records.create_record(cat, title=title, level="item", parent_id=s, identifier=ident, **kw)

    ids = {
        "mozari": item("1", "Letter from Mozari Sharif", dates=["1994-05"],
                       fields={"scope_content": "The Hekmatyar forces were seen near Kabul in May.",
                               "languages": ["en"]}),
        "dari": item("2", "نامه\u200cها درباره حکمتیار", dates=["199X"],
                     fields={"languages": ["prs"], "scope_content": "كتاب مُحَمَّد"}),
        "report": item("3", "Report on the Füzuli front", type="report", dates=["1993/1994"],
                       access_status="restricted", access_reason="personal data",
                       fields={"languages": ["az-Cyrl"]}),
        "russian": item("4", "Письмо о Хаттабе", dates=["1996-02-10"],
                        fields={"languages": ["ru"], "scope_content": "Всё о Басаеве и Радуеве."}),
        "armenian": item("5", "Ղարաբաղ: նամակ", dates=["1992~"], type="press_clipping",
                         fields={"languages": ["hy"], "scope_content": "Երևան"}),
        "undated": item("6", "Photograph of a checkpoint", type="photograph"),
    }
    place = authorities.create_authority(cat, kind="place", name="Mazar-i-Sharif",
                                         variants=["مزار شریف", "Мазари-Шариф"])
    links.link(cat, ids["mozari"], place, "place_mentioned")
    org = authorities.create_authority(cat, kind="organisation", name="Hezb-e Islami")
    links.link(cat, ids["dari"], org, "creator")
    links.add_tags(cat, [ids["mozari"], ids["report"]], ["mercenaries"])
    ids["fonds"], ids["series"] = f, s
    return ids


def found(cat, query, **kw):
    return {h.id for h in search(cat, query, snippets=False, limit=100, **kw).hits}


def test_words_and_implicit_and(cat, data):
    assert found(cat, "hekmatyar kabul") == {data["mozari"]}
    assert found(cat, "letter") == {data["mozari"]}


def test_or_not_minus_and_groups(cat, data):
    assert found(cat, "kabul OR füzuli") == {data["mozari"], data["report"]}
    assert found(cat, "tag:mercenaries -report") == {data["mozari"]}
    assert found(cat, "tag:mercenaries NOT report") == {data["mozari"]}
    assert found(cat, "(kabul OR front) tag:mercenaries") == {data["mozari"], data["report"]}
    everything = found(cat, "-zzzz")
    assert data["undated"] in everything and len(everything) == 8


def test_phrase_and_prefix(cat, data):
    assert found(cat, "\"forces were seen\"") == {data["mozari"]}
    assert found(cat, "\"seen were forces\"") == set()
    assert found(cat, "checkp*") == {data["undated"]}


@pytest.mark.parametrize("query, key", [
    ("title:mozari", "mozari"), ("title:\"füzuli front\"", "report"), ("place:mazar*", "mozari"),
    ("org:islami", "dari"), ("tag:mercenaries", "mozari"), ("ref:KFF-1-4", "russian"),
    ("type:press", "armenian"), ("level:fonds", "fonds"), ("lang:prs", "dari"),
    ("lang:az", "report"), ("restricted:yes", "report"),
])
def test_fields(cat, data, query, key):
    assert data[key] in found(cat, query)


def test_field_restricts_column(cat, data):
    assert found(cat, "title:kabul") == set()
    assert found(cat, "person:islami") == set()
    assert found(cat, "level:item restricted:no") == {data[k] for k in
                                                      ("mozari", "dari", "russian", "armenian", "undated")}


@pytest.mark.parametrize("query, key", [
    ("كتاب", "dari"), ("محمد", "dari"), ("نامهها", "dari"), ("حكمتيار", "dari"),
    ("всё", "russian"), ("все", "russian"), ("երևան", "armenian"), ("ԵՐԵՎԱՆ", "armenian"),
    ("fuzuli", "report"), ("FÜZULI", "report"),
])
def test_normalisation_of_each_script(cat, data, query, key):
    assert data[key] in found(cat, query, translit=False)


def test_name_variants_through_authorities(cat, data):
    for variant in ("Mazar-i-Sharif", "\"مزار شریف\"", "Мазари-Шариф"):
        hits = search(cat, variant).hits
        assert hits[0].id == data["mozari"] and hits[0].exact


@pytest.mark.parametrize("query, key", [
    ("Hekmatyar", "dari"), ("Хаттаб", "russian"), ("Khattab", "russian"), ("Basayev", "russian"),
    ("Raduev", "russian"), ("Karabakh", "armenian"), ("Физули", "report"),
])
def test_transliteration_finds_names_in_other_scripts(cat, data, query, key):
    result = search(cat, query)
    by_id = {h.id: h for h in result.hits}
    assert data[key] in by_id
    assert data[key] not in found(cat, query, translit=False)


def test_transliteration_ranks_below_exact(cat, data):
    hits = search(cat, "Hekmatyar").hits
    assert [h.id for h in hits] == [data["mozari"], data["dari"]]
    assert hits[0].exact and not hits[1].exact
    hits = search(cat, "حکمتیار").hits
    assert [h.id for h in hits] == [data["dari"], data["mozari"]]


@pytest.mark.parametrize("query, expected", [
    ("date:1994", {"mozari", "dari", "report"}),
    ("date:1990..1991", {"dari"}),                   # 199X overlaps
    ("date:1994-05-20", {"mozari", "dari", "report"}),
    ("date:1994-06", {"dari", "report"}),
    ("date:..1992", {"dari", "armenian"}),
    ("date:1996..", {"dari", "russian"}),
    ("within:1990..1999", {"mozari", "dari", "report", "russian", "armenian"}),
    ("within:1993..1994", {"mozari", "report"}),
    ("within:1994", {"mozari"}),
])
def test_dates_overlap_and_within(cat, data, query, expected):
    assert found(cat, query) == {data[k] for k in expected}


def test_within_option_turns_date_into_within(cat, data):
    assert found(cat, "date:1993..1994", within=True) == {data["mozari"], data["report"]}


def test_restricted_marker(cat, data):
    hits = {h.id: h for h in search(cat, "tag:mercenaries").hits}
    assert hits[data["report"]].restricted
    assert not hits[data["mozari"]].restricted


def test_sorting_and_paging(cat, data):
    by_date = [h.id for h in search(cat, "level:item", sort="date", snippets=False).hits]
    assert by_date == [data[k] for k in ("dari", "armenian", "report", "mozari", "russian", "undated")]
    newest = [h.id for h in search(cat, "level:item", sort="-date", snippets=False).hits]
    assert newest[0] == data["dari"] and newest[-1] == data["undated"]
    by_ref = [h.reference_code for h in search(cat, "level:item", sort="ref").hits]
    assert by_ref == sorted(by_ref)
    by_title = [h.title for h in search(cat, "level:item", sort="title").hits]
    assert by_title == sorted(by_title, key=str.casefold)
    page1 = search(cat, "level:item", sort="ref", limit=4).hits
    page2 = search(cat, "level:item", sort="ref", limit=4, offset=4).hits
    assert len(page1) == 4 and len(page2) == 2
    assert not {h.id for h in page1} & {h.id for h in page2}
    result = search(cat, "level:item", limit=2)
    assert result.total == 6 and result.total_exact


def test_relevance_prefers_title(cat, data):
    rid = records.create_record(cat, title="Kabul", level="item", parent_id=data["series"],
                                identifier="7", type="other")
    hits = search(cat, "kabul").hits
    assert hits[0].id == rid
    assert hits[0].score > hits[1].score > 0


def test_snippets_highlight_in_the_original_text(cat, data):
    hit = search(cat, "forces kabul").hits[0]
    assert hit.marked_snippet() == "The Hekmatyar [forces] were seen near [Kabul] in May."
    hit = search(cat, "محمد").hits[0]
    start, end = hit.highlights[0]
    assert hit.snippet[start:end] == "مُحَمَّد"
    long_text = "word " * 100 + "needle " + "word " * 100
    rid = records.create_record(cat, title="Long", level="item", parent_id=data["series"],
                                identifier="8", type="other", fields={"scope_content": long_text})
    hit = [h for h in search(cat, "needle").hits if h.id == rid][0]
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "[needle]" in hit.marked_snippet() and len(hit.snippet) < 200


def test_word_without_letters_is_an_error(cat, data):
    with pytest.raises(InvalidQuery) as info:
        search(cat, "kabul —")
    assert info.value.position == 6


def test_malformed_query_raises_with_position(cat, data):
    with pytest.raises(InvalidQuery) as info:
        search(cat, "kabul (herat")
    assert info.value.position == 6


def test_unknown_sort(cat, data):
    with pytest.raises(ValueError):
        search(cat, "kabul", sort="size")


def test_ranking_cap_still_fills_the_page_when_filters_drop_early_matches(cat, data, monkeypatch):
    from archivist.store import search as search_module
    monkeypatch.setattr(search_module, "RANK_CAP", 3)
    ids = [records.create_record(cat, title=f"alpha note {i}", level="item", parent_id=data["series"],
                                 identifier=f"a{i}", type="letter" if i < 6 else "report")
           for i in range(8)]
    result = search(cat, "alpha type:report", snippets=False)
    assert result.total == 2
    assert {h.id for h in result.hits} == set(ids[6:])
    hits = search(cat, "alpha", snippets=False).hits
    assert len(hits) == 8 and sum(h.score > 0 for h in hits) == 3  # only RANK_CAP are scored


@pytest.mark.parametrize("query, key", [
    ("Basaef", "russian"),      # one consonant off the key of Басаеве
    ("Hekmatyr", "dari"),       # vowels never matter
    ("Khatab", "russian"),
])
def test_spelling_variants_are_found_below_exact(cat, data, query, key):
    hits = search(cat, query).hits
    found = {h.id: h for h in hits}
    assert data[key] in found and not found[data[key]].exact
    assert data[key] not in {h.id for h in search(cat, query, translit=False).hits}


def test_close_keys_only_widen_unknown_keys(cat, data):
    from archivist.store.search import close_keys
    assert close_keys(cat.conn, "bsv") == []          # a key the index has: no widening
    assert "bsv" in close_keys(cat.conn, "bsf")
    assert close_keys(cat.conn, "zz") == []           # too short


def test_words_found_as_written_are_not_widened(cat, data):
    rid = records.create_record(cat, title="Note", level="item", parent_id=data["series"],
                                identifier="9", type="other",
                                fields={"scope_content": "a word such as basaef"})
    hits = search(cat, "Basaef").hits
    assert [h.id for h in hits] == [rid]  # no spelling variants once the word itself exists


def test_hits_past_the_ranking_cap_follow_unranked(cat, data, monkeypatch):
    from archivist.store import search as search_module
    monkeypatch.setattr(search_module, "RANK_CAP", 3)
    ids = [records.create_record(cat, title=f"alpha {i}", level="item", parent_id=data["series"],
                                 identifier=f"b{i}", type="other") for i in range(8)]
    everything = search(cat, "alpha", limit=100, snippets=False).hits
    assert sorted(h.id for h in everything) == ids  # all 8, none twice
    assert [h.score > 0 for h in everything] == [True] * 3 + [False] * 5
    pages = [h.id for o in range(0, 8, 3) for h in search(cat, "alpha", limit=3, offset=o,
                                                           snippets=False).hits]
    assert pages == [h.id for h in everything]


def test_huge_pages_stay_under_the_parameter_limit(cat, data, monkeypatch):
    from archivist.store import search_snippet
    calls = []
    real = search_snippet._all_passages
    monkeypatch.setattr(search_snippet, "_all_passages",
                        lambda conn, ids: calls.append(len(ids)) or real(conn, ids))
    for i in range(30):
        records.create_record(cat, title=f"beta {i}", level="item", parent_id=data["series"],
                              identifier=f"c{i}", type="other")
    result = search(cat, "beta", limit=100_000)
    assert len(result.hits) == 30 and calls == [30]


def test_trashed_records_stay_out_of_ranked_unranked_and_counted_hits(cat, data, monkeypatch):
    from archivist.store import search as search_module
    monkeypatch.setattr(search_module, "RANK_CAP", 3)
    ids = [records.create_record(cat, title=f"gamma {i}", level="item", parent_id=data["series"],
                                 identifier=f"g{i}", type="other") for i in range(8)]
    trash.trash_records(cat, [ids[1], ids[6]])
    result = search(cat, "gamma", limit=100, snippets=False, facets=True)
    assert sorted(h.id for h in result.hits) == sorted(set(ids) - {ids[1], ids[6]})
    assert result.total == 6 and result.facets_exact
    assert sum(v.count for v in result.facets["level"]) == 6
    everything = search(cat, "gamma", limit=100, snippets=False, include_trashed=True)
    assert sorted(h.id for h in everything.hits) == ids and everything.total == 8
