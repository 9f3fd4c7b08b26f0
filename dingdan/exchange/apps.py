from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "dingdan.exchange"
    label = "exchange"
    verbose_name = _("Import and export")
