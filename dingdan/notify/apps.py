from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "dingdan.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from dingdan import hooks

        from .services import raise_alert

        hooks.register("inventory.alert", raise_alert)
        hooks.register("chains.alert", raise_alert)
        hooks.register("payments.alert", raise_alert)
