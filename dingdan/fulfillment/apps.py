from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FulfillmentConfig(AppConfig):
    name = "dingdan.fulfillment"
    label = "fulfillment"
    verbose_name = _("Fulfilment")

    def ready(self) -> None:
        from dingdan import hooks

        from .selectors.presentation import event_sentence
        from .services.shipping import ship_everything
        from .services.tracking import deliver_everything
        from .services.tracking_push import subscribe_pending
        from .views.order_shipments import order_page_context
        from .views.order_substitutes import order_page_context as substitutes_context

        hooks.register("orders.ship", ship_everything)
        hooks.register("orders.delivering", deliver_everything)
        hooks.register("orders.event_sentence", event_sentence)
        hooks.register("orders.page_context", order_page_context)
        hooks.register("orders.page_context", substitutes_context)
        hooks.register("worker.starting", subscribe_pending)
