"""Han names as Hong Kong and mainland users write them.

A Han name is matched through (a) its simplified characters, (b) Mandarin pinyin (pypinyin,
"习近平" -> "xi jinping") and (c) Cantonese Jyutping (pycantonese) rewritten in the Hong Kong
Government spelling used on HKID cards and passports ("陳大文" -> "chan tai man", "曾蔭權" ->
"tsang yam kuen"). Several HK spellings exist for one sound (Chau/Chow, Tsz/Chi, Lee/Li), so a
syllable yields alternatives and the name a few forms. Traditional and simplified input give
the same forms (OpenCC).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from exportcheck.screen.normalize import HAN_RE, NameForm, fold_text, latin_form, name_data

MAX_FORMS = 24
_HAN = HAN_RE.pattern  # one Han character
HAN_RE_RUNS = re.compile(_HAN + "+")
_HAN_GAP = re.compile(rf"(?<={_HAN})\s+(?={_HAN})")
_COMPOUND = "欧阳 司徒 上官 诸葛 司马 东方 皇甫 尉迟 公孙 慕容 长孙 夏侯 令狐 端木 "
_COMPOUND += "西门 南宫 独孤 轩辕 司空 闻人 宇文 申屠 呼延 澹台 公冶 太史 钟离 万俟"
COMPOUND_SURNAMES = frozenset(_COMPOUND.split())
#: Surnames whose everyday reading differs from the surname reading.
SURNAME_PINYIN = {"曾": "zeng", "单": "shan", "区": "ou", "解": "xie", "查": "zha", "仇": "qiu",
                  "朴": "piao", "乐": "yue", "盖": "ge", "覃": "qin", "缪": "miao", "尉": "yu",
                  "长孙": "zhangsun", "万俟": "moqi", "秘": "bi", "员": "yun", "么": "yao"}
SURNAME_JYUTPING = {"曾": "zang1", "單": "sin6", "區": "au1", "解": "haai6", "查": "caa4",
                    "仇": "sau4", "覃": "tam4", "華": "waa6", "樂": "lok6", "盖": "koi3"}

_INITIAL = re.compile(r"^(gw|kw|ng|[bpmfdtnlgkhwzcsj])?([a-z]+?)([1-6])?$")
_INITIALS = {"b": ["p"], "p": ["p"], "m": ["m"], "f": ["f"], "d": ["t"], "t": ["t"],
             "n": ["n"], "l": ["l"], "g": ["k"], "k": ["k"], "ng": ["ng"], "h": ["h"],
             "gw": ["kw"], "kw": ["kw"], "w": ["w"], "z": ["ch", "ts"], "c": ["ch", "ts"],
             "s": ["s", "sh"], "j": ["y"], "": [""]}
_FINALS = {
    "aa": ["a", "ah"], "aai": ["ai"], "aau": ["au"], "aam": ["am"], "aan": ["an"],
    "aang": ["ang"], "aap": ["ap"], "aat": ["at"], "aak": ["ak"], "a": ["a"], "ai": ["ai"],
    "au": ["au", "ow"], "am": ["am"], "an": ["an"], "ang": ["ang"], "ap": ["ap"], "at": ["at"],
    "ak": ["ak"], "e": ["e"], "ei": ["ei", "ee"], "eng": ["eng"], "ek": ["ek"], "eu": ["eu"],
    "i": ["i", "ee"], "iu": ["iu"], "im": ["im"], "in": ["in"], "ing": ["ing"], "ip": ["ip"],
    "it": ["it"], "ik": ["ik"], "o": ["o", "or", "oh"], "oi": ["oi"], "ou": ["o"], "on": ["on"],
    "ong": ["ong"], "ot": ["ot"], "ok": ["ok"], "u": ["u"], "ui": ["ui"], "un": ["oon", "un"],
    "ung": ["ung"], "ut": ["ut"], "uk": ["uk"], "oe": ["oe"], "oeng": ["eung"], "oek": ["euk"],
    "eoi": ["ui"], "eon": ["un"], "eot": ["ut"], "yu": ["u", "yu"], "yun": ["uen"],
    "yut": ["uet"], "m": ["m"], "ng": ["ng"],
}
# whole-syllable spellings that do not follow from initial + final
_SPECIAL = {"si": ["sze", "si", "shi"], "zi": ["chi", "tsz"], "ci": ["chi", "tsz"],
            "ji": ["yee", "yi"], "jyu": ["yu", "yue"], "jyun": ["yuen"], "jyut": ["yuet"],
            "lei": ["lee", "li", "lei"], "ng": ["ng"], "m": ["m"], "wu": ["wu"],
            "wong": ["wong"], "zoeng": ["cheung"], "coeng": ["cheung"], "joeng": ["yeung"],
            "ngo": ["ngo", "ngor", "o"], "jan": ["yan"], "jam": ["yam"], "jau": ["yau"]}


def jyutping_to_hk(syllable: str) -> list[str]:
    """One Jyutping syllable -> Hong Kong Government romanisations, most usual first."""
    base = syllable.rstrip("123456")
    if base in _SPECIAL:
        return _SPECIAL[base]
    m = _INITIAL.match(base)
    if not m:
        return [base]
    initial, final = m.group(1) or "", m.group(2)
    if initial == "j" and final.startswith("yu"):
        initial = ""  # "jyu" is written "yu"
    finals = _FINALS.get(final, [final])
    if initial == "" and final.startswith("yu"):
        finals = ["y" + f if not f.startswith("y") else f for f in finals]
    return [i + f for i in _INITIALS.get(initial, [initial]) for f in finals]


@lru_cache(maxsize=1)
def _converters():
    import opencc

    return (opencc.OpenCC("hk2s"), opencc.OpenCC("s2hk"), opencc.OpenCC("jp2t"),
            opencc.OpenCC("s2t"))


@lru_cache(maxsize=65_536)
def simplified(text: str) -> str:
    """``text`` in simplified characters: from traditional ones, Hong Kong's forms of them
    included (OpenCC hk2s: 衞 = 衛 = 卫, 敍 = 敘 = 叙; t2s left 曾國衞, Erick Tsang's name, as
    曾国衞), and from the Japanese forms (団 発 広 済 総, via OpenCC jp2t) Japanese documents
    and Japan's End User List write Chinese names in ("中国電子科技集団公司"). A leading 於 is
    kept: as a surname it is a character of its own in simplified Chinese too, not the
    preposition 于 OpenCC makes of it (於 and 于 are two families). Harbin written the
    Japanese way, 哈爾浜 (濱 as 浜, as Japan's METI End User List writes 哈爾浜工業大学), is
    哈尔滨: 浜 alone is a Chinese character too (沙家浜), so only the place is read so."""
    if text.startswith(_SURNAME_YU):
        return _SURNAME_YU + simplified(text[1:])
    if "浜" in text:
        text = text.replace("哈爾浜", "哈爾濱").replace("哈尔浜", "哈尔滨")
    return _converters()[0].convert(_from_japanese(han_numerals(text)))


#: the surname 於 (Yu, Jyu1), kept by the General Table of Standard Chinese Characters (2013)
_SURNAME_YU = "於"


def is_traditional(text: str) -> bool:
    """Written with traditional characters (as in Hong Kong, Macau and Taiwan)."""
    return _converters()[0].convert(text) != text


def traditional(text: str) -> str:
    """``text`` in standard traditional characters (OpenCC s2t): the forms Korean uses."""
    return _converters()[3].convert(text)


@lru_cache(maxsize=65_536)
def hk_characters(text: str) -> str:
    """``text`` in the traditional characters Hong Kong uses (OpenCC s2hk)."""
    return _converters()[1].convert(text)


def _from_japanese(text: str) -> str:
    """Japanese-only forms of characters as their traditional ones. Only forms outside GB 2312,
    the simplified Chinese character set, are read so: 芸 (藝 in Japanese) and 浜 are Chinese
    characters too ("王芸"), and OpenCC's jp2t would turn 研 into the rare 硏. The whole text
    is converted, so a word picks the right one of two characters (総合 綜合, 総局 總局)."""
    if text.isascii() or _in_gb2312(text):
        return text
    japanese = _converters()[2].convert(text.translate(_OPENCC_LACKS))
    if len(japanese) != len(text):
        return text
    return "".join(j if not _in_gb2312(c) and _in_gb2312(_converters()[0].convert(j)) else c
                   for c, j in zip(text, japanese, strict=True))


#: Japanese forms OpenCC's jp2t leaves alone or maps to a variant t2s does not know: 鉱 (jōyō
#: kanji table: old form 鑛, standard traditional 礦, simplified 矿)
_OPENCC_LACKS = str.maketrans({"鉱": "礦"})


def _in_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _strip_han_legal(han: str) -> tuple[str, tuple[str, ...]]:
    for form in name_data()["han_legal_forms"] + ["公司", "集团", "集團"]:
        if han.endswith(form) and len(han) > len(form):
            return han[: -len(form)], (form,)
    return han, ()


@lru_cache(maxsize=65_536)
def pinyin_syllables(chars: str) -> tuple[str, ...]:
    """The pinyin of a run of characters, a folded syllable each (no tones). Cached: the same
    surnames and given names come back query after query."""
    from pypinyin import Style, lazy_pinyin

    return tuple(s for s in (fold_text(x) for x in lazy_pinyin(chars, style=Style.NORMAL)) if s)



def _jyutping(chars: str) -> list[str]:
    from exportcheck.screen.jyutping import readings

    return readings(chars)


def _split_surname(simp: str) -> int:
    return 2 if len(simp) >= 3 and simp[:2] in COMPOUND_SURNAMES else 1


def _person_forms(simp: str, trad: str, legal: tuple[str, ...],
                  cantonese: bool) -> list[NameForm]:
    cut = _split_surname(simp)
    forms: list[NameForm] = []
    py = pinyin_syllables(simp)
    if len(py) == len(simp):
        sur = SURNAME_PINYIN.get(simp[:cut], "".join(py[:cut]))
        given = "".join(py[cut:])
        forms.append(NameForm((sur, given) if given else (sur,), legal, "pinyin"))
    jp = _jyutping(trad) if cantonese else []
    if jp:
        if trad[:cut] in SURNAME_JYUTPING:
            jp[0] = SURNAME_JYUTPING[trad[:cut]]
        # one reading, each syllable in its usual spelling: the other Hong Kong spellings of a
        # syllable ("Chow" for "Chau", "Tsang" for "Chang") are equal under hkspell.hk_key,
        # and the index looks them up (hkspell.hk_spellings)
        sur = "".join(jyutping_to_hk(s)[0] for s in jp[:cut])
        forms.append(NameForm((sur, *(jyutping_to_hk(s)[0] for s in jp[cut:])), legal,
                              "jyutping"))
    return forms


#: the zero as Chinese documents write it among numerals: 〇 (U+3007, not a Han character to
#: the Unicode blocks), the circle ○ ◯ many type instead, a full-width or ASCII 0
_ZERO = re.compile(r"(?<=[零一二三四五六七八九十])[〇○◯０0]|[〇○◯０0](?=[零一二三四五六七八九十])")
#: a number in Arabic digits as an institute's: after 第, or before the institution word
_ARABIC_ORDINAL = re.compile(r"(?<=第)[0-9０-９]+|[0-9０-９]+(?=研究所|研究院|分院|所|院|厂)")
_HAN_DIGITS = "零一二三四五六七八九"


def _han_number(digits: str) -> str:
    """An institute's number as its name writes it: 702 -> 七零二 (three digits and more one
    by one, as 中国船舶集团有限公司第七〇二研究所), 14 -> 十四, 20 -> 二十, 5 -> 五."""
    n = int(unicodedata.normalize("NFKC", digits))
    if n >= 100 or n == 0:
        return "".join(_HAN_DIGITS[int(d)] for d in str(n))
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _HAN_DIGITS[tens]) + "十" if tens else "") + (
        _HAN_DIGITS[ones] if ones else "")


def han_numerals(name: str) -> str:
    """One spelling of the numbers and the group's legal form in a Han name: 第七〇二 / 第七○二 /
    第702 are all 第七零二, and 第14研究所 is 第十四研究所. The zero 〇 is no Han character to a
    regular expression, so "七〇二" was read as 七 and 二 apart (the 7th, and a 2nd institute)."""
    if not HAN_RE.search(name):
        return name
    name = _ZERO.sub("零", name)
    name = _ARABIC_ORDINAL.sub(lambda m: _han_number(m.group()), name)
    # a group's legal form inside the name of one of its units: the central state groups became
    # 集团有限公司 in their 2017 restructuring, and documents name the unit either way
    # (中国电子科技集团有限公司第十四研究所 / 中国电子科技集团公司第十四研究所)
    return _GROUP_FORM.sub("集团公司", name)


_GROUP_FORM = re.compile(rf"(?:集团有限公司|集團有限公司)(?={_HAN})")


def han_forms(name: str, *, person: bool | None = None,
              cantonese: bool = True, listed: bool = False) -> list[NameForm]:
    """All forms of a name containing Han characters (other scripts in it are kept as-is).

    ``listed``: the name is a list entry's (indexed), not a query (see :mod:`.han_orgs`)."""
    name = han_numerals(name)
    han_runs = HAN_RE.findall(name)
    han = "".join(han_runs)
    rest = latin_form(HAN_RE.sub(" ", name))
    rest_tokens = rest.tokens if rest else ()
    core, legal = _strip_han_legal(simplified(han))
    simp = core
    trad = hk_characters(core)
    forms = [NameForm(tuple(simp) + rest_tokens, legal, "han")]
    korean: list[NameForm] = []
    is_person = person if person is not None else (
        not legal and 1 <= len(simp) <= 4 and not _is_org(simp))
    if is_person and len(simp) <= 4:
        orders = [(simp, trad)]
        runs = HAN_RE_RUNS.findall(simplified(name))
        if len(runs) == 2 and "".join(runs) == simp:  # "慧 申": given name first, surname last
            swapped = runs[1] + runs[0]
            orders.append((swapped, hk_characters(swapped)))
        for s_, t_ in orders:
            forms += [NameForm(f.tokens + rest_tokens, f.legal, f.script)
                      for f in _person_forms(s_, t_, legal, cantonese)]
        if not listed and not rest_tokens:
            # read in Korean too, for North Korean list entries only (korean_han)
            from exportcheck.screen.korean_han import person_forms

            korean = person_forms(simp)
    elif (person is not False and not legal
          and len(runs := HAN_RE_RUNS.findall(simplified(name))) >= 2 and not _is_org(simp)):
        # a longer name written in parts ("秀玉 惠玲 陳"): a person's, each part one word read
        # in pinyin and in Cantonese, not a company name to read through the glossary
        py = tuple("".join(pinyin_syllables(r)) for r in runs)
        forms.append(NameForm(py + rest_tokens, legal, "pinyin"))
        jp = [_jyutping(hk_characters(r)) for r in runs]
        if all(jp):
            forms.append(NameForm(tuple("".join(jyutping_to_hk(x)[0] for x in syl) for syl in jp)
                                  + rest_tokens, legal, "jyutping"))
    else:
        # organisations: characters word by word, and (queries) the English words the lists
        # use for Chinese companies (han_orgs); listed Han names keep to characters, so two
        # Han names never match through their English readings (北京工业大学/北京理工大学)
        from exportcheck.screen.han_orgs import org_name_forms

        # a space between two characters is a line break or PDF artefact ("有 限公司")
        chars, english = org_name_forms(_HAN_GAP.sub("", name), simp, legal, rest_tokens,
                                        listed=listed)
        return [f for f in dict.fromkeys([*chars, *english]) if f.tokens]
    return [f for f in dict.fromkeys(forms) if f.tokens][: MAX_FORMS + 2] + korean


