from django.db import migrations, models
from django.db.models import Q, Sum


def keep_order_discounts(apps, schema_editor):
    """The order-level discount was what the order's discount had beyond its lines' own."""
    Order = apps.get_model("orders", "Order")
    OrderLine = apps.get_model("orders", "OrderLine")
    line_discounts = dict(
        OrderLine.objects.values("order_id").annotate(total=Sum("discount_cents"))
        .values_list("order_id", "total")
    )
    for order in Order.objects.filter(discount_cents__gt=0).only("pk", "discount_cents"):
        rest = order.discount_cents - (line_discounts.get(order.pk) or 0)
        if rest > 0:
            Order.objects.filter(pk=order.pk).update(order_discount_cents=rest)


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_order_list_indexes")]

    operations = [
        migrations.AddField(
            model_name="order", name="order_discount_cents",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="order", name="cancel_reason",
            field=models.CharField(blank=True, max_length=24, choices=[
                ("customer_request", "Customer asked to cancel"),
                ("out_of_stock", "Out of stock"), ("unpaid_timeout", "Not paid in time"),
                ("suspected_fraud", "Suspected fraud"), ("duplicate", "Duplicate order"),
                ("other", "Other")]),
        ),
        migrations.AddField(
            model_name="order", name="cancel_note",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.CheckConstraint(condition=Q(order_discount_cents__gte=0),
                                              name="order_discount_positive"),
        ),
        migrations.RunPython(keep_order_discounts, migrations.RunPython.noop),
    ]
