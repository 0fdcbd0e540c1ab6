"""Hits cleared by a disposition, kept in a determination's trace.

The screener drops a hit that an officer cleared for the party. A determination then read
"end user 'Carrie Lamm': no hit on lists ...", and its audit record said screening found
nothing, when an entry scored above the threshold and a person decided it was someone else.
:class:`ClearedHits` screens with ``include_suppressed`` and passes on only the open hits, so
the determination is unchanged; :meth:`ClearedHits.annotate` then writes into the trace which
hit was cleared, by whom, when and why. Used by ``exportcheck check`` and the web API and UI;
the batch path says the same in a line's caveats (:mod:`.batch_parties`).
"""

from __future__ import annotations

from typing import Any

from exportcheck.models import Determination, ScreeningHit, TraceStep

CITATION = "15 CFR 744.11; 15 CFR 764.3; 31 CFR 501"
_SCREENING = "Restricted-party screening"
#: hits asked of the screener per name, the cleared ones included: a cleared hit ranked below
#: this is not reported (the open hits are cut to the caller's ``limit`` as before)
CLEARED_LIMIT = 200


def screen_open_and_cleared(screener: Any, name: str, *, limit: int = 20, **query: Any
                            ) -> tuple[list[ScreeningHit], list[ScreeningHit]]:
    """``(open hits, cleared hits)`` of one screening: the open ones are what the screener
    would answer without ``include_suppressed``; the cleared ones are those a disposition set
    aside for this party."""
    found = screener.screen(name, include_suppressed=True, limit=max(limit, CLEARED_LIMIT),
                            **query)
    return ([h for h in found if h.suppressed_by is None][:limit],
            [h for h in found if h.suppressed_by is not None])


class ClearedHits:
    """A screener for :func:`exportcheck.api.determine` that remembers the cleared hits of
    each name it screens (everything else is the wrapped screener's)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        #: (name screened, hit) in the order met, each entry once per name
        self.cleared: list[tuple[str, ScreeningHit]] = []

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.inner, attr)

    def screen(self, name: str, *, limit: int = 20, **query: Any) -> list[ScreeningHit]:
        hits, cleared = screen_open_and_cleared(self.inner, name, limit=limit, **query)
        seen = {(n, h.list, h.entry_id) for n, h in self.cleared}
        self.cleared += [(name, h) for h in cleared if (name, h.list, h.entry_id) not in seen]
        return hits

    def annotate(self, d: Determination, roles: dict[str, str]) -> Determination:
        """``d`` with a trace step per cleared hit, after the screening step of its party
        (``roles``: name -> "end user" / "consignee"; an owner's name is an owner)."""
        if not self.cleared:
            return d
        trace = list(d.trace)
        for name, hit in self.cleared:
            role = roles.get(name, "owner")
            step = TraceStep(
                rule=f"Screening hit cleared ({role})", citation=CITATION, effective_from=None,
                fired=False,
                detail=cleared_detail(role, name, hit))
            at = _after(trace, role, name)
            before = trace[at - 1] if at else None
            if (before is not None and before.rule == _SCREENING
                    and " no hit on lists " in before.detail):
                trace[at - 1] = before.model_copy(update={"detail": before.detail.replace(
                    " no hit on lists ", " no open hit (a cleared one follows) on lists ", 1)})
            trace.insert(at, step)
        return d.model_copy(update={"trace": trace})


def cleared_detail(role: str, name: str, hit: ScreeningHit) -> str:
    """One cleared hit in words: the trace step's detail here, a batch line's caveat
    (:mod:`.batch_parties`)."""
    return (f"{role} {name!r}: {hit.list} {hit.entry_id} {hit.matched_name!r} "
            f"(score {hit.score:.0f}) not applied: {hit.suppressed_by}")


def _after(trace: list[TraceStep], role: str, name: str) -> int:
    """Where a cleared-hit step goes: after the last step about this party's screening,
    else after the last screening step, else at the end."""
    prefix = f"{role} {name!r}"
    spots = [i for i, s in enumerate(trace) if s.detail.startswith(prefix)
             and ("creen" in s.rule or "cleared" in s.rule)]
    if not spots:
        spots = [i for i, s in enumerate(trace) if "creen" in s.rule]
    return spots[-1] + 1 if spots else len(trace)


def party_roles(end_user: str | None, consignee: str | None) -> dict[str, str]:
    """name -> role, for :meth:`ClearedHits.annotate` (the end user's role wins a tie)."""
    return {n: r for r, n in (("consignee", consignee), ("end user", end_user)) if n}