#: a Han and a Latin name this alike are one name written twice (the default threshold)
SAME_NAME_SCORE = 85


#: what may stand between the Han and the Latin name of a party written in both
_BILINGUAL_EDGE = " \t\u3000()（）[]【】「」《》<>,，、;；:：/|-–—·・"


def bilingual_parts(name: str) -> tuple[str, str] | None:
    """The Han name and the Latin name of a party written in both, one after the other and
    set apart ("鄧炳強 (Tang Ping-keung)", "華為技術有限公司（Huawei Technologies Co., Ltd.）"),
    as Hong Kong and mainland documents write names; else None. Read as one name, each half is
    words the other lacks, so the whole found neither: each half is also a name on its own.
    Glued ("华为Technologies") or interleaved Han and Latin text is one name."""
    spans = [m.start() for m in HAN_RE.finditer(name)]
    if not spans:
        return None
    first, last = spans[0], spans[-1] + 1
    han, before, after = name[first:last], name[:first], name[last:]
    if any(ch.isalpha() and not HAN_RE.match(ch) for ch in han):
        return None
    if not (_latin_or_none(before) and _latin_or_none(after)):
        return None  # kana ("近藤 あすか" is one Japanese name), Hangul, Cyrillic ...
    latin_before = any(ch.isalpha() for ch in before)
    latin_after = any(ch.isalpha() for ch in after)
    if latin_before == latin_after:  # no Latin name, or one on either side
        return None
    latin = before if latin_before else after
    # the two names are set apart: "李家超John" is a name and a glued given name
    if (latin_before and before[-1].isalnum()) or (latin_after and after[0].isalnum()):
        return None
    latin = latin.strip(_BILINGUAL_EDGE)
    return (han, latin) if latin else None


