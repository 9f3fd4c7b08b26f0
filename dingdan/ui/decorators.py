"""Back-office views run as a staff actor of the current shop; domain errors become messages."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dingdan.errors import DomainError, PermissionDenied
from dingdan.shops.context import staff_actor
from dingdan.ui.errors import Show, refusal


def staff_view(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            request.actor = staff_actor(request)
        except PermissionDenied as exc:
            return render(request, "web/no_shop.html", {"message": exc.message}, status=403)
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            if exc.status in (403, 404):
                return render(
                    request, "web/refused.html", {"message": exc.message}, status=exc.status
                )
            raise

    return wrapper


def attempt(request: HttpRequest, action: Callable, success: str | None = None):
    """Run a service call from a form; its refusal is shown to the user, not raised."""
    with refusal(request, show=Show.MESSAGE) as refused:
        result = action()
    if refused:
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True
