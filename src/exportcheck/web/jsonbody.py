"""JSON request bodies read strictly: an object that names a key twice is refused.

RFC 8259, section 4: "The names within an object SHOULD be unique", and where they are not
"the behavior of software that receives such an object is unpredictable". Python keeps the last
value without a word, so ``{"item": "3A001.a.2", ..., "item": "EAR99"}`` was decided as EAR99
while the ERP (or a reviewer reading the request) saw 3A001.a.2. Every API router builds its
routes with :class:`JsonBodyRoute`, so the body is parsed once, as FastAPI parses it, with a
check on each object; the problem is answered by :func:`exportcheck.web.problems.install`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute


class DuplicateKey(ValueError):
    """A JSON object of the body repeats ``path[-1]``; ``path`` leads to it from the body."""

    def __init__(self, path: tuple[str | int, ...]) -> None:
        self.path = path
        super().__init__(f"the key {path[-1]!r} is given more than once in the same object: "
                         "send it once (which of the values counts is not defined, RFC 8259 "
                         "section 4)")

    @property
    def field(self) -> str:
        """The request field, as a 422 names one: ``body.lines.3.item``."""
        return ".".join(("body", *map(str, self.path)))


class _Repeated(Exception):
    """Raised while parsing at the first repeat; the path is found afterwards."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # one dict and one len() per object: the check costs ~20% of the C parser's time
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _Repeated
    return obj


class _Pairs(list[tuple[str, Any]]):
    """An object as parsed, its pairs in order (a list, told from arrays by its type)."""


def _first_repeat(node: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """The path to the first key an object repeats, in the order of the text."""
    if isinstance(node, _Pairs):
        seen: set[str] = set()
        for key, value in node:
            if key in seen:
                return (*path, key)
            seen.add(key)
            if (found := _first_repeat(value, (*path, key))) is not None:
                return found
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if (found := _first_repeat(value, (*path, i))) is not None:
                return found
    return None


def loads_unique(body: bytes | str) -> Any:
    """``json.loads``, refusing an object that repeats a key (:class:`DuplicateKey`, naming
    where); invalid JSON raises ``json.JSONDecodeError`` as before."""
    try:
        return json.loads(body, object_pairs_hook=_unique)
    except _Repeated:
        path = _first_repeat(json.loads(body, object_pairs_hook=_Pairs))
        raise DuplicateKey(path or ("?",)) from None


class JsonBodyRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads_unique(await self.body())
        return self._json


class JsonBodyRoute(APIRoute):
    """A route whose JSON body is read by :func:`loads_unique`. FastAPI turns the
    :class:`DuplicateKey` into a 400 "error parsing the body" raised from it, which
    :mod:`exportcheck.web.problems` answers as the 422 it is."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_json(request: Request) -> Response:
            return await handler(JsonBodyRequest(request.scope, request.receive))

        return strict_json
