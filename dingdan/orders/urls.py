from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("bulk/", views.order_bulk, name="bulk"),
    path("new/", views.order_new, name="new"),
    path("<int:order_id>/", views.order_detail, name="detail"),
]
