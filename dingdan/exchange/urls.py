from django.urls import path

from dingdan.exchange.views import catalog

app_name = "exchange"

# Mounted under /products/, beside the product pages.
urlpatterns = [
    path("import/", catalog.product_import, name="catalog_import"),
    path("export/<str:fmt>/", catalog.product_export, name="catalog_export"),
]
