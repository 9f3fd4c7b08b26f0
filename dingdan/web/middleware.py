"""The request's id, and the API's edge inside Django.

Every request carries an id (the caller's `X-Request-ID` when it is sane, else a new one)
that audit records written while answering it keep, and that the answer echoes.

At the API's edge, answers under /api/ that Django itself produced (unknown URL, wrong
method, CSRF) get the API's error format too, so a client never has to parse an HTML error
page; and text with a NUL character is refused before any route sees it."""

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from dingdan import requestid
from dingdan.api.errors import error_response, status_error_response

API_PREFIX = "/api/"


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = requestid.choose(request.headers.get(requestid.HEADER))
        token = requestid.begin(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            requestid.end(token)
        response[requestid.HEADER] = request.request_id
        return response


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and carries_nul(request):
            return error_response(
                400, "invalid_input", _("Text may not contain the NUL character (\\u0000).")
            )
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
            and not request.path.startswith(API_PREFIX + "docs")
        ):
            replacement = status_error_response(response.status_code)
            if allow := response.get("Allow"):
                replacement["Allow"] = allow
            return replacement
        return response


def carries_nul(request: HttpRequest) -> bool:
    """Whether the path, the query or a JSON body holds a NUL character. No real text has
    one, PostgreSQL cannot store it, and SQLite would keep what PostgreSQL refuses."""
    if "\x00" in request.path or any(
        "\x00" in name or any("\x00" in value for value in values)
        for name, values in request.GET.lists()
    ):
        return True
    try:
        body = request.body
    except RequestDataTooBig:
        return False  # the route refuses it for its size
    if b"\\u0000" not in body:  # raw NUL bytes are not JSON: the route answers that
        return False
    try:
        return _holds_nul(json.loads(body))
    except (ValueError, RecursionError):
        return False  # not JSON: the route answers that


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False
