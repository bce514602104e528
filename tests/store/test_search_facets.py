"""Facet counts checked against brute-force counts on generated records."""

import random
from collections import Counter

import pytest

from archivist.store import authorities, links, records, trash
from archivist.store import search as search_module
from archivist.store.search import search

TYPES = ["letter", "report", "photograph", "press_clipping"]
LANGS = ["prs", "ru", "hy", "az"]
WORDS = ["kabul", "herat", "karabakh", "letter", "front", "ministry", "refugees", "border"]
DATES = ["1991", "1994-05", "1993/1995", "199X", "1988~", "2001-02-03", None]


@pytest.fixture
def generated(cat):
    rng = random.Random(6)
    fonds = records.create_record(cat, title="Fonds", level="fonds", identifier="F")
    series = [records.create_record(cat, title=f"Series {i}", level="series", parent_id=fonds,
                                    identifier=str(i)) for i in range(3)]
    people = [authorities.create_authority(cat, kind="person", name=f"Person {i}") for i in range(4)]
    places = [authorities.create_authority(cat, kind="place", name=f"Place {i}") for i in range(3)]
    truth = {}
    for n in range(80):
        s = rng.choice(series)
        words = rng.sample(WORDS, 3)
        langs = rng.sample(LANGS, rng.randint(0, 2))
        date = rng.choice(DATES)
        rtype = rng.choice(TYPES)
        rid = records.create_record(
            cat, title=" ".join(words), level="item", parent_id=s, identifier=str(n), type=rtype,
            dates=[date] if date else [], fields={"languages": langs} if langs else {})
        linked_people = rng.sample(people, rng.randint(0, 2))
        for p in linked_people:
            links.link(cat, rid, p, "mentioned")
        place = rng.choice(places + [None])
        if place:
            links.link(cat, rid, place, "place_mentioned")
        tags = rng.sample(["a", "b", "c"], rng.randint(0, 2))
        if tags:
            links.add_tags(cat, [rid], tags)
        truth[rid] = {"words": set(words), "type": rtype, "langs": set(langs), "date": date,
                      "series": s, "person": {str(p) for p in linked_people},
                      "place": {str(place)} if place else set(), "tags": set(tags)}
    return truth


def _years(date):
    spans = {"1991": (1991, 1991), "1994-05": (1994, 1994), "1993/1995": (1993, 1995),
             "199X": (1990, 1999), "1988~": (1988, 1988), "2001-02-03": (2001, 2001)}
    if date is None:
        return set()
    lo, hi = spans[date]
    return set(range(lo, hi + 1))


