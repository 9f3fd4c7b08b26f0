from django.urls import path

from . import views

app_name = "storefront"

urlpatterns = [
    path("<str:token>/", views.order_page, name="order"),
]
