"""One error format for every API answer of 4xx/5xx:
`{"error": {"code": "...", "message": "...", "fields": {...}}}`, in the request's language."""

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dingdan.errors import DomainError

logger = logging.getLogger("dingdan.api")


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, str]
    details: dict[str, Any] | None = None


class ErrorOut(Schema):
    """Every 4xx/5xx answer of the API."""

    error: ErrorBody


# What any authenticated route may answer: unreadable body or bad input (400), no or an
# unknown token (401), a role without the permission (403), an unknown shop or object
# (404), fields of the wrong shape (422).
USUAL_ERRORS = frozenset({400, 401, 403, 404, 422})


def with_errors(success: Any, *also: int) -> dict[Any, Any]:
    """A route's `response=`: its success answer(s) (a schema for 200, or a dict by status)
    and the usual error answers plus `also` (409, 428 …), all in the one error format, so
    the OpenAPI document lists every status a client can get."""
    answers = dict(success) if isinstance(success, dict) else {200: success}
    return {**answers, USUAL_ERRORS | frozenset(also): ErrorOut}


def error_response(
    status: int,
    code: str,
    message: Any,
    *,
    fields: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> JsonResponse:
    body: dict[str, Any] = {
        "code": code,
        "message": str(message),
        "fields": {name: str(text) for name, text in (fields or {}).items()},
    }
    if details:
        body["details"] = details
    return JsonResponse({"error": body}, status=status, json_dumps_params={"ensure_ascii": False})


def _field_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _("Must be a whole number.")
    if kind in {"float_type", "float_parsing", "decimal_type", "decimal_parsing"}:
        return _("Must be a number.")
    if kind in {"bool_type", "bool_parsing"}:
        return _("Must be true or false.")
    if kind in {"string_type", "string_unicode"}:
        return _("Must be text.")
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Must be a list.")
    if kind in {"dict_type", "model_type", "model_attributes_type", "dataclass_type"}:
        return _("Must be an object.")
    if kind in {"datetime_type", "datetime_parsing", "datetime_from_date_parsing"}:
        return _("Must be a date and time such as 2026-11-22T10:00:00+08:00.")
    if kind in {"date_type", "date_parsing", "date_from_datetime_parsing"}:
        return _("Must be a date such as 2026-11-22.")
    if kind == "string_too_short":
        if ctx.get("min_length", 1) <= 1:
            return _("Must not be empty.")
        return _("Must be at least %(n)s characters.") % {"n": ctx.get("min_length")}
    if kind == "string_too_long":
        return _("Must be at most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind == "too_short":
        return _("Must have at least %(n)s items.") % {"n": ctx.get("min_length")}
    if kind == "too_long":
        return _("Must have at most %(n)s items.") % {"n": ctx.get("max_length")}
    if kind == "greater_than_equal":
        return _("Must be at least %(n)s.") % {"n": ctx.get("ge")}
    if kind == "greater_than":
        return _("Must be greater than %(n)s.") % {"n": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("Must be at most %(n)s.") % {"n": ctx.get("le")}
    if kind == "less_than":
        return _("Must be less than %(n)s.") % {"n": ctx.get("lt")}
    if kind in {"literal_error", "enum"}:
        return _("Must be one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return _("Has the wrong format.")
    if kind in {"value_error", "assertion_error"} and ctx.get("error") is not None:
        return str(ctx["error"])
    return _("Invalid value.")


def _field_name(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", ())]
    # ninja puts the source first ("body", "query", "path") and, for a body, the view's
    # parameter name next; neither means anything to the client.
    if loc and loc[0] == "body":
        loc = loc[2:] if len(loc) > 2 else loc[1:]
    elif loc and loc[0] in {"query", "path", "header", "cookie", "form", "file"}:
        loc = loc[1:]
    return ".".join(loc) or "body"


def validation_error_response(errors: list[dict[str, Any]]) -> JsonResponse:
    fields: dict[str, str] = {}
    for error in errors:
        fields.setdefault(_field_name(error), _field_message(error))
    message = _("Some fields are missing or invalid: %(fields)s.") % {"fields": ", ".join(fields)}
    return error_response(422, "validation_error", message, fields=fields)


_STATUS_CODES = {
    400: ("bad_request", lambda: _("The request could not be understood.")),
    401: ("unauthorized", lambda: _("Log in or send a valid API token.")),
    403: ("permission_denied", lambda: _("You may not do this.")),
    404: ("not_found", lambda: _("Not found.")),
    405: ("method_not_allowed", lambda: _("This method is not allowed here.")),
    409: ("conflict", lambda: _("The request conflicts with the current state.")),
    429: ("too_many_requests", lambda: _("Too many requests; try again shortly.")),
}


def status_error_response(status: int, message: Any = None) -> JsonResponse:
    code, default = _STATUS_CODES.get(status, ("error", lambda: _("Request failed.")))
    return error_response(status, code, message or default())


def install(api: NinjaAPI) -> None:
    """Route every exception the API can meet to the one error format."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(
            exc.status, exc.code, exc.message, fields=exc.fields, details=exc.details
        )

    @api.exception_handler(ValidationError)
    def invalid_fields(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return validation_error_response(exc.errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return status_error_response(401)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return error_response(400, "invalid_json", _("The request body is not valid JSON."))
        if exc.status_code == 403 and "CSRF" in str(exc):
            return error_response(
                403, "csrf_failed", _("The CSRF token is missing or wrong; reload the page.")
            )
        return status_error_response(exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return status_error_response(404)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(
            500, "internal_error", _("Something went wrong on the server. Please try again later.")
        )
