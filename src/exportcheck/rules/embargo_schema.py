"""Typed rows of ``embargoes.yaml``: Part 746 sections (and OFAC programmes) that decide for a
destination over the Country Chart, and the exclusions a section makes from its own licence
requirement (kept apart from :mod:`exportcheck.rules.schema` to keep that module short)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from exportcheck.rules.schema import Cited, CountryGroup


class EmbargoExclusion(BaseModel):
    """Items the row's licence requirement does not reach for some end users, by where the end
    user or its parent is headquartered: 746.8(a)(12)(ii) leaves out 5A991, 5A992.c and 5D992.c
    for civil end users that are subsidiaries or joint ventures of U.S. or Country Group A:5 /
    A:6 companies. It lives and ends with its row: a change of date is a new row."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    citation: str = Field(min_length=3)
    #: ECCN patterns ("5A992.c"; a parent matches its paragraphs); an item classified less far
    #: ("5A992") may be outside them: the exclusion is not applied to it, and the trace says so
    items: list[str] = Field(min_length=1)
    end_user_types: list[Literal["civil", "government", "military"]] = Field(min_length=1)
    headquarters_countries: list[str] = []
    headquarters_groups: list[CountryGroup] = []
    #: what the stated facts do not show and a person must confirm (the end user's form, a
    #: 740.17 classification), written into the trace of an excluded line
    conditions: str
    #: what an answer the exclusion lifts rests on and could not be verified (an unsure start
    #: date): listed under the determination's caveats
    caveat: str | None = None
    note: str | None = None


class Embargo(Cited):
    """A Part 746 (or OFAC programme) rule that decides for a destination over the chart.

    (``Field(default_factory=list)``: ruff cannot see that the imported ``Cited`` is a
    pydantic model, which copies a ``[]`` default.)"""

    id: str
    destinations: list[str]
    agency: Literal["BIS", "OFAC"] = "BIS"
    description: str
    #: outcome for CCL items and for EAR99 items
    ccl: Literal["license_required", "prohibited", "chart"] = "license_required"
    ear99: Literal["license_required", "prohibited", "nlr"] = "license_required"
    review_policy: str
    allowed_exceptions: list[str] = Field(default_factory=list)
    #: exceptions that authorise EAR99 items only (e.g. SPP for Syria from 2 Sep 2025), in
    #: addition to ``allowed_exceptions``, which reach EAR99 items too
    ear99_exceptions: list[str] = Field(default_factory=list)
    #: CCL Categories the ``ccl`` outcome covers (empty: all): 746.8 began with Categories
    #: 3 to 9 for Russia and Belarus and reached 0 to 2 from 8 Apr 2022
    ccl_categories: list[int] = Field(default_factory=list)
    #: CCL items the ``ccl`` outcome leaves out for some end users (746.8(a)(12)(ii))
    exclusions: list[EmbargoExclusion] = Field(default_factory=list)
