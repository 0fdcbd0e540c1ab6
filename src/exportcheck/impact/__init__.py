"""Policy-change impact: a portfolio determined under two rule dates or list releases."""

from exportcheck.impact.core import ImpactResult, impact
from exportcheck.impact.models import ImpactSummary

__all__ = ["ImpactResult", "ImpactSummary", "impact"]
