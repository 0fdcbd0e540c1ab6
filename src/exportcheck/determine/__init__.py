"""Licence determination: rules at a date × item × destination × parties → outcome and trace."""

from exportcheck.determine.engine import determine, resolve_destination
from exportcheck.determine.items import Classification, parse_item
from exportcheck.determine.parties import PartyScreener

__all__ = ["Classification", "PartyScreener", "determine", "parse_item", "resolve_destination"]
