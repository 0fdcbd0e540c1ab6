"""``/api/v1/users``, ``/api/v1/tokens`` (admin) and ``/api/v1/me``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from exportcheck.accounts import Principal, TokenOut, UserOut
from exportcheck.errors import InvalidInput
from exportcheck.web.deps import Admin, accounts, current_principal
from exportcheck.web.jsonbody import JsonBodyRoute
from exportcheck.web.openapi_meta import ACCOUNTS
from exportcheck.web.problems import (
    AUTH_RESPONSES,
    BODY_RESPONSES,
    at_field,
    problem_responses,
)
from exportcheck.web.schemas import (
    Me,
    Page,
    PageParams,
    RowId,
    TokenCreated,
    TokenIn,
    UserIn,
    UserNamePath,
    UserPatch,
    page_params,
)

router = APIRouter(prefix="/api/v1", tags=[ACCOUNTS], route_class=JsonBodyRoute)
PageDep = Annotated[PageParams, Depends(page_params)]


@router.get("/me", operation_id="getMe",
            response_model=Me, summary="Who you are signed in as",
            responses=problem_responses(401))
def me(user: Annotated[Principal, Depends(current_principal)]) -> Me:
    return Me(name=user.name, role=user.role, via=user.via)


@router.get("/users", operation_id="listUsers",
            response_model=Page[UserOut], summary="Users (admin)",
            responses=AUTH_RESPONSES)
def list_users(user: Admin, page: PageDep, acc=Depends(accounts)) -> dict:
    return page.page(acc.list_users())


@router.post("/users", operation_id="createUser",
             response_model=UserOut, status_code=201, summary="Add a user (admin)",
             responses={**BODY_RESPONSES, **problem_responses(409)})
def add_user(spec: UserIn, user: Admin, acc=Depends(accounts)) -> UserOut:
    return acc.add_user(spec.name, spec.role, spec.password, actor=user.actor)


@router.patch("/users/{name}", operation_id="updateUser",
              response_model=UserOut,
              summary="Change a user's role or password, or disable them (admin)",
              responses={**BODY_RESPONSES, **problem_responses(404, 409)})
def change_user(name: UserNamePath, patch: UserPatch, user: Admin,
                acc=Depends(accounts)) -> UserOut:
    return acc.update_user(name, actor=user.actor, role=patch.role, password=patch.password,
                           disabled=patch.disabled)


@router.get("/tokens", operation_id="listTokens",
            response_model=Page[TokenOut], summary="API tokens (admin)",
            responses={**AUTH_RESPONSES, **problem_responses(404)})
def list_tokens(user: Admin, page: PageDep, acc=Depends(accounts),
                owner: Annotated[str | None, Query(alias="user", max_length=64)] = None) -> dict:
    return page.page(acc.list_tokens(owner))


@router.post("/tokens", operation_id="createToken",
             response_model=TokenCreated, status_code=201,
             summary="Create an API token (admin); the secret is shown once, it expires after "
                     "`days` and acts with at most `role`",
             responses={**BODY_RESPONSES, **problem_responses(404)})
def create_token(spec: TokenIn, user: Admin, acc=Depends(accounts)) -> TokenCreated:
    try:
        token, secret = acc.create_token(spec.user, label=spec.label, days=spec.days,
                                         role=spec.role, actor=user.actor)
    except InvalidInput as exc:  # a role above the user's: name the field
        raise at_field(exc) from None
    return TokenCreated(token=token, secret=secret)


@router.delete("/tokens/{token_id}", operation_id="revokeToken",
               response_model=TokenOut, summary="Revoke a token (admin)",
               responses={**AUTH_RESPONSES, **problem_responses(404)})
def revoke_token(token_id: RowId, user: Admin, acc=Depends(accounts)) -> TokenOut:
    return acc.revoke_token(token_id, actor=user.actor)[0]
