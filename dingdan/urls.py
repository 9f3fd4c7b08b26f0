from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from dingdan.api_v1 import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("orders/", include("dingdan.orders.urls")),
    path("customers/", include("dingdan.customers.urls")),
    path("products/", include("dingdan.exchange.urls")),
    path("products/", include("dingdan.catalog.urls")),
    path("stock/", include("dingdan.inventory.urls")),
    path("payments/", include("dingdan.payments.urls")),
    path("", include("dingdan.fulfillment.urls")),
    path("campaigns/", include("dingdan.chains.urls")),
    path("o/", include("dingdan.storefront.urls")),
    path("join/", include("dingdan.chains.join_urls")),
    path("", include("dingdan.web.urls")),
]
