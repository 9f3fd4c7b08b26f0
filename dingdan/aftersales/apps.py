from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftersalesConfig(AppConfig):
    name = "dingdan.aftersales"
    label = "aftersales"
    verbose_name = _("After-sales")

    def ready(self) -> None:
        from dingdan import hooks

        from .selectors.presentation import event_sentence

        hooks.register("orders.event_sentence", event_sentence)
