from django.urls import path

from dingdan.inventory import views

app_name = "inventory"

urlpatterns = [
    path("", views.stock_list, name="list"),
    path("<int:variant_id>/", views.stock_detail, name="detail"),
]
