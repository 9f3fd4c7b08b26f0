"""Edits over the API name the version they were made against (If-Match), so two people
editing at once never overwrite each other unknowingly."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dingdan.errors import DomainError


class VersionRequired(DomainError):
    status = 428
    code = "version_required"


def if_match(request: HttpRequest) -> int:
    raw = (request.headers.get("If-Match") or "").strip().strip('"').removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise VersionRequired(
            _("Send the version you edited as an If-Match header, e.g. If-Match: 3."),
            fields={"If-Match": _("A whole number: the order's version.")},
        )
    return int(raw)
