from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "dingdan.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        from dingdan import hooks
        from dingdan.inventory.services.stock import open_levels

        hooks.register("catalog.goods_created", open_levels)
