from django.urls import path

from . import views

app_name = "storefront"

urlpatterns = [
    path("<str:token>/", views.order_page, name="order"),
    path("<str:token>/qr/<int:qr_id>/", views.payment_qr, name="payment_qr"),
]
