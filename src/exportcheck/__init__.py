"""exportcheck: export-control compliance — licence determination, screening, licence ledger.

>>> from datetime import date
>>> from exportcheck import determine
>>> determine("3A991", "HK", date(2021, 1, 15), end_user_type="military").reasons
['MEU']
"""

__version__ = "0.1.0"

from exportcheck.api import default_screener, determine, determine_frame, load_ruleset
from exportcheck.models import Determination, LineItem, Outcome, Party, ScreeningHit
from exportcheck.rules import RuleSet

__all__ = [
    "Determination",
    "LineItem",
    "Outcome",
    "Party",
    "RuleSet",
    "ScreeningHit",
    "default_screener",
    "determine",
    "determine_frame",
    "load_ruleset",
]
