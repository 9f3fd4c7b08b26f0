"""The merchant's customer pages: list and search, one customer's page, the create/edit form.

Every write goes through customers.services; every customer shown goes through
privacy.customer_as_seen_by, so masking is the same as in the API."""

import re

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dingdan.customers import selectors
from dingdan.customers.privacy import customer_as_seen_by, may_see_pii
from dingdan.customers.services import customers as services
from dingdan.errors import NotFound
from dingdan.shops import audit
from dingdan.shops.audit_selectors import history_for
from dingdan.shops.audit_text import visible_history
from dingdan.shops.permissions import require, role_allows
from dingdan.ui.decorators import attempt, staff_view

LIST_PAGE_SIZE = 30
MERGE_CANDIDATES = 10
_TAG_SEPARATORS = re.compile(r"[,，、;；]")


def _tags_from(text: str) -> list[str]:
    """ "VIP, 团长、老客" → ["VIP", "团长", "老客"]."""
    return [tag.strip() for tag in _TAG_SEPARATORS.split(text or "") if tag.strip()]


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(_("Not found.")) from None


def _money(cents: int) -> str:
    return f"{cents // 100:,}.{cents % 100:02d}"


@staff_view
def customer_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "customers.view", actor.shop)
    q = request.GET.get("q", "").strip()[:100]
    customers = selectors.customers_for_shop(actor.shop, q, search_phone=may_see_pii(actor))
    page = Paginator(customers, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "customers/list.html",
        {
            "q": q,
            "page": page,
            "customers": [customer_as_seen_by(actor, c) for c in page.object_list],
            "can_manage": role_allows(actor.role, "customers.manage"),
        },
    )


@staff_view
def customer_new(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    require(actor, "customers.manage", actor.shop)
    form = {"name": "", "phone": "", "address": "", "tags": "", "note": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in form}
        customer = attempt(
            request,
            lambda: services.create_customer(
                actor=actor,
                shop=actor.shop,
                name=form["name"],
                phone=form["phone"],
                address=form["address"],
                tags=_tags_from(form["tags"]),
                note=form["note"],
            ),
            _("Customer added."),
            errors=errors,
        )
        if customer:
            return redirect("customers:detail", customer_id=customer.pk)
    return render(
        request,
        "customers/form.html",
        {"form": form, "is_new": True, "shows_phone": True, "field_errors": errors},
    )


@staff_view
def customer_edit(request: HttpRequest, customer_id: int) -> HttpResponse:
    actor = request.actor
    require(actor, "customers.manage", actor.shop)
    customer = selectors.customer_in_shop(actor.shop, customer_id)
    # Someone who may not see the phone must not be handed it in a form field either; for
    # them the phone is left out and stays as it is.
    shows_phone = may_see_pii(actor)
    form = {
        "name": customer.name,
        "phone": customer.phone if shows_phone else "",
        "note": customer.note,
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in form}
        updated = attempt(
            request,
            lambda: services.update_customer(
                actor=actor,
                shop=actor.shop,
                customer=customer,
                name=form["name"],
                phone=form["phone"] if shows_phone else None,
                note=form["note"],
            ),
            _("Customer saved."),
            errors=errors,
        )
        if updated:
            return redirect("customers:detail", customer_id=customer.pk)
    return render(
        request,
        "customers/form.html",
        {"form": form, "is_new": False, "customer": customer, "shows_phone": shows_phone,
         "field_errors": errors},
    )


@staff_view
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    actor = request.actor
    require(actor, "customers.view", actor.shop)
    customer = selectors.customer_in_shop(actor.shop, customer_id)
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        kept = _change(request, customer, errors)
        if not errors:
            return redirect("customers:detail", customer_id=kept)
        # A refused form on this page is shown again with what was typed and its errors.
        typed = {key: request.POST.get(key, "") for key in TYPED_FIELDS}
    summary = selectors.customer_summary(customer)
    merge_q = request.GET.get("merge_q", "").strip()[:100]
    candidates = []
    if merge_q:
        found = selectors.customers_for_shop(actor.shop, merge_q, search_phone=may_see_pii(actor))
        candidates = [
            customer_as_seen_by(actor, c) for c in found.exclude(pk=customer.pk)[:MERGE_CANDIDATES]
        ]
    return render(
        request,
        "customers/detail.html",
        {
            "customer": customer_as_seen_by(actor, customer),
            "summary": summary,
            "spend": _money(summary.spend_cents),
            "merges": selectors.merges_into(customer),
            "merge_q": merge_q,
            "candidates": candidates,
            "can_manage": role_allows(actor.role, "customers.manage"),
            "history": visible_history(
                actor, history_for(actor.shop, audit.CUSTOMER, customer.pk)),
            "field_errors": errors,
            "typed": typed,
        },
        status=400 if errors else 200,
    )


# The customer page's inputs kept when their form is refused, and where a service field
# (as in a refusal's `fields`) is shown.
TYPED_FIELDS = ("tag", "address", "make_default", "channel", "external_id")
IDENTITY_INPUTS = {"identities.channel": "channel", "identities.external_id": "external_id"}


def _change(request: HttpRequest, customer, errors: dict[str, str]) -> int:
    """One change from the customer page's forms; answers the customer to show next.
    A refused tag, address or channel identity puts its field errors in `errors`."""
    actor, shop, post = request.actor, request.actor.shop, request.POST
    operation = post.get("op")
    if operation == "tag":
        attempt(
            request,
            lambda: services.tag_customer(
                actor=actor, shop=shop, customer=customer, tag=post.get("tag", "")
            ),
            _("Tag added."),
            errors=errors,
        )
    elif operation == "untag":
        attempt(
            request,
            lambda: services.untag_customer(
                actor=actor, shop=shop, customer=customer, tag=post.get("tag", "")
            ),
            _("Tag removed."),
        )
    elif operation == "address":
        attempt(
            request,
            lambda: services.add_address(
                actor=actor,
                shop=shop,
                customer=customer,
                address=post.get("address", ""),
                make_default=bool(post.get("make_default")),
            ),
            _("Address added."),
            errors=errors,
        )
    elif operation in {"default", "remove_address"}:
        address = attempt(
            request, lambda: selectors.address_of_customer(customer, _int(post.get("id")))
        )
        if address and operation == "default":
            attempt(
                request,
                lambda: services.set_default_address(actor=actor, shop=shop, address=address),
                _("Default address changed."),
            )
        elif address:
            attempt(
                request,
                lambda: services.remove_address(actor=actor, shop=shop, address=address),
                _("Address removed."),
            )
    elif operation == "identity":
        attempt(
            request,
            lambda: services.add_identity(
                actor=actor,
                shop=shop,
                customer=customer,
                channel=post.get("channel", ""),
                external_id=post.get("external_id", ""),
            ),
            _("Channel identity added."),
            errors=errors,
            inputs=IDENTITY_INPUTS,
        )
    elif operation == "merge":
        duplicate = attempt(
            request, lambda: selectors.customer_in_shop(shop, _int(post.get("merge_id")))
        )
        if duplicate:
            attempt(
                request,
                lambda: services.merge_customers(
                    actor=actor, shop=shop, keep=customer, merge=duplicate
                ),
                _("Merged %(name)s into this customer.") % {"name": duplicate.name},
            )
    return customer.pk
