"""Reading HTML forms into the API's pydantic models, so pages and API validate alike."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError

from exportcheck.accounts import Principal
from exportcheck.errors import (
    ExportCheckError,
    InvalidInput,
    NotAuthenticated,
    PermissionDenied,
)
from exportcheck.models import TransactionFacts
from exportcheck.web.deps import optional_principal
from exportcheck.web.problems import status_of
from exportcheck.web.ui.field_errors import NOUNS, PARSING, FieldErrors, plain

M = TypeVar("M", bound=BaseModel)
#: a box the page checks itself (a date typed wrong, a reason left blank): the status the API
#: answers when its schema refuses the same field. An error of the service answers the API's
#: status for it (``status_of``): a refused form is a 4xx, not a 200 page, for a proxy's log,
#: a monitor or a script posting the form.
FIELD_INVALID = 422
#: how the forms label their fields: an error names what the person sees on the page, not
#: the API model or its field path ("invalid ShipmentIn: lines.0.classification")
LABELS = {
    "item": "Item", "destination": "Destination", "date": "Date of export",
    "value": "Value", "quantity": "Quantity", "end_user": "End user", "consignee": "Consignee",
    "end_user_type": "End-user type", "end_use": "End use", "owners": "Owners",
    "classification": "Classification", "ship_date": "Ship date", "licence_number": "Licence",
    "reference": "Reference", "idempotency_key": "the form (reload the page)",
    "name": "Name", "country": "Country", "dob": "Date of birth", "kind": "Kind",
    "party": "Party", "list": "List", "entry_id": "Entry", "reason": "Reason",
    "decision": "Decision", "headquarters": "Headquarters", "nac_notified": "NAC notified",
    "conditions_met": "Conditions met",
}
#: the form fields of the facts a licence exception rests on (``TransactionFacts``)
FACT_FIELDS = tuple(TransactionFacts.model_fields)


def facts_from_form(data: dict[str, Any]) -> dict[str, Any] | None:
    """Take the facts fields out of ``data`` as the API's ``facts`` (None if none given);
    conditions met are symbols separated by commas or spaces ("ACA, NAC")."""
    given = {k: data.pop(k) for k in FACT_FIELDS if k in data}
    if "conditions_met" in given:
        given["conditions_met"] = str(given["conditions_met"]).replace(",", " ").split()
    return given or None


class FormInvalid(InvalidInput):
    """A form's fields at fault: ``str()`` is the one-line summary; ``fields`` maps each form
    field to its message, so a page can mark the box itself (aria-invalid, the message under
    it) rather than leave the officer to find "Quantity" in a sentence at the top."""

    def __init__(self, summary: str, fields: dict[str, str]) -> None:
        self.fields = fields
        super().__init__(summary)


def to_model(model: type[M], data: dict[str, Any], labels: dict[str, str] | None = None) -> M:
    """``data`` (a form's fields) as ``model``, validated as the API validates it; an error
    (:class:`FormInvalid`) names the form's fields by their labels (``labels`` first, then
    :data:`LABELS`), in plain words where pydantic's would reach the page ("Input should be
    a valid decimal")."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        parts, fields = [], {}
        for err in exc.errors():
            names = [str(p) for p in err.get("loc", ()) if not isinstance(p, int)]
            field = names[-1] if names else ""
            label = (labels or {}).get(field) or LABELS.get(field) or field.replace("_", " ")
            if str(err.get("type", "")) in PARSING | {"enum", "literal_error"}:
                message = plain(field, err)  # "decision must be cleared or confirmed"
            elif err.get("input") is None and str(err.get("type", "")).endswith("_type"):
                message = plain(field, {"type": "missing"})  # a box left empty
            else:
                message = str(err.get("msg", "")).removeprefix("Value error, ")
                if "_" in field and field in NOUNS:  # a validator names the API's field:
                    # "invalid nac_notified date" is the box's "NAC notification date"
                    message = message.replace(f"{field} date", NOUNS[field]).replace(
                        field, NOUNS[field])
            parts.append(f"{label}: {message}" if label else message)
            if field:
                fields.setdefault(field, message)
        raise FormInvalid("; ".join(dict.fromkeys(parts)), fields) from None


def refused_status(exc: ExportCheckError) -> int:
    """The status of a page refusing a form with ``exc``: the API's for the same error. A
    form read into the API's request model and refused by it (:class:`FormInvalid`,
    :class:`~exportcheck.web.ui.field_errors.FieldErrors`) is the API's 422 for a body its
    schema refuses; any other is its ``status_of`` (400, 404, 409...)."""
    if isinstance(exc, FormInvalid | FieldErrors):
        return FIELD_INVALID
    return status_of(exc)


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
