"""Importing and exporting the catalog from the product pages: upload → a dry run shows
every problem and every change → confirm imports the very same bytes; export as CSV or
XLSX. Thin: the work is `catalog_import.import_catalog` and `catalog_export`."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dingdan import spreadsheets
from dingdan.errors import NotFound
from dingdan.exchange.catalog_rows import LABELS
from dingdan.exchange.selectors.catalog_export import FORMATS, export_catalog
from dingdan.exchange.services.catalog_import import ImportReport, import_catalog
from dingdan.shops.permissions import require
from dingdan.ui import uploads
from dingdan.ui.decorators import attempt, staff_view

PREVIEW_ROWS = 500
UPLOAD_PURPOSE = "catalog_import"


def _preview(request: HttpRequest, report: ImportReport, token: str | None) -> HttpResponse:
    shown = [row for row in report.rows if row.action != "unchanged"]
    return render(request, "exchange/catalog_import.html", {
        "report": report,
        "token": token,
        "rows": [
            {"plan": row, "changes": [LABELS.get(c, c) for c in row.changes]}
            for row in shown[:PREVIEW_ROWS]
        ],
        "rows_not_shown": max(0, len(shown) - PREVIEW_ROWS),
    })


@staff_view
def product_import(request: HttpRequest) -> HttpResponse:
    """Upload → a dry run shows every problem and every change → confirm imports the very
    same bytes (kept by `web.uploads`, so nothing has to be uploaded twice)."""
    actor, shop = request.actor, request.actor.shop
    require(actor, "exchange.import", shop)
    require(actor, "catalog.manage", shop)
    if request.method != "POST":
        return render(request, "exchange/catalog_import.html",
                      {"max_mb": spreadsheets.MAX_BYTES >> 20})
    if request.POST.get("op") == "confirm":
        return _confirm_import(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV or XLSX file to import."))
        return redirect("exchange:catalog_import")
    if upload.size > spreadsheets.MAX_BYTES:
        messages.error(request, _("The file is larger than %(mb)d MB; split it into smaller "
                                  "files.") % {"mb": spreadsheets.MAX_BYTES >> 20})
        return redirect("exchange:catalog_import")
    data = upload.read()
    report = attempt(request, lambda: import_catalog(
        actor=actor, shop=shop, file_name=upload.name, data=data, dry_run=True
    ))
    if not report:
        return redirect("exchange:catalog_import")
    token = None
    if not report.problems:
        token = uploads.keep(request, UPLOAD_PURPOSE, shop_id=shop.pk,
                             file_name=upload.name, data=data)
    return _preview(request, report, token)


def _confirm_import(request: HttpRequest) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    kept = uploads.take(request, UPLOAD_PURPOSE, shop_id=shop.pk,
                        token=request.POST.get("token", ""))
    if kept is None:
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("exchange:catalog_import")
    report = attempt(request, lambda: import_catalog(
        actor=actor, shop=shop, file_name=kept.file_name, data=kept.data, dry_run=False
    ))
    uploads.discard(request, UPLOAD_PURPOSE)
    if not report:
        return redirect("exchange:catalog_import")
    if not report.applied:
        # The catalog changed since the preview: show what is wrong now.
        messages.error(request, _("Nothing was imported: fix the problems below and upload "
                                  "the file again."))
        return _preview(request, report, None)
    messages.success(request, _(
        "Imported %(file)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
    ) % {"file": kept.file_name, "created": report.created, "updated": report.updated,
         "unchanged": report.unchanged})
    return redirect(reverse("catalog:list"))


@staff_view
def product_export(request: HttpRequest, fmt: str) -> HttpResponse:
    actor, shop = request.actor, request.actor.shop
    if fmt not in FORMATS:
        raise NotFound(_("Not found."))
    data = export_catalog(actor=actor, shop=shop, fmt=fmt)
    content_type = (
        spreadsheets.CSV_CONTENT_TYPE if fmt == "csv" else spreadsheets.XLSX_CONTENT_TYPE
    )
    response = HttpResponse(data, content_type=content_type)
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{shop.slug}-products-{day}.{fmt}"'
    return response
