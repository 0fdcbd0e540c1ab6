"""Reading HTML forms into the API's pydantic models, so pages and API validate alike."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request

from exportcheck.accounts import Principal
from exportcheck.errors import NotAuthenticated, PermissionDenied
from exportcheck.web.deps import optional_principal


async def form_dict(request: Request) -> dict[str, Any]:
    """The submitted fields, with empty ones left out (an empty input means 'not given')."""
    form = await request.form()
    return {k: v for k, v in form.items() if k != "csrf_token" and v != ""}


def page_user(role: str):
    """Dependency for pages: the signed-in user with at least ``role`` (else sign-in page)."""

    async def check(request: Request,
                    user: Principal | None = Depends(optional_principal)) -> Principal:
        if user is None:
            raise NotAuthenticated("sign in to continue")
        if not user.allows(role):
            raise PermissionDenied(f"this page needs the {role} role; you are {user.role}. "
                                   "Ask an administrator if you need it.")
        return user

    return check
