"""Written long vowels of Arabic-script names held against Latin list names (screen/vowels.py):
a consonant skeleton alone made حسنا (Hosna) "Hussein" and حمیدی (Hamidi) "Ahmad"."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener, vowels
from exportcheck.screen.arabic import word_spellings
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.normalize import name_forms


def _fits(word: str, latin: str) -> bool:
    with vowels.collecting() as seen:
        spelling = word_spellings(word, persian=any(ch in word for ch in "یکگپچژ"))[0]
    return vowels.fits(vowels.frames_of(vowels.frozen(seen), spelling), latin)


@pytest.mark.parametrize(("word", "latin"), [
    ("حسین", "hussein"), ("حسین", "husayn"), ("حسین", "hossein"), ("حسن", "hasan"),
    ("محمود", "mahmoud"), ("محمود", "mahmud"), ("احسان", "ehsan"), ("اسماعيل", "ismail"),
    ("اسماعيل", "ismael"), ("ابراهيم", "ibrahim"), ("سعيد", "saeed"), ("سعيد", "said"),
    ("موسى", "musa"), ("موسی", "mousa"), ("على", "ali"), ("مروان", "marwan"),
    ("فيصل", "faisal"), ("عمير", "omair"), ("داود", "dawood"), ("وحید", "vahid"),
    ("یحیی", "yahya"), ("سليوة", "slewa"),
    ("علوش", "alouche"),  # French closes a name with a mute e
    ("سعدي", "essaadi"),  # the article glued on, assimilated (es-Saadi)
    ("رمضان", "romdhane"), ("عمر", "omar"), ("حمزة", "hamza"),
])
def test_spellings_of_the_same_name_fit(word: str, latin: str) -> None:
    assert _fits(word, latin)


@pytest.mark.parametrize(("word", "latin", "why"), [
    ("حسنا", "hussein", "a final ا (Hosna) the Latin name lacks; its ei is unwritten"),
    ("حمیدی", "ahmad", "ی between m and d is no a"),
    ("حسین", "hassan", "ی between s and n is no a"),
    ("حسن", "hussein", "an ei where the Arabic writes nothing"),
    ("زهرا", "zahar", "a final ا"),
    ("احسان", "hassan", "an initial alef the Latin name lacks"),
    ("سارا", "sari", "a final ا is no i"),
    ("محمود", "muhammad", "و is no a"),
    ("عمير", "umar", "ی is no a"),
    ("فصيل", "faysal", "the ay and the a are where the Arabic has nothing and ی"),
    ("حسنا", "huseyini", "the y between vowels read as a vowel lines it up: still no final a"),
    ("حمد", "ahmad", "a vowel opening a name is written (an alef)"),
    ("آل", "ali", "a vowel closing a name is written (ی)"),
])
def test_contradicting_written_vowels_do_not_fit(word: str, latin: str, why: str) -> None:
    assert not _fits(word, latin), why


def test_unknown_spellings_and_other_consonants_are_left_alone() -> None:
    assert vowels.fits(None, "anything")
    assert vowels.frames_of((), "hasan") is None
    # the glide read otherwise (سيليا: s-l-y, "Selia": s-l): the gaps between consonants
    # cannot be lined up, so only the edges are held to the Arabic spelling
    assert _fits("سيليا", "selia")
    assert not _fits("سيليا", "sail")  # the written final ا is not there
    assert not _fits("طحراوي", "aether")  # a vowel opens it where the Arabic writes none
    # vowel marks write the short vowels too: no frame
    assert vowels.arabic_frame("مُحَمَّد") is None


def test_one_spelling_of_several_words_fits_any_of_them() -> None:
    # "amir" spells أمير (Amir) and عمير (Umair): a Latin name that fits either fits
    with vowels.collecting() as seen:
        assert word_spellings("أمير", False)[0] == word_spellings("عمير", False)[0] == "amir"
    frames = vowels.frames_of(vowels.frozen(seen), "amir")
    assert frames is not None and len(frames) == 2
    assert vowels.fits(frames, "umair") and vowels.fits(frames, "amir")
    assert not vowels.fits(frames, "umar")  # neither: ی between m and r
    # outside a name being built nothing is collected
    word_spellings("حسنا", True)
    assert vowels.frozen(seen) == vowels.frozen({"amir": frames})


@pytest.fixture(scope="module")
def listed() -> Screener:
    names = ["MUHAMMAD, Hussein", "HASSAN, Kamal", "ZAHAR, Mahmoud", "HUSSEIN, Saddam",
             "AHMAD, Ali", "MAHMOUD, Ibrahim", "EHSAN, Reza"]
    entries = [ListEntry("TEST", str(i), n, kind="person", source="t")
               for i, n in enumerate(names)]
    return Screener([ParsedList("test", entries, len(entries), "test")])


@pytest.mark.parametrize(("query", "not_expected"), [
    ("حسنا محمدی", "MUHAMMAD, Hussein"),   # Hosna Mohammadi
    ("حسين کمالی", "HASSAN, Kamal"),        # Hossein Kamali
    ("زهرا محمدی", "ZAHAR, Mahmoud"),      # Zahra Mohammadi
    ("علی حمیدی", "AHMAD, Ali"),            # Ali Hamidi
])
def test_ordinary_persian_names_no_longer_alert(listed: Screener, query: str,
                                                not_expected: str) -> None:
    assert not_expected not in {h.matched_name for h in listed.screen(query)}


@pytest.mark.parametrize(("query", "expected"), [
    ("صدام حسين", "HUSSEIN, Saddam"), ("ابراهيم محمود", "MAHMOUD, Ibrahim"),
    ("رضا احسان", "EHSAN, Reza"), ("علي احمد", "AHMAD, Ali"),
])
def test_the_listed_names_are_still_found(listed: Screener, query: str, expected: str) -> None:
    assert expected in {h.matched_name for h in listed.screen(query)}


def test_a_one_consonant_skeleton_needs_the_same_onset() -> None:
    """علي (Ali) and "Li" are both l by skeleton: too little to call them one name (it made
    علي باي an alert for "LI BAI")."""
    from exportcheck.screen.tokens import token_sim

    assert token_sim("ali", "li", True) < 0.8
    assert token_sim("ali", "aly", True) == 0.9
    assert token_sim("isa", "issa", True) >= 0.9
    entries = [ListEntry("TEST", "1", "LI BAI", kind="person", source="t")]
    assert Screener([ParsedList("test", entries, 1, "test")]).screen("علي باي") == []


def test_a_name_is_scored_the_same_whatever_was_screened_before(listed: Screener) -> None:
    """The written vowels travel with each name's forms, not in state shared by queries."""
    first = [(h.entry_id, h.score) for h in listed.screen("حسين کمالی", threshold=50)]
    for other in ("حسن کمال", "حسنا محمدی", "امیر حسن", "عمير حسين"):
        listed.screen(other, threshold=50)
    name_forms.cache_clear()
    assert [(h.entry_id, h.score) for h in listed.screen("حسين کمالی", threshold=50)] == first


def test_persian_script_ordinary_names_rarely_alert(full_screener: Screener) -> None:
    """2,000 Faker Persian names (a seed the rules were not written from) against every list:
    2.3% raised an alert before the written-vowel check, 0.5% after (10)."""
    from faker import Faker

    fake = Faker("fa_IR")
    fake.seed_instance(20261205)
    names = list(dict.fromkeys(" ".join(fake.name().split()) for _ in range(2600)))[:2000]
    alerts = [n for n in names if full_screener.screen(n)]
    assert len(alerts) <= 13, alerts
