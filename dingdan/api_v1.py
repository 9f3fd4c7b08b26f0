"""The REST API at /api/v1: one NinjaAPI, each app's router mounted on it."""

from datetime import datetime

from django.http import HttpRequest
from ninja import NinjaAPI, Schema

import dingdan
from dingdan import health
from dingdan.api import errors
from dingdan.shops.api_auth import SessionAuth, TokenAuth

api = NinjaAPI(
    title="dingdan API",
    version="1",
    description=(
        "Orders, stock, customers and group-buy campaigns of one shop. Authenticate with "
        "`Authorization: Bearer <token>` (see `dingdan token create`) or the back-office "
        "session. Errors always look like "
        '`{"error": {"code": "...", "message": "...", "fields": {...}}}`; '
        "messages follow Accept-Language (zh-Hans by default, en)."
    ),
    urls_namespace="api",
    docs_url="/docs",
    auth=[TokenAuth(), SessionAuth()],
)
errors.install(api)


class DatabaseHealth(Schema):
    vendor: str
    ok: bool


class WorkerHealth(Schema):
    alive: bool
    last_seen: datetime | None


class HealthOut(Schema):
    status: str
    version: str
    database: DatabaseHealth
    worker: WorkerHealth


@api.get("/health", auth=None, response=HealthOut, tags=["system"])
def get_health(request: HttpRequest):
    """Whether the database answers and the background worker is running."""
    from django.db import connection

    ok = health.database_ok()
    return {
        "status": "ok" if ok else "degraded",
        "version": dingdan.__version__,
        "database": {"vendor": connection.vendor, "ok": ok},
        "worker": health.worker_status() if ok else {"alive": False, "last_seen": None},
    }


def _mount_routers() -> None:
    from dingdan.aftersales.api.cases import router as aftersales_router
    from dingdan.catalog.api import router as catalog_router
    from dingdan.chains.api.campaigns import router as campaigns_router
    from dingdan.chains.api.imports import router as chain_imports_router
    from dingdan.chains.api.summaries import router as campaign_summaries_router
    from dingdan.customers.api import router as customers_router
    from dingdan.fulfillment.api.carriers import router as carriers_router
    from dingdan.fulfillment.api.imports import router as shipment_imports_router
    from dingdan.fulfillment.api.pickups import router as pickups_router
    from dingdan.fulfillment.api.shipments import router as shipments_router
    from dingdan.fulfillment.api.shortages import router as shortages_router
    from dingdan.fulfillment.api.substitutes import router as substitutes_router
    from dingdan.fulfillment.api.tracking import router as tracking_router
    from dingdan.inventory.api import router as inventory_router
    from dingdan.notify.api import router as notify_router
    from dingdan.orders.api.changes import router as order_changes_router
    from dingdan.orders.api.orders import router as orders_router
    from dingdan.orders.api.presets import router as order_templates_router
    from dingdan.orders.api.review import router as order_review_router
    from dingdan.payments.api.payments import router as payments_router
    from dingdan.payments.api.refunds import router as refunds_router
    from dingdan.payments.api.reported import router as reported_payments_router
    from dingdan.payments.api.wechatpay import router as wechatpay_router
    from dingdan.shops.api import router as shops_router
    from dingdan.shops.audit_api import router as audit_router

    api.add_router("", shops_router)
    api.add_router("", catalog_router)
    api.add_router("", inventory_router)
    api.add_router("", customers_router)
    api.add_router("", notify_router)
    api.add_router("", orders_router)
    api.add_router("", order_review_router)
    api.add_router("", order_changes_router)
    api.add_router("", order_templates_router)
    api.add_router("", payments_router)
    api.add_router("", refunds_router)
    api.add_router("", reported_payments_router)
    api.add_router("", wechatpay_router)
    # Before shipments: /shipments/import would otherwise be read as /shipments/{id}.
    api.add_router("", shipment_imports_router)
    api.add_router("", shipments_router)
    api.add_router("", carriers_router)
    api.add_router("", shortages_router)
    api.add_router("", substitutes_router)
    api.add_router("", tracking_router)
    api.add_router("", pickups_router)
    api.add_router("", aftersales_router)
    api.add_router("", campaigns_router)
    api.add_router("", chain_imports_router)
    api.add_router("", campaign_summaries_router)
    api.add_router("", audit_router)


_mount_routers()
