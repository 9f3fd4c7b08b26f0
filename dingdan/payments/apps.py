from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "dingdan.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from dingdan import hooks

        from .selectors.presentation import event_sentence
        from .services.cancellation import settle_cancellation
        from .services.reductions import refund_beyond_total
        from .services.wechatpay_refunds import follow_up_pending_refunds
        from .views.order_money import order_page_context

        hooks.register("orders.cancelled", settle_cancellation)
        hooks.register("orders.total_reduced", refund_beyond_total)
        hooks.register("orders.event_sentence", event_sentence)
        hooks.register("orders.page_context", order_page_context)
        hooks.register("worker.starting", follow_up_pending_refunds)
