"""A name read from Cyrillic script against a Latin list word with another consonant.

Cyrillic writes every consonant, as Arabic script does (test_review_37_arabic_consonants):
Faker's ordinary Пестова and Андонов alerted on the SDN's "PESKOVA, Yelizaveta" and "ANTONOV,
Iakov", one consonant apart. The spellings the romanisation systems and the lists really
differ in (iuliia's schemas, list aliases) must stay one name.
"""

from __future__ import annotations

import iuliia
import pytest

from exportcheck.screen.cyrillic_consonants import other_consonants
from exportcheck.screen.normalize import fold_text
from exportcheck.screen.scorer import compare_names

THRESHOLD = 85.0


@pytest.mark.parametrize(("query", "listed"), [
    ("Елизавета Владиславовна Пестова", "PESKOVA, Yelizaveta"),  # Faker ru_RU, SDN
    ("Яков Андонов", "ANTONOV, Iakov"),  # Faker bg_BG, SDN
    ("Ермакова Марина Наумовна", "YERMAKOVA, Maria"),  # Faker ru_RU (seed 7), SDN
    ("Дмитро Харченко", "KHAVCHENKO, Dmytro Vasylovych"),  # Faker uk_UA (seed 7), SDN
])
def test_other_consonant_is_another_name(query: str, listed: str) -> None:
    assert compare_names(query, listed) < THRESHOLD


@pytest.mark.parametrize(("query", "listed"), [
    ("Ротенберг Аркадий", "Arkadii Romanovich Rotenberg"),  # nomenklatura cases
    ("Володимир Зеленський", "Volodymyr Oleksandrovych Zelenskyy"),  # nomenklatura cases
    ("Вячеслав Жуков", "VIACHESLAV ZHUKOV"),
    ("Михаил Ходорковский", "Michail CHODORKOWSKI"),  # German spelling
    ("Владимир Жириновский", "Vladimir JIRINOVSKI"),  # French ж = j
    ("Тохтахунов Алимжан", "TOKHTAKHOUNOV, Alimzhan"),  # SDN/UN spelling, French ou
    ("Захарова Мария", "ZAKHAROVA, Maria"),
    ("Виктор Медведчук", "Victor MEDVEDCHUK"),  # c for к
])
def test_list_spellings_still_match(query: str, listed: str) -> None:
    assert compare_names(query, listed) >= THRESHOLD


_SCHEMAS = ("ALA_LC_ALT", "BGN_PCGN", "BS_2979", "GOST_16876", "GOST_52535", "GOST_7034",
            "GOST_779", "GOST_779_ALT", "ICAO_DOC_9303", "ISO_9_1954", "ISO_9_1968", "MVD_310",
            "MVD_310_FR", "MVD_782", "SCIENTIFIC", "TELEGRAM", "UNGEGN_1987", "WIKIPEDIA",
            "YANDEX_MAPS", "MOSMETRO")
_WORDS = ("Хрущёв", "Жуков", "Цветков", "Чернышевский", "Щукин", "Вьюгин", "Ёлкин",
          "Андреевич", "Юлия", "Подъячев", "Гончаренко", "Шойгу", "Патрушев", "Кириенко",
          "Дерипаска", "Евтушенков", "Чемезов", "Тимченко", "Вексельберг", "Хуснуллин",
          "Цаплин", "Пригожин", "Сечин", "Щербаков", "Ежиков", "Захарченко")


@pytest.mark.parametrize("schema", _SCHEMAS)
def test_every_romanisation_system_keeps_the_consonants(schema: str) -> None:
    """Each system's spelling of a word has the consonants of the passport's (ICAO 9303)."""
    split = [w for w in _WORDS
             if other_consonants(fold_text(iuliia.ICAO_DOC_9303.translate(w)),
                                 fold_text(getattr(iuliia, schema).translate(w)).replace(" ", ""))]
    assert split == []


@pytest.mark.parametrize(("a", "b"), [
    ("aliaksandrauna", "aleksandrovna"),  # Belarusian ў
    ("dzmitry", "dmitry"),  # Belarusian дз
    ("vladimirovitj", "vladimirovich"),  # Swedish ч
    ("tjurin", "tyurin"),  # German ю
    ("mozhovyi", "mozgovoy"),  # BGN/PCGN Ukrainian з·г without its dot
    ("smirnoff", "smirnov"),
    ("shterev", "shcherev"),  # Bulgarian щ
])
def test_spelling_pairs_share_consonants(a: str, b: str) -> None:
    assert not other_consonants(a, b)


def test_latin_names_are_left_alone() -> None:
    """The rule is for a word read from Cyrillic: two Latin spellings keep their likeness."""
    assert compare_names("Yelizaveta Pestova", "PESKOVA, Yelizaveta") >= THRESHOLD
