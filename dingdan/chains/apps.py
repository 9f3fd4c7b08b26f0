from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "dingdan.chains"
    label = "chains"
    verbose_name = _("Group-buy chains")

    def ready(self) -> None:
        from dingdan import hooks

        from .order_page import (
            items_held_by_campaign,
            order_page_context,
            pickup_point_for_order,
            read_chat_message,
        )
        from .services.closing import close_overdue_campaigns

        hooks.register("orders.page_context", order_page_context)
        hooks.register("orders.items_held", items_held_by_campaign)
        hooks.register("orders.read_chat_message", read_chat_message)
        hooks.register("worker.starting", close_overdue_campaigns)
        hooks.register("fulfillment.pickup_point_for_order", pickup_point_for_order)
