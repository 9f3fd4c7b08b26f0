from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "dingdan.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from dingdan import hooks

        from .selectors.customers import customer_order_figures
        from .services.customer_merge import move_orders_to_customer

        hooks.register("customers.merging", move_orders_to_customer)
        hooks.register("customers.summary", customer_order_figures)
