"""Answers under /api/ that Django itself produced (unknown URL, wrong method, CSRF) get
the API's error format too, so a client never has to parse an HTML error page."""

from django.http import HttpRequest, HttpResponse

from dingdan.api.errors import status_error_response

API_PREFIX = "/api/"


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
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