def _latin_or_none(text: str) -> bool:
    """Every letter of ``text`` is a Latin one (or it has none)."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


def bilingual_readings(name: str, forms: tuple[NameForm, ...],
                       person: bool | None) -> list[tuple[NameForm, str]]:
    """Forms of the halves of a name written in Han and Latin script (:func:`bilingual_parts`)
    that the name's own ``forms`` lack, each with a note saying which half it reads.

    Both halves are read alone when they name one party: the Han half, read in pinyin,
    Cantonese or through the glossary, is the Latin half (鄧炳強 / "Tang Ping-keung"). Only the
    Han half is when it is a whole name by itself: a listed entity's name in the curated table
    (大疆 / "DJI") or a person's name (鄧炳強 / "Chris Tang"); a Latin half that is no reading of
    the Han one may be a word of a mixed name ("华为 Technologies"), not a name: alone it would
    find any "Technologies"."""
    from exportcheck.screen.chinese_names import is_table_name
    from exportcheck.screen.normalize import name_forms, only_legal_form
    from exportcheck.screen.scorer import compare_forms

    parts = bilingual_parts(name)
    if parts is None:
        return []
    han, latin = parts
    han_half, latin_half = name_forms(han, person), name_forms(latin, person)
    if not han_half or not latin_half or only_legal_form(han_half) or only_legal_form(
            latin_half):
        return []
    agree = any(compare_forms(h, w).score >= SAME_NAME_SCORE
                for h in han_half for w in latin_half)
    halves = [(han_half, han, "Han")]
    simp = simplified("".join(HAN_RE.findall(han)))
    core, legal = _strip_han_legal(simp)
    if agree:
        halves.append((latin_half, latin, "Latin"))
    elif not (is_table_name(simp) or is_table_name(core) or (
            # a person's Chinese name is a whole name ("Chris Tang 鄧炳強")
            person is not False and not legal and 2 <= len(core) <= 4 and not _is_org(core))):
        return []
    seen = {f.tokens for f in forms}
    out: list[tuple[NameForm, str]] = []
    for half, text, script in halves:
        for f in half:
            if f.tokens not in seen:
                seen.add(f.tokens)
                out.append((f, f"query written in two scripts: read as its {script} name "
                               f"{text!r} alone"))
    return out


def _is_org(simp: str) -> bool:
    """A short Han name that is an organisation (华为, 中国银行, 中芯国际...), not a person."""
    from exportcheck.screen.chinese_names import is_table_name
    from exportcheck.screen.han_orgs import is_org_name

    return is_table_name(simp) or is_org_name(simp)


def warm_up() -> None:
    """Load the Cantonese dictionary and segmenter (a few seconds) ahead of the first query."""
    _converters()
    _jyutping("陳大文")
