from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    name = "dingdan.storefront"
    verbose_name = _("Customer order page")
