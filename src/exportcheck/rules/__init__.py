"""The effective-dated, cited rule base (EAR and ITAR) as data files plus a loader."""

from exportcheck.rules.ruleset import RuleSet, Snapshot, load_ruleset
from exportcheck.rules.schema import RULEBASE_START

__all__ = ["RULEBASE_START", "RuleSet", "Snapshot", "load_ruleset"]
