"""Kinds of words in a name that weigh differently when one name lacks them: patronymics,
particles, connectors, titles written inside names, and the marks of an Arabic name (used by
:mod:`exportcheck.screen.scorer`)."""

from __future__ import annotations

import re

DIGIT = re.compile(r"\d")

#: Russian (-ovich, -ovna), Ukrainian (-ovych, -evych, -ivna), Belarusian (-avich, -auna,
#: -euna: "Aliaksandravich", "Ivanauna", as OFAC writes Belarusian names; after a stem of three
#: letters at least, so "fauna" is not one) and Turkic endings
PATRONYMIC = re.compile(
    r"(?:ovich|evich|avich|ovna|evna|ichna|ovych|evych|ivna|oglu|ogly|qizi|kyzy)$"
    r"|(?<=\w{3})(?:auna|euna)$")


def substantive(tokens: tuple[str, ...]) -> int:
    """Words that identify a person: not initials, particles (al, bin, de...) or numbers."""
    return sum(len(t) >= 3 and t not in PARTICLES and not DIGIT.search(t) for t in tokens)


PARTICLES = frozenset(("al", "el", "bin", "ibn", "bint", "abu", "abd", "de", "da", "di", "del",
                       "der", "den", "van", "von", "la", "le", "du", "dos", "das", "the", "of",
                       "and", "y", "e", "ben", "mac", "mc", "st"))


ARABIC_MARKERS = frozenset(("abd", "bin", "ibn", "bint", "abu", "umm"))


def arabic_form(tokens: tuple[str, ...]) -> bool:
    """A name with an Arabic name element besides the article ("abd", "bin", "abu")."""
    return not ARABIC_MARKERS.isdisjoint(tokens)


CONNECTORS = frozenset(("of", "and", "for", "the", "in", "on", "at", "und", "et", "y"))


#: the Persian ezafe as romanised names write it after a word ("-e", "-ye", "-i")
EZAFE = frozenset(("e", "ye"))


def minor(token: str) -> bool:
    """An initial, a patronymic, a religious or pilgrim's title ("Mullah", "Haji") or a
    connector ("of", "and"): missing from one name, it does not make another person or
    company."""
    return (len(token) == 1 or token in CONNECTORS or token in TITLES
            or bool(PATRONYMIC.search(token)))


#: titles written inside Afghan, Pakistani and Gulf names ("SADUDDIN MULLAH SAYYED")
TITLES = frozenset(("mullah", "mulla", "maulvi", "mawlawi", "maulana", "mufti", "qari", "haji",
                    "hajji", "alhaji", "sheikh", "shaikh", "shaykh"))
