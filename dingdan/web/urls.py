from django.contrib.auth import views as auth_views
from django.urls import path

from . import (
    audit_views,
    carrier_views,
    payment_qr_views,
    shop_settings_views,
    tracking_views,
    views,
    wechat_pay_views,
)

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("shops/switch/", views.switch_shop, name="switch_shop"),
    path("alerts/<int:alert_id>/read/", views.read_alert, name="read_alert"),
    path("settings/staff/", views.members, name="members"),
    path("settings/tokens/", views.tokens, name="tokens"),
    path("settings/shop/", shop_settings_views.shop_settings, name="shop_settings"),
    path("settings/shop/number-example/", shop_settings_views.number_example,
         name="shop_number_example"),
    path("settings/wechat-pay/", wechat_pay_views.wechat_pay_settings,
         name="wechat_pay_settings"),
    path("settings/tracking/", tracking_views.tracking_settings, name="tracking_settings"),
    path("settings/carriers/", carrier_views.carrier_settings, name="carrier_settings"),
    path("settings/carriers/<str:code>/remove/", carrier_views.remove_carrier,
         name="remove_carrier"),
    path("settings/payment-qr/", payment_qr_views.payment_qr_settings,
         name="payment_qr_settings"),
    path("settings/payment-qr/<int:qr_id>/remove/", payment_qr_views.remove_payment_qr,
         name="remove_payment_qr"),
    path("audit/", audit_views.audit_log, name="audit"),
]
