"""Shipping many orders from a CSV or XLSX file over the API: the file as the multipart
field `file`, or as the whole body with its Content-Type; `?dry_run=true` only checks it."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Router, Schema, Status
from pydantic import Field

from dingdan import spreadsheets
from dingdan.api.errors import with_errors
from dingdan.errors import InvalidInput
from dingdan.fulfillment.services import imports
from dingdan.shops import idempotency
from dingdan.shops.permissions import require

router = Router(tags=["shipments"])

RAW_TYPES = {"text/csv": "shipments.csv", spreadsheets.XLSX_CONTENT_TYPE: "shipments.xlsx"}
FILE_SCHEMA = {"type": "string", "format": "binary"}
REQUEST_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                       "properties": {"file": FILE_SCHEMA}}},
    "text/csv": {"schema": FILE_SCHEMA},
    spreadsheets.XLSX_CONTENT_TYPE: {"schema": FILE_SCHEMA},
}}}


class ImportedRowOut(Schema):
    row: int = Field(description="The row as the spreadsheet numbers it (the header is 1).")
    order_id: int
    order_number: str
    carrier: str
    tracking_number: str
    units: int = Field(description="Units the shipment carries.")
    shipment_id: int | None = Field(description="Null in a dry run.")
    shipment_number: str | None


class RowProblemOut(Schema):
    row: int | None
    field: str = Field(description="order_number, carrier, tracking_number or file")
    code: str
    message: str


class ShipmentImportOut(Schema):
    dry_run: bool
    applied: bool = Field(description="True when the orders were shipped.")
    shipments: list[ImportedRowOut]
    problems: list[RowProblemOut] = Field(description="Only in a dry run: with problems "
                                          "the import itself answers 400.")


def _problems_out(report: imports.ShipmentImport) -> list[dict]:
    return [{"row": p.row, "field": p.field, "code": p.code, "message": str(p.message)}
            for p in report.problems]


def _report_out(report: imports.ShipmentImport) -> dict:
    return {
        "dry_run": report.dry_run, "applied": report.applied,
        "shipments": [{
            "row": row.row, "order_id": row.order.pk, "order_number": row.order.number,
            "carrier": row.carrier, "tracking_number": row.tracking_number, "units": row.units,
            "shipment_id": row.shipment.pk if row.shipment else None,
            "shipment_number": row.shipment.number if row.shipment else None,
        } for row in report.rows],
        "problems": _problems_out(report),
    }


def _too_large() -> InvalidInput:
    return spreadsheets.unreadable(
        _("The file is larger than %(mb)d MB; split it into smaller files.")
        % {"mb": imports.MAX_BYTES // (1024 * 1024)}, "file_too_large")


def _uploaded(request: HttpRequest) -> tuple[str, bytes]:
    try:
        # Read whole first (the Idempotency-Key's fingerprint needs it too); Django refuses
        # a body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) without reading it.
        body = request.body
    except RequestDataTooBig:
        raise _too_large() from None
    content_type = (request.content_type or "").lower()
    if content_type == "multipart/form-data":
        try:
            upload = request.FILES.get("file")
        except MultiPartParserError:
            raise spreadsheets.unreadable(_("The upload is malformed; send the file again."),
                                          "file_unreadable") from None
        if upload is None:
            message = _("Send the file in the multipart field “file”.")
            raise InvalidInput(message, code="file_missing", fields={"file": message})
        if upload.size > imports.MAX_BYTES:
            raise _too_large()
        return upload.name or "", upload.read()
    if content_type in RAW_TYPES:
        return RAW_TYPES[content_type], body
    message = _("Send a CSV or XLSX file: multipart/form-data with the field “file”, or the "
                "file itself as text/csv or %(xlsx)s.") % {"xlsx": spreadsheets.XLSX_CONTENT_TYPE}
    raise InvalidInput(message, code="unsupported_media_type", fields={"file": message})


@router.post("/shipments/import", response=with_errors({200: ShipmentImportOut,
                                                        201: ShipmentImportOut}, 409),
             openapi_extra=REQUEST_BODY)
def import_shipments(request: HttpRequest, dry_run: bool = False):
    """Ship many orders from one CSV or XLSX file, all rows or none. Columns 订单号 /
    order number, 快递公司 / carrier (a code such as `sf` or a name such as 顺丰),
    快递单号 / tracking number; each row ships everything its order holds and has not
    shipped, by express. 201 with the shipments; with `dry_run=true` 200 with what would
    ship and every problem, nothing changed. 400 `rows_refused` when any row has a
    problem (each in `details.problems`: row, field, code, message; nothing shipped), and
    400 with a `code` for a file that cannot be read, is too large (`file_too_large`:
    over 2 MB or 5,000 rows) or lacks a column (`missing_columns`). 409
    `idempotency_key_reused` when an `Idempotency-Key` came with another file."""
    actor = request.auth
    require(actor, "fulfillment.ship", actor.shop)
    file_name, data = _uploaded(request)

    def run() -> tuple[int, dict]:
        report = imports.import_shipments(actor=actor, shop=actor.shop, file_name=file_name,
                                          data=data, dry_run=dry_run)
        if report.has_problems and not dry_run:
            rows = len({p.row for p in report.problems})
            raise InvalidInput(
                ngettext("%(n)s row cannot be shipped; nothing was shipped. Correct it and "
                         "send the file again.",
                         "%(n)s rows cannot be shipped; nothing was shipped. Correct them and "
                         "send the file again.", rows) % {"n": rows},
                code="rows_refused", details={"problems": _problems_out(report)})
        return (200 if dry_run else 201), _report_out(report)

    if dry_run:
        return Status(*run())
    return Status(*idempotency.once(request, actor.shop, run))
