"""The licence exceptions and exemptions the ledger records instead of a licence: EAR
symbols (15 CFR part 740) and ITAR exemptions (22 CFR), and their one spelling."""

from __future__ import annotations

import re

#: EAR licence exception symbols (15 CFR Part 740) and NLR
#: ("no licence required", recorded so the shipment is still in the ledger).
EAR_EXCEPTIONS: tuple[str, ...] = (
    "LVS", "GBS", "TSR", "APP", "NAC", "ACA", "TMP", "RPL", "GOV", "GFT", "TSU", "BAG", "AVS",
    "APR", "ENC", "AGR", "CCD", "STA", "SCP", "ACE", "MED", "IEC", "HBM", "RFF", "AIA", "ACM",
    "LPP", "SPP", "NLR",
)
#: ITAR exemptions the ledger records instead of a licence (22 CFR), by section.
ITAR_EXEMPTIONS: dict[str, str] = {
    "22 CFR 123.4": "temporary import exemptions",
    "22 CFR 123.16": "exemptions of general applicability",
    "22 CFR 123.17": "firearms and ammunition for personal use",
    "22 CFR 123.18": "firearms for personal use of US armed forces members",
    "22 CFR 125.4": "technical data exemptions",
    "22 CFR 125.5": "plant visits",
    "22 CFR 126.4": "US Government exports and temporary imports",
    "22 CFR 126.5": "Canadian exemptions",
    "22 CFR 126.6": "foreign-owned military aircraft and naval vessels",
    "22 CFR 126.7": "AUKUS exemption (Australia, UK, US; from 1 Sep 2024, 89 FR 67270)",
    "22 CFR 126.16": "US-Australia Defense Trade Cooperation Treaty",
    "22 CFR 126.17": "US-UK Defense Trade Cooperation Treaty",
    "22 CFR 126.18": "intra-company transfers to dual/third-country nationals",
}
_ITAR_REF = re.compile(r"^(?:22\s*C\.?F\.?R\.?|ITAR)?\s*(?:§+|SECTION|SEC\.?)?\s*"
                       r"(1\d\d\.\d+)$")


def licence_exception(value: str) -> str:
    """Canonical symbol of an EAR licence exception (``LVS``) or ITAR exemption
    (``22 CFR 123.17``; ``ITAR 123.17``, ``§123.17`` and ``123.17`` are accepted)."""
    text = " ".join(value.upper().split())
    if text in EAR_EXCEPTIONS:
        return text
    m = _ITAR_REF.match(text)
    if m and f"22 CFR {m[1]}" in ITAR_EXEMPTIONS:
        return f"22 CFR {m[1]}"
    raise ValueError(
        f"{value!r} is not a licence exception or exemption the ledger knows: use an EAR "
        f"symbol ({', '.join(EAR_EXCEPTIONS)}) or an ITAR exemption "
        f"({', '.join(ITAR_EXEMPTIONS)})")
