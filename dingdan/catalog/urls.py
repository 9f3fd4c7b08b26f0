from django.urls import path

from dingdan.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.product_list, name="list"),
    path("new/", views.product_new, name="new"),
    path("<int:variant_id>/", views.product_edit, name="edit"),
]
