"""Names queried in Arabic script, Cyrillic or Hangul find the Latin spellings lists print."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from exportcheck.errors import InvalidInput
from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.normalize import name_forms
from exportcheck.screen.scripts import (
    LETTER_FORMS,
    MAX_FORMS,
    combine,
    hangul_syllable,
    native_script,
    script_forms,
)

REPO = Path(__file__).resolve().parents[2]
NEGATIVES = REPO.parent / "shared" / "data" / "eval" / "yente" / "negatives_us.csv"
#: false hits of the first 2,000 negatives against the UN list before this module (measured
#: with anyascii folding only)
FALSE_HITS_BEFORE = 0
#: Arabic-script negatives (681 of the 50,000) with a hit against all lists at the default
#: threshold: 3 before the second round of Arabic rules (آلاء الجابر, احسان حمیدی,
#: احسان حریریان), none since written long vowels are checked (screen/vowels.py: احسان "Ehsan"
#: is not "Hassan", حمیدی "Hamidi" not "Ahmad")
ARABIC_FALSE_HITS_BEFORE = 0


def _screener(*names: tuple[str, str]) -> Screener:
    entries = [ListEntry("UN", f"T{i}", name, kind=kind) for i, (name, kind) in enumerate(names)]
    return Screener([ParsedList("test", entries, len(entries), "test")])


@pytest.fixture(scope="module")
def latin_list() -> Screener:
    return _screener(
        ("MOHAMMED ALI HASSAN", "person"), ("Muhammad Yusuf", "person"),
        ("VLADIMIR VLADIMIROVICH PUTIN", "person"), ("KIM JONG UN", "person"),
        ("Ri Yong Ho", "person"), ("CHOE RYONG HAE", "person"),
        ("ABDUL RAHMAN YASIN", "person"), ("SAIF-AL-DIN AL-RAWI", "person"),
        ("Abdelmalek Droukdel", "person"), ("Ehsanullah Niazi", "person"),
        ("OMAR AL-TIKRITI", "person"), ("Djamel Bouchoucha", "person"),
        ("Lee Jae-myung", "person"), ("Shamil Magomedovich Izmailov", "person"),
        ("MOHAMMAD WALI MOHAMMAD EWAZ", "person"), ("USMAN GHANI", "person"),
        ("Selselat al Thahab For Money Exchange", "organization"),
        ("ANSARUL MUSLIMINA FI BILADIS SUDAN", "organization"), ("ISMAIL KHAN", "person"))


def _found(screener: Screener, query: str, expected: str) -> bool:
    return any(h.matched_name == expected for h in screener.screen(query))


@pytest.mark.parametrize(("query", "expected"), [
    ("محمد علي حسن", "MOHAMMED ALI HASSAN"),
    ("مُحَمَّد يُوسُف", "Muhammad Yusuf"),  # vowel marks are dropped
    ("عبد الرحمن ياسين", "ABDUL RAHMAN YASIN"),
    ("سيف الدين الراوي", "SAIF-AL-DIN AL-RAWI"),
    ("عبد المالك دروكدال", "Abdelmalek Droukdel"),
    ("احسان الله نیازی", "Ehsanullah Niazi"),  # Persian letters, X-ullah joined
    ("عمر التكريتي", "OMAR AL-TIKRITI"),  # unknown word: consonant skeleton
    ("جمال بوشوشة", "Djamel Bouchoucha"),  # French spelling of a Maghreb name
    ("Владимир Владимирович Путин", "VLADIMIR VLADIMIROVICH PUTIN"),
    ("Шамиль Магомедович Измайлов", "Shamil Magomedovich Izmailov"),
    ("김정은", "KIM JONG UN"),
    ("리영호", "Ri Yong Ho"),
    ("최룡해", "CHOE RYONG HAE"),
    ("이재명", "Lee Jae-myung"),
    ("김 정은", "KIM JONG UN"),  # surname as its own word
    # Persian letter values of table words: ض = z ("Awad" is the Arabic reading), ث = s
    ("محمد ولی محمد عوض", "MOHAMMAD WALI MOHAMMAD EWAZ"),
    ("عثمان غنی", "USMAN GHANI"),
    # the list prints an article the South Asian spelling leaves out: not a missing word
    ("سلسلة الذهب للصرافة", "Selselat al Thahab For Money Exchange"),
    # the list glued the article to the word before ("Ansar-ul", "Bilad-is Sudan"); a name
    # that merely ends like a glued article keeps its own reading
    ("أنصار المسلمين في بلاد السودان", "ANSARUL MUSLIMINA FI BILADIS SUDAN"),
    ("اسماعيل خان", "ISMAIL KHAN"),
])
def test_original_script_query_finds_latin_name(latin_list: Screener, query: str,
                                                expected: str) -> None:
    assert _found(latin_list, query, expected)


def test_glued_articles_are_read_apart_only_as_an_alternative() -> None:
    from exportcheck.screen.arabic import unglue_articles

    assert unglue_articles(("ansarul", "muslimina", "fi", "biladis", "sudan")) == (
        "ansar", "al", "muslimina", "fi", "bilad", "al", "sudan")
    assert unglue_articles(("nasrud", "din")) == ("nasr", "al", "din")
    for name in (("michael", "smith"), ("abdul", "rahman"), ("daniel", "lopez")):
        assert unglue_articles(name) == name


def test_vladimir_putin_two_words(latin_list: Screener) -> None:
    hits = latin_list.screen("Владимир Путин", threshold=75)
    assert hits and hits[0].matched_name == "VLADIMIR VLADIMIROVICH PUTIN"


def test_list_names_in_script_are_found_from_latin() -> None:
    """Index and query share name_forms: a list name written محمد علي is found as Latin."""
    s = _screener(("محمد علي حسن", "person"), ("Ким Чен Ын", "person"))
    assert _found(s, "Mohamed Ali Hassan", "محمد علي حسن")
    assert _found(s, "Muhammad Ali Hasan", "محمد علي حسن")


def test_forms_are_capped_and_tagged() -> None:
    for name in ("محمد بن عبد الله بن عبد الرحمن القحطاني الشريف", "김정은", "Путин",
                 "Ахмед Ражапович Чатаев"):
        forms = name_forms(name, True)
        romanised = [f for f in forms if f.script not in LETTER_FORMS.values()]
        assert 1 <= len(romanised) <= MAX_FORMS
        assert len(forms) - len(romanised) == (1 if native_script(name) else 0)  # not Cyrillic
    assert {f.script for f in name_forms("محمد", True)} == {"abjad", "arabic_letters"}
    assert {f.script for f in name_forms("김정은", True)} == {"hangul", "hangul_letters"}
    assert ("kim", "jongun") in {f.tokens for f in name_forms("김정은", True)}
    # the form in the name's own letters: Hangul by syllable, Arabic script with its letter
    # variants folded and the zero-width non-joiner dropped
    assert ("김", "정", "은") in {f.tokens for f in name_forms("김정은", True)}
    assert ("اصف", "علي") in {f.tokens for f in name_forms("آصف علی", True)}
    assert ("پزشكفر",) in {f.tokens for f in name_forms("پزشک\u200cفر", True)}
    assert ("muhammad",) in {f.tokens for f in name_forms("محمد", True)}


def test_article_and_compounds() -> None:
    tokens = {f.tokens for f in script_forms("عبد الرحمن الشريف", True)}
    assert ("abd", "al", "rahman", "al", "sharif") in tokens
    assert any(t[0] == "abdulrahman" for t in tokens)
    assert ("hidayatullah",) not in tokens
    assert ("nasrullah",) in {f.tokens for f in script_forms("نصرالله", True)}


def _tokens(name: str) -> set[tuple[str, ...]]:
    return {f.tokens for f in script_forms(name, None)}


def test_arabic_styles_and_elements() -> None:
    """One style per form (English, Maghreb French, South Asian), words written joined,
    vowel marks, the ezafe and organisation names in English."""
    assert ("kamal", "ben", "mouladi") in _tokens("كمال بن المولدي")  # FR drops al after ben
    assert ("abdelkadir",) in _tokens("عبد القادر")
    assert ("shams", "ur", "rahman") in _tokens("شمس الرحمن")
    assert ("nazar", "muhammad", "abdul", "basir") in _tokens("نظر محمدعبد البصیر")
    assert ("gul", "agha") in _tokens("كُل آغا") or ("kul", "agha") in _tokens("كُل آغا")
    assert ("tehrik", "e", "taliban", "pakistan") in {
        tuple("pakistan" if t.startswith("paka") else t for t in f) for f in
        _tokens("تحریک طالبان پاکستان")}
    assert ("group", "islamic", "armed") in _tokens("الجماعة الاسلامية المسلحة")
    assert ("walijan",) in _tokens("ولی جان")
    forms = script_forms("محمد ولی محمد عوض")
    assert [f.script for f in forms].count("arabic_letters") == 1
    assert all(f.script == "abjad" for f in forms[:-1]) and len(forms) <= MAX_FORMS + 1


def test_hangul_systems() -> None:
    assert [hangul_syllable("정", s) for s in ("dprk", "rr", "popular")] == [
        "jong", "jeong", "jung"]
    assert hangul_syllable("택", "dprk") == "thaek"
    with pytest.raises(ValueError, match="unknown romanisation system"):
        hangul_syllable("정", "wade-giles")


def test_combine_puts_consistent_styles_first() -> None:
    units = [[("a1",), ("a2",)], [("b1",), ("b2",)], [("c",)]]
    out = combine(units, cap=3)
    assert out[:2] == [("a1", "b1", "c"), ("a2", "b2", "c")]
    assert len(out) == 3


@pytest.mark.parametrize("bad", ["", "   ", "ـــ", "\u064b\u064c", "!!", "\ud7a4"])
def test_odd_input_gives_no_form_and_no_crash(bad: str) -> None:
    assert script_forms(bad) == () or all(f.tokens for f in script_forms(bad))


def test_bad_type_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="must be a string"):
        script_forms(None)  # type: ignore[arg-type]


def test_screen_rejects_empty_arabic_name(latin_list: Screener) -> None:
    with pytest.raises(InvalidInput):
        latin_list.screen("\u064b\u064c")  # vowel marks only: no letters to match


# -- over the real UN list -------------------------------------------------------------------
@pytest.fixture(scope="module")
def un_screener(lists_dir: Path) -> Screener:
    return Screener.from_paths([lists_dir / "un" / "UN_consolidated.xml"])


@pytest.fixture(scope="module")
def un_recall(un_screener: Screener) -> dict:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from screening_scripts import original_script_recall

    return original_script_recall(un_screener)


def test_un_original_script_names_as_listed(un_recall: dict) -> None:
    """Against the list as published (which carries the original-script names) all are found."""
    for script, row in un_recall.items():
        if row["entries"]:
            assert row["recall_as_listed"] == 1.0, script


def test_un_original_script_recall_floor(un_recall: dict) -> None:
    """Found through the Latin names only, on the held-out half (the rules are written from
    the dev half's misses only: benchmarks/screening_scripts.py): 0.898 reached (0.887 before
    the third round, 0.831 before the second; Arabic 0.11 before the module); raise it as the
    rules follow."""
    held_out = un_recall["arabic"]["halves"]["held-out"]
    assert held_out["entries"] >= 150
    assert held_out["recall"] >= 0.89
    assert un_recall["arabic"]["recall"] >= 0.93
    assert un_recall["cyrillic"]["found"] >= 8


@pytest.mark.xfail(reason="issue #11 target 0.90: the held-out half of the Arabic-script "
                          "entries reaches 0.898, 159 of 177 (organisation names in English, "
                          "spellings that differ in consonants)", strict=True)
def test_un_original_script_recall_target(un_recall: dict) -> None:
    """The target, on the honest figure: the held-out half of each script with 20+ entries."""
    for script, row in un_recall.items():
        held_out = row.get("halves", {}).get("held-out")
        if held_out and held_out["entries"] >= 20:
            assert held_out["recall"] >= 0.90, (script, held_out)


def test_no_new_false_hits_on_ordinary_names(un_screener: Screener) -> None:
    if not NEGATIVES.is_file():
        pytest.skip(f"negatives not found at {NEGATIVES}")
    with NEGATIVES.open(encoding="utf-8", newline="") as fh:
        names = [row["full_name"] for _, row in zip(range(2000), csv.DictReader(fh),
                                                     strict=False)]
    hits = [n for n in names if un_screener.screen(n, lists=["UN"])]
    assert len(hits) <= FALSE_HITS_BEFORE, hits


def test_no_new_false_hits_on_arabic_script_negatives(full_screener: Screener) -> None:
    """The Arabic-script names among the 50,000 negatives, against every list at the default
    threshold: the romanisation rules must not add false hits."""
    if not NEGATIVES.is_file():
        pytest.skip(f"negatives not found at {NEGATIVES}")
    from exportcheck.screen.arabic import ARABIC_RE

    with NEGATIVES.open(encoding="utf-8", newline="") as fh:
        names = [row["full_name"] for row in csv.DictReader(fh)
                 if ARABIC_RE.search(row["full_name"])]
    assert len(names) >= 600
    hits = [n for n in names if full_screener.screen(n)]
    assert len(hits) <= ARABIC_FALSE_HITS_BEFORE, hits


def test_a_lone_letter_read_from_arabic_script_is_not_an_initial() -> None:
    """آلاء الجابر (Alaa al-Jabir) is read, among others, as "a al-Jabir"; that "a" must not
    stand for "Ayman" the way a Latin initial does (it did: 91.7 against "JABIR, Ayman")."""
    listed = ListEntry(list="TEST", entry_id="1", name="JABIR, Ayman", kind="person", source="t")
    s = Screener([ParsedList("test", [listed], 1, "test")])
    assert s.screen("آلاء الجابر") == []
    # a Latin initial still stands for a name, and the Arabic-script full name is found
    assert [h.entry_id for h in s.screen("A. Jabir", threshold=50)] == ["1"]
    assert [h.entry_id for h in s.screen("أيمن الجابر")] == ["1"]


def test_screener_compares_one_script_by_its_letters() -> None:
    """A query in Arabic script meets a list name in Arabic script letter by letter (a letter
    left out of a long word still matches); its romanisations meet the Latin names."""
    listed = ListEntry("UN", "P1", "ASIF ALI ZARDARI", kind="person",
                       original_script=["آصف علی زرداری"])
    s = Screener([ParsedList("test", [listed], 1, "test")])
    hit = s.screen("آصف علي زرداري")[0]
    assert hit.score == 100 and hit.matched_name == "آصف علی زرداری"
    assert s.screen("آصف علی زرداري")[0].score == 100
    # عارف (Arif) is not آصف (Asif), though a romaniser guesses vowels into both
    assert all(h.matched_name != "آصف علی زرداری" for h in s.screen("عارف علی زرداری"))
    assert s.screen("آصف على زردارى")[0].score == 100  # alif maqsura for ya


def test_ukrainian_names() -> None:
    """Ukrainian in the national system (passports) and BGN/PCGN (lists), first when the name
    has letters only Ukrainian has; not for a name with Russian's own letters."""
    from exportcheck.screen.scripts import ukrainian_spellings

    assert ukrainian_spellings("Зеленський") == ("zelenskyi", "zelenskyy")
    assert ukrainian_spellings("Юлія") == ("yuliia", "yuliya")
    assert ukrainian_spellings("Згурський")[0] == "zghurskyi"
    assert name_forms("Юлія Тимошенко", True)[0].tokens == ("yuliia", "tymoshenko")
    assert ("volodymyr", "zelenskyy") in {f.tokens for f in name_forms("Володимир Зеленський")}
    # ы is Russian's own: Grigoryev, never the Ukrainian reading Hryhoriev
    assert all(not f.tokens[0].startswith("h") for f in name_forms("Григорьев Рыбаков", True))
    assert any(f.tokens[0].startswith("h") for f in name_forms("Григорьев Рибаков", True))
