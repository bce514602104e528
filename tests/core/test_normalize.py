"""The search normalisation: the cases of STANDARDS.md §9 for each script."""

import unicodedata

import pytest

from archivist.core.normalize import normalize, normalize_with_offsets


@pytest.mark.parametrize("a, b", [
    # Latin: case and accent folding
    ("Füzuli", "fuzuli"),
    ("ÉCOLE", "ecole"),
    ("İstanbul", "istanbul"),
    ("Straße", "strasse"),
    ("Łódź", "lodz"),
    ("e\u0301", "e"),                      # decomposed accent
    ("Ağdam Şuşa Çəbrayıl", "agdam susa cəbrayıl"),
    # Arabic and Persian letter forms
    ("كتاب", "کتاب"),                        # Arabic kaf -> keheh
    ("علي", "علی"),                          # Arabic yeh -> Farsi yeh
    ("مصطفى", "مصطفی"),                      # alef maksura -> Farsi yeh
    ("مدرسة", "مدرسه"),                      # teh marbuta -> heh
    ("أحمد", "احمد"), ("إسلام", "اسلام"), ("آب", "اب"),
    ("ﻙ", "ک"),                               # presentation form (NFKC)
    # harakat, superscript alef, tatweel
    ("كِتَاب", "کتاب"), ("مُحَمَّد", "محمد"), ("هٰذا", "هذا"), ("كـــتاب", "کتاب"),
    # ZWNJ / ZWJ and other invisible controls
    ("نامه\u200cها", "نامهها"), ("a\u200db", "ab"), ("a\u200fb\u2068c\u2069", "abc"),
    # digits
    ("۱۳۵۹", "1359"), ("٢٠٢٠", "2020"),
    # Cyrillic
    ("Ёлка", "елка"), ("Хекматияр", "хекматияр"),
    # Armenian: case folding, the ligature and its capital form
    ("Ղարաբաղ", "ղարաբաղ"), ("Երևան", "երեվան"), ("Երեւան", "երեվան"), ("ԵՐԵՎԱՆ", "երեվան"),
])
def test_normalize_cases(a, b):
    assert normalize(a) == b


def test_query_and_index_forms_meet():
    """A Dari writer's spelling and a searcher's keyboard end up identical."""
    stored = "نامه\u200cهای وزارت كابل"
    typed = "نامههای وزارت کابل"
    assert normalize(stored) == normalize(typed)
    assert normalize("مُدِيرِيَّة") == normalize("مديريه")


def test_azerbaijani_schwa_and_dotless_i_stay_letters():
    assert normalize("Beyləqan") == "beyləqan"
    assert normalize("Beyləqan") != normalize("Beyleqan")
    assert normalize("Ağcabədi") != normalize("Agcabadi")
    assert "ı" in normalize("Qazıx")


def test_idempotent_and_nfkc():
    for s in ["Füzuli", "كِتَاب", "Երևան", "ﬁle", "Ⅳ", "ﷲ"]:
        once = normalize(s)
        assert normalize(once) == once
    assert normalize("ﬁle") == "file"
    assert normalize("ﷲ") == "الله"


def test_empty_and_ascii():
    assert normalize("") == ""
    assert normalize("Kabul 1994 LETTER") == "kabul 1994 letter"


def test_pashto_letters_are_kept():
    # Pashto letters have no Persian equivalent and must not be merged away
    for ch in "ټډړږښګڼېۍ":
        assert normalize(ch) == ch


def test_offsets_map_back_to_the_original():
    text = "Füzu\u0301li — كِتَاب نامه\u200cها Երևան"
    folded, starts, ends = normalize_with_offsets(text)
    assert folded == normalize(text)
    assert len(starts) == len(ends) == len(folded)
    for word in ("fuzuli", "کتاب", "نامهها", "երեվան"):
        a = folded.index(word)
        b = a + len(word)
        original = text[starts[a]:ends[b - 1]]
        assert normalize(original) == word


def test_offsets_of_a_ligature_share_the_source_character():
    folded, starts, ends = normalize_with_offsets("xﬁy")
    assert folded == "xfiy"
    assert starts == [0, 1, 1, 2]
    assert ends == [1, 2, 2, 3]


def test_normalize_is_fast_enough_for_indexing():
    """A rough guard against someone adding per-character Python loops (not a benchmark)."""
    import time

    text = ("Letter from the governor of Mazar-i-Sharif about the Füzuli refugees; "
            "نامه\u200cهای وزارت كابل درباره مهاجرين; Письмо о беженцах; Ղարաբաղ ") * 4
    start = time.perf_counter()
    for _ in range(2000):
        normalize(text)
    per_call = (time.perf_counter() - start) / 2000
    assert per_call < 0.001  # typically ~20 µs


def test_output_has_no_combining_marks_or_controls():
    text = "Ḿàñý ĉõmbïñìñg ḿārks ضَرَبَ \u200c\u200d\u200e"
    out = normalize(text)
    assert not any(unicodedata.combining(c) for c in out)
    assert not any(unicodedata.category(c) == "Cf" for c in out)


def test_offsets_on_random_mixed_text():
    import random

    rng = random.Random(3)
    alphabet = list("abcXYZ éüİß ـكيىةأ\u064e\u0650\u200cنامه ёЁжЖ և Երևան ﬁ ") + ["e\u0301"]
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        folded, starts, ends = normalize_with_offsets(text)
        assert folded == normalize(text)
        for k, ch in enumerate(folded):
            assert 0 <= starts[k] < ends[k] <= len(text)
            piece = normalize(text[starts[k]:ends[k]])
            assert ch in piece or ch == "\u057e"  # Armenian ech-yiwn pair is rewritten as a pair