def brute(truth, ids):
    c = {k: Counter() for k in ("type", "lang", "person", "place", "tag", "year", "decade", "series")}
    for rid in ids:
        t = truth[rid]
        c["type"][t["type"]] += 1
        c["lang"].update(t["langs"])
        c["person"].update(t["person"])
        c["place"].update(t["place"])
        c["tag"].update(t["tags"])
        years = _years(t["date"])
        c["year"].update(str(y) for y in years)
        c["decade"].update({str(y // 10 * 10) for y in years})
        c["series"][str(t["series"])] += 1
    return c


def got(result, facet):
    return Counter({v.value: v.count for v in result.facets[facet]})


@pytest.mark.parametrize("word", ["kabul", "ministry", "border"])
def test_facet_counts_match_brute_force(cat, generated, word):
    result = search(cat, word, facets=True, limit=500, snippets=False)
    ids = {rid for rid, t in generated.items() if word in t["words"]}
    assert {h.id for h in result.hits} == ids
    assert result.total == len(ids) and result.facets_exact
    expected = brute(generated, ids)
    for facet in ("type", "lang", "person", "place", "tag", "year", "decade", "series"):
        assert got(result, facet) == expected[facet], facet
    assert got(result, "level") == Counter({"item": len(ids)})


def test_selected_facets_filter_like_brute_force(cat, generated):
    some_person = sorted({p for t in generated.values() for p in t["person"]})[0]
    selected = {"type": ["letter", "report"], "person": [some_person], "year": ["1994"]}
    result = search(cat, "level:item", facets=True, selected=selected, limit=500, snippets=False)
    ids = {rid for rid, t in generated.items()
           if t["type"] in ("letter", "report") and some_person in t["person"]
           and 1994 in _years(t["date"])}
    assert {h.id for h in result.hits} == ids
    assert got(result, "type") == brute(generated, ids)["type"]


def test_year_facet_agrees_with_date_filter(cat, generated):
    result = search(cat, "level:item", facets=True, limit=500, snippets=False)
    for value in result.facets["year"]:
        filtered = search(cat, f"level:item date:{value.value}", limit=500, snippets=False)
        assert filtered.total == value.count


def test_large_hit_sets_are_sampled(cat, generated, monkeypatch):
    monkeypatch.setattr(search_module, "FACET_CAP", 30)
    result = search(cat, "level:item", facets=True, snippets=False)
    assert not result.facets_exact
    exact = brute(generated, list(generated))["type"]
    for value in result.facets["type"]:
        assert abs(value.count - exact[value.value]) <= 0.5 * exact[value.value] + 5


def test_hit_cap_reports_an_inexact_total(cat, generated, monkeypatch):
    monkeypatch.setattr(search_module, "HIT_CAP", 50)
    result = search(cat, "level:item", snippets=False)
    assert result.total == 50 and not result.total_exact


def test_hit_cap_still_counts_words_exactly(cat, generated, monkeypatch):
    monkeypatch.setattr(search_module, "HIT_CAP", 5)
    ids = {rid for rid, t in generated.items() if "kabul" in t["words"]}
    trash.trash_records(cat, [sorted(ids)[0]])
    result = search(cat, "kabul", snippets=False, translit=False)
    assert result.total == len(ids) - 1 and result.total_exact


def test_large_word_hit_sets_are_sampled(cat, generated, monkeypatch):
    monkeypatch.setattr(search_module, "FACET_CAP", 10)
    result = search(cat, "kabul", facets=True, snippets=False, translit=False)
    ids = {rid for rid, t in generated.items() if "kabul" in t["words"]}
    assert result.total == len(ids) and not result.facets_exact
    exact = brute(generated, ids)["type"]
    estimated = got(result, "type")
    assert 0.5 * len(ids) <= sum(estimated.values()) <= 1.5 * len(ids)
    assert set(estimated) <= set(exact)


@pytest.mark.parametrize("query, years, within", [
    ("date:1994", (1994, 1994), False),
    ("date:1990..1993", (1990, 1993), False),
    ("within:1990..1999", (1990, 1999), True),
])
@pytest.mark.parametrize("extra, keep", [
    ("", lambda t: True),
    ("kabul", lambda t: "kabul" in t["words"]),
    ("type:letter", lambda t: t["type"] == "letter"),
    ("level:item", lambda t: True),
])
def test_date_filters_match_brute_force(cat, generated, query, years, within, extra, keep):
    lo, hi = years
    spans = {rid: _years(t["date"]) for rid, t in generated.items()}
    if within:
        want = {rid for rid, ys in spans.items() if ys and lo <= min(ys) and max(ys) <= hi}
    else:
        want = {rid for rid, ys in spans.items() if ys & set(range(lo, hi + 1))}
    want = {rid for rid in want if keep(generated[rid])}
    result = search(cat, f"{query} {extra}".strip(), limit=500, snippets=False, translit=False)
    assert {h.id for h in result.hits} == want
    assert result.total == len(want)


@pytest.mark.parametrize("query", ["date:1990..1999", "date:1990..1999 kabul", "lang:ru",
                                   "within:1990..1999 kabul"])
def test_filters_leave_out_trashed_records_unless_asked(cat, generated, query):
    everything = {h.id for h in search(cat, query, limit=500, snippets=False, translit=False).hits}
    assert everything
    victim = sorted(everything)[0]
    trash.trash_records(cat, [victim])
    live = search(cat, query, limit=500, snippets=False, translit=False)
    assert {h.id for h in live.hits} == everything - {victim} and live.total == len(everything) - 1
    with_trash = search(cat, query, limit=500, snippets=False, translit=False, include_trashed=True)
    assert {h.id for h in with_trash.hits} == everything
