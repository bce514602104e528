import pytest

from archivist.core.errors import InvalidValue
from archivist.core.fields import clean_value, language_name
from archivist.core.templates import (FIELD_KINDS, RECORD_TYPES, load_templates,
                                      missing_essentials, template_for)

EXPECTED_TYPES = {"letter", "captured_document", "press_clipping", "report", "book_extract",
                  "photograph", "physical_object", "testimony", "web_article", "other"}


def test_every_record_type_has_a_template():
    assert set(RECORD_TYPES) == EXPECTED_TYPES


def test_templates_carry_isad_elements_with_crosswalks():
    for template in load_templates().values():
        ids = {f.id for f in template.fields}
        assert {"extent_medium", "scope_content", "access_conditions", "languages"} <= ids
        for f in template.fields:
            assert f.kind in FIELD_KINDS
            assert f.crosswalk, f"{template.type}.{f.id} has no crosswalk"


def test_letter_has_sender_and_recipient_links():
    letter = template_for("letter")
    assert letter.field("sender").kind == "authority"
    assert letter.field("sender").role == "sender"
    assert letter.field("recipient").role == "recipient"


def test_unknown_type():
    with pytest.raises(InvalidValue, match="unknown record type"):
        template_for("postcard")


def test_language_field_validates_and_names_dari():
    languages = template_for("letter").field("languages")
    assert clean_value(languages, "prs") == ["prs"]
    assert clean_value(languages, ["prs", "pus"]) == ["prs", "pus"]
    with pytest.raises(InvalidValue):
        clean_value(languages, "not a language")
    assert language_name("prs") == "Dari"


def test_url_and_single_line_checks():
    url = template_for("web_article").field("url")
    with pytest.raises(InvalidValue, match="web address"):
        clean_value(url, "www.example")
    extent = template_for("letter").field("extent_medium")
    with pytest.raises(InvalidValue, match="not repeatable"):
        clean_value(extent, ["a", "b"])


def test_missing_essentials_depend_on_level():
    t = template_for(None)
    missing = missing_essentials("fonds", t, {}, {"title": True, "reference_code": True})
    assert "Date(s)" in missing and "Creator" in missing and "Scope and content" in missing
    item_missing = missing_essentials("item", t, {"extent_medium": "1 p."},
                                      {"title": True, "reference_code": True, "dates": True})
    assert item_missing == []


def test_one_form_field_per_link_role():
    for template in load_templates().values():
        roles = [f.role for f in template.fields if f.kind == "authority"]
        assert len(roles) == len(set(roles)), f"{template.type} edits a role twice: {roles}"


def test_types_name_their_creator_in_their_own_words():
    assert template_for("testimony").field("creator").label == "Witness / interviewee"
    assert template_for("photograph").field("creator").label == "Photographer"
