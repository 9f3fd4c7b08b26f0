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


def attempt(request: HttpRequest, action: Callable, success: str | None = None,
            errors: dict[str, str] | None = None, inputs: dict[str, str] | None = None):
    """Run a service call from a form; its refusal is shown to the user, not raised.

    `errors`, when given, receives the refusal's field messages by the form's input name:
    `inputs` maps a service field ("price_cents") to the input that holds it ("price")."""
    with refusal(request, show=Show.MESSAGE) as refused:
        result = action()
    if refused:
        if errors is not None:
            errors.update(form_errors(refused.fields, inputs))
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True


def form_errors(fields: dict[str, str], inputs: dict[str, str] | None = None) -> dict[str, str]:
    """A refusal's `fields` by the input that shows each (the first message per input)."""
    errors: dict[str, str] = {}
    for name, message in fields.items():
        errors.setdefault((inputs or {}).get(name, name), message)
    return errors
