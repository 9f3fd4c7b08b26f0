"""The back-office shell: overview, shop switcher and the shop's own settings pages."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dingdan import health
from dingdan.errors import NotFound
from dingdan.notify.selectors import alert_in_shop, alerts_for_shop
from dingdan.notify.services import alert_message, mark_read
from dingdan.shops import audit, audit_selectors, selectors
from dingdan.shops.audit_text import visible_history
from dingdan.shops.context import choose_shop
from dingdan.shops.models import Role
from dingdan.shops.permissions import grantable_roles, require, role_allows
from dingdan.shops.services import shops as services
from dingdan.ui.decorators import attempt, staff_view


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@staff_view
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "shop.view", actor.shop)
    return render(
        request,
        "web/dashboard.html",
        {
            "role_label": Role(actor.role).label,
            "member_count": selectors.members_for_shop(actor.shop).count(),
            "worker": health.worker_status(),
            "alerts": [
                (alert, alert_message(alert))
                for alert in alerts_for_shop(actor.shop, unread=True, user=actor.user)[:20]
            ],
        },
    )


@staff_view
@require_POST
def read_alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    actor = request.actor
    attempt(
        request,
        lambda: mark_read(
            actor=actor, shop=actor.shop,
            alert=alert_in_shop(actor.shop, alert_id, user=actor.user),
        ),
    )
    return redirect("web:dashboard")


@login_required
@require_POST
def switch_shop(request: HttpRequest) -> HttpResponse:
    try:
        membership = choose_shop(request, request.POST.get("shop", ""))
    except NotFound as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Now working in %(shop)s.") % {"shop": membership.shop.name})
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


@staff_view
def members(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "members.view", actor.shop)
    new_password = None
    if request.method == "POST":
        operation = request.POST.get("op")
        if operation == "add":
            result = attempt(
                request,
                lambda: services.add_member(
                    actor=actor,
                    shop=actor.shop,
                    email=request.POST.get("email", ""),
                    role=request.POST.get("role", ""),
                ),
                _("Staff member added."),
            )
            if result:
                new_password = result[1]
        elif operation in {"role", "remove"}:
            member = attempt(
                request, lambda: selectors.member_in_shop(actor.shop, _int(request.POST.get("id")))
            )
            if member and operation == "role":
                attempt(
                    request,
                    lambda: services.change_member_role(
                        actor=actor,
                        shop=actor.shop,
                        membership=member,
                        role=request.POST.get("role", ""),
                    ),
                    _("Role changed."),
                )
            elif member:
                attempt(
                    request,
                    lambda: services.remove_member(actor=actor, shop=actor.shop, membership=member),
                    _("Staff member removed."),
                )
        if new_password is None:
            return redirect("web:members")
    return render(
        request,
        "web/members.html",
        {
            "members": selectors.members_for_shop(actor.shop),
            "roles": [(r, Role(r).label) for r in grantable_roles(actor.role)],
            "can_manage": role_allows(actor.role, "members.manage"),
            "new_password": new_password,
            "history": visible_history(actor, audit_selectors.audit_for_shop(
                actor.shop, object_type=audit.MEMBERSHIP)),
        },
    )


@staff_view
def tokens(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "tokens.manage", actor.shop)
    new_secret = None
    if request.method == "POST":
        if request.POST.get("op") == "create":
            result = attempt(
                request,
                lambda: services.create_token(
                    actor=actor,
                    shop=actor.shop,
                    name=request.POST.get("name", ""),
                    role=request.POST.get("role", ""),
                ),
                _("Token created. Copy it now: it will not be shown again."),
            )
            if result:
                new_secret = result[1]
        elif request.POST.get("op") == "revoke":
            token = attempt(
                request, lambda: selectors.token_in_shop(actor.shop, _int(request.POST.get("id")))
            )
            if token:
                attempt(
                    request,
                    lambda: services.revoke_token(actor=actor, shop=actor.shop, token=token),
                    _("Token revoked."),
                )
        if new_secret is None:
            return redirect("web:tokens")
    return render(
        request,
        "web/tokens.html",
        {
            "tokens": selectors.tokens_for_shop(actor.shop, include_revoked=True),
            "roles": [(r, Role(r).label) for r in grantable_roles(actor.role)],
            "new_secret": new_secret,
            "history": visible_history(actor, audit_selectors.audit_for_shop(
                actor.shop, object_type=audit.API_TOKEN)),
        },
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(_("Not found.")) from None
