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


# The staff page's add form: a service field -> its input (every row has a "role" too).
MEMBER_INPUTS = {"email": "member-email", "role": "member-role"}


@staff_view
def members(request: HttpRequest) -> HttpResponse:
    """The shop's staff with their roles, and a form to add someone. A refused addition or
    role change is shown again as chosen, its message at the field it is about."""
    actor = request.actor
    require(actor, "members.view", actor.shop)
    new_password = None
    errors: dict[str, str] = {}
    typed = {"email": "", "role": ""}
    changed: dict[int, str] = {}  # a refused role change: member -> the role chosen
    if request.method == "POST":
        refused = False
        operation = request.POST.get("op")
        role = request.POST.get("role", "")
        if operation == "add":
            typed = {"email": request.POST.get("email", "").strip()[:254], "role": role}
            result = attempt(
                request,
                lambda: services.add_member(
                    actor=actor, shop=actor.shop, email=typed["email"], role=role
                ),
                _("Staff member added."),
                errors=errors,
                inputs=MEMBER_INPUTS,
            )
            if result:
                new_password = result[1]
                typed = {"email": "", "role": ""}
            refused = not result
        elif operation in {"role", "remove"}:
            member = attempt(
                request, lambda: selectors.member_in_shop(actor.shop, _int(request.POST.get("id")))
            )
            if member and operation == "role":
                refused = not attempt(
                    request,
                    lambda: services.change_member_role(
                        actor=actor, shop=actor.shop, membership=member, role=role
                    ),
                    _("Role changed."),
                    errors=errors,
                    inputs={"role": f"role-{member.pk}"},
                )
                if refused:
                    changed[member.pk] = role
            elif member:
                attempt(
                    request,
                    lambda: services.remove_member(actor=actor, shop=actor.shop, membership=member),
                    _("Staff member removed."),
                )
        if new_password is None and not refused:
            return redirect("web:members")
    return render(
        request,
        "web/members.html",
        {
            "members": [
                {"member": m, "role": changed.get(m.pk, m.role)}
                for m in selectors.members_for_shop(actor.shop)
            ],
            "roles": [(r, Role(r).label) for r in grantable_roles(actor.role)],
            "can_manage": role_allows(actor.role, "members.manage"),
            "new_password": new_password,
            "typed": typed,
            "field_errors": errors,
            "history": visible_history(actor, audit_selectors.audit_for_shop(
                actor.shop, object_type=audit.MEMBERSHIP)),
        },
    )


@staff_view
def tokens(request: HttpRequest) -> HttpResponse:
    """The shop's API tokens, and a form to make one; its secret is shown once. A refused
    token is shown again as typed, its message at the field it is about."""
    actor = request.actor
    require(actor, "tokens.manage", actor.shop)
    new_secret = None
    errors: dict[str, str] = {}
    typed = {"name": "", "role": ""}
    if request.method == "POST":
        refused = False
        if request.POST.get("op") == "create":
            typed = {"name": request.POST.get("name", "").strip()[:300],
                     "role": request.POST.get("role", "")}
            result = attempt(
                request,
                lambda: services.create_token(
                    actor=actor, shop=actor.shop, name=typed["name"], role=typed["role"]
                ),
                _("Token created. Copy it now: it will not be shown again."),
                errors=errors,
            )
            if result:
                new_secret = result[1]
                typed = {"name": "", "role": ""}
            refused = not result
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
        if new_secret is None and not refused:
            return redirect("web:tokens")
    return render(
        request,
        "web/tokens.html",
        {
            "tokens": selectors.tokens_for_shop(actor.shop, include_revoked=True),
            "roles": [(r, Role(r).label) for r in grantable_roles(actor.role)],
            "new_secret": new_secret,
            "typed": typed,
            "field_errors": errors,
            "history": visible_history(actor, audit_selectors.audit_for_shop(
                actor.shop, object_type=audit.API_TOKEN)),
        },
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(_("Not found.")) from None
