"""The merchant's product pages: list and search, add and edit a SKU (importing and
exporting the catalog are exchange's pages, /products/import/ and /products/export/).

Thin: every write is `services.create_sku`/`update_sku`; a refusal becomes a message on
the page, never an error page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dingdan.catalog.models import Product, ProductKind, Variant
from dingdan.catalog.selectors import skus_for_shop
from dingdan.catalog.services import products as services
from dingdan.errors import NotFound
from dingdan.money import format_yuan, parse_yuan
from dingdan.shops import audit
from dingdan.shops.audit_selectors import history_for_objects
from dingdan.shops.audit_text import visible_history
from dingdan.shops.permissions import require, role_allows
from dingdan.ui.decorators import attempt, staff_view
from dingdan.whole_numbers import parse_whole_number

PAGE_SIZE = 50


def _variant(shop, variant_id: int) -> Variant:
    variant = skus_for_shop(shop).filter(pk=variant_id).first()
    if variant is None:
        raise NotFound(_("Product not found."))
    return variant


def _categories(shop) -> list[str]:
    return list(
        Product.objects.filter(shop=shop).exclude(category="")
        .order_by("category").values_list("category", flat=True).distinct()
    )


@staff_view
def product_list(request: HttpRequest) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "catalog.view", shop)
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "kind": request.GET.get("kind", "") if request.GET.get("kind") in ProductKind.values
        else "",
        "category": request.GET.get("category", "").strip()[:50],
        "active": request.GET.get("active", "") if request.GET.get("active") in ("1", "0")
        else "",
    }
    skus = skus_for_shop(
        shop,
        q=filters["q"] or None,
        kind=filters["kind"] or None,
        category=filters["category"] or None,
        active={"1": True, "0": False}.get(filters["active"]),
    ).select_related("stock")
    page = Paginator(skus, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalog/list.html", {
        "page": page,
        "filters": filters,
        "filter_query": urlencode({k: v for k, v in filters.items() if v}),
        "kinds": ProductKind.choices,
        "categories": _categories(shop),
        "can_manage": role_allows(actor.role, "catalog.manage"),
        "can_import": role_allows(actor.role, "exchange.import")
        and role_allows(actor.role, "catalog.manage"),
        "can_export": role_allows(actor.role, "exchange.export"),
    })


# A service field (as in a refusal's `fields`) -> the input that holds it.
INPUTS = {"price_cents": "price", "cost_cents": "cost"}

NEW_FIELDS = ("sku", "name", "spec", "price", "kind", "category", "aliases", "barcode")


@staff_view
def product_new(request: HttpRequest) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "catalog.manage", shop)
    form = dict.fromkeys(NEW_FIELDS, "") | {"kind": ProductKind.GOODS}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = {key: request.POST.get(key, "").strip() for key in NEW_FIELDS}
        variant = attempt(request, lambda: services.create_sku(
            actor=actor, shop=shop, sku=form["sku"], name=form["name"], spec=form["spec"],
            price_cents=parse_yuan(form["price"], "price_cents"),
            kind=form["kind"] or None,
            # Blank leaves an existing product's category alone.
            category=form["category"] or None,
            aliases=form["aliases"].replace("｜", "|"),
            barcode=form["barcode"],
        ), errors=errors, inputs=INPUTS)
        if variant:
            messages.success(request, _("%(name)s (%(sku)s) added.") % {
                "name": variant.display_name, "sku": variant.sku,
            })
            return redirect("catalog:list")
    return render(request, "catalog/form.html", {
        "form": form, "is_new": True, "kinds": ProductKind.choices,
        "categories": _categories(shop), "field_errors": errors,
    })


EDIT_FIELDS = ("name", "spec", "price", "cost", "category", "aliases", "barcode",
               "weight_grams", "purchase_limit")


@staff_view
def product_edit(request: HttpRequest, variant_id: int) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    require(actor, "catalog.view", shop)
    variant = _variant(shop, variant_id)
    product = variant.product
    form = {
        "name": product.name, "spec": variant.spec, "price": format_yuan(variant.price_cents),
        "cost": format_yuan(variant.cost_cents), "category": product.category,
        "aliases": "|".join(alias.alias for alias in product.aliases.all()),
        "barcode": variant.barcode, "weight_grams": variant.weight_grams or "",
        "purchase_limit": product.purchase_limit or "", "is_active": variant.is_active,
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        require(actor, "catalog.manage", shop)
        form = {key: request.POST.get(key, "").strip() for key in EDIT_FIELDS}
        form["is_active"] = request.POST.get("is_active") == "on"
        saved = attempt(request, lambda: services.update_sku(
            actor=actor, shop=shop, variant=variant, name=form["name"], spec=form["spec"],
            price_cents=parse_yuan(form["price"], "price_cents"),
            cost_cents=parse_yuan(form["cost"], "cost_cents", required=False),
            category=form["category"], aliases=form["aliases"].replace("｜", "|"),
            barcode=form["barcode"],
            weight_grams=parse_whole_number(form["weight_grams"], "weight_grams", required=False),
            purchase_limit=parse_whole_number(
                form["purchase_limit"], "purchase_limit", required=False
            ),
            is_active=form["is_active"],
        ), _("Saved."), errors=errors, inputs=INPUTS)
        if saved:
            return redirect("catalog:edit", variant_id=variant.pk)
    return render(request, "catalog/form.html", {
        "form": form, "is_new": False, "variant": variant, "categories": _categories(shop),
        "field_errors": errors,
        "can_manage": role_allows(actor.role, "catalog.manage"),
        "can_see_stock": role_allows(actor.role, "inventory.view")
        and not product.is_service,
        "history": visible_history(actor, history_for_objects(shop, [
            (audit.PRODUCT, product.pk), (audit.VARIANT, variant.pk), (audit.STOCK, variant.pk),
        ])),
    })
