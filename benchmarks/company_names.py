"""Ordinary company names for false-hit measures: Faker, several locales, fixed seed.

A screen that flags ordinary customers' company names buries the real hits, so the benchmark
(``benchmarks/screening.py``) and tests screen these names and count the hits. About 10% are
in Chinese script (zh_CN and zh_TW ``company()``), the rest Latin from European, US and Indian
locales. The same ``(n, seed)`` always gives the same list, whatever Faker's global state.
"""

from __future__ import annotations

#: (locale, share of the names); the shares sum to 1
LOCALES: tuple[tuple[str, float], ...] = (
    ("en_US", 0.18), ("en_GB", 0.12), ("de_DE", 0.12), ("fr_FR", 0.10), ("es_ES", 0.09),
    ("it_IT", 0.09), ("nl_NL", 0.08), ("en_IN", 0.12), ("zh_CN", 0.07), ("zh_TW", 0.03),
)
SEED = 20260711


def company_names(n: int = 2500, seed: int = SEED) -> list[tuple[str, str]]:
    """``n`` distinct ``(locale, company name)`` pairs, locales in :data:`LOCALES` shares.

    Names repeat within a locale (Faker draws from small word lists), so each locale draws until
    it has its quota of distinct names; locales interleave so a prefix of the list keeps the
    shares roughly."""
    from faker import Faker

    quotas = [(loc, round(n * share)) for loc, share in LOCALES]
    quotas[0] = (quotas[0][0], quotas[0][1] + n - sum(q for _, q in quotas))
    seen: set[str] = set()
    per_locale: list[list[tuple[str, str]]] = []
    for i, (loc, quota) in enumerate(quotas):
        fake = Faker(loc)
        fake.seed_instance(seed + i)
        names: list[tuple[str, str]] = []
        tries = 0
        while len(names) < quota and tries < quota * 50:
            tries += 1
            name = " ".join(fake.company().split())
            if name and name not in seen:
                seen.add(name)
                names.append((loc, name))
        per_locale.append(names)
    out: list[tuple[str, str]] = []
    longest = max(len(x) for x in per_locale)
    for j in range(longest):  # round-robin weighted by quota: keep shares in any prefix
        for names in per_locale:
            lo, hi = len(names) * j // longest, len(names) * (j + 1) // longest
            out.extend(names[lo:hi])
    return out[:n]


if __name__ == "__main__":
    import sys
    from collections import Counter

    sample = company_names(int(sys.argv[1]) if len(sys.argv) > 1 else 2500)
    print(len(sample), dict(Counter(loc for loc, _ in sample)))
    for loc, name in sample[:20]:
        print(f"{loc}\t{name}")
