# Pickup points move from chains to fulfilment with their rows: the table keeps its name
# (chains_pickuppoint), so fulfilment only takes the model over in Django's state and then
# adds the columns a customer needs to find the point.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('chains', '0003_campaign_join_link'),
        ('fulfillment', '0006_substitutes'),
        ('shops', '0002_idempotencykey'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PickupPoint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=60, verbose_name='name')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='address')),
                        ('aliases', models.JSONField(blank=True, default=list, verbose_name='aliases')),
                        ('is_active', models.BooleanField(default=True, verbose_name='in use')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('shop', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='shops.shop')),
                    ],
                    options={
                        'verbose_name': 'pickup point',
                        'verbose_name_plural': 'pickup points',
                        'db_table': 'chains_pickuppoint',
                        'ordering': ['name', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('shop', 'name'), name='pickup_point_name_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name='pickuppoint',
            name='opening_hours',
            field=models.CharField(blank=True, max_length=100, verbose_name='opening hours'),
        ),
        migrations.AddField(
            model_name='pickuppoint',
            name='phone',
            field=models.CharField(blank=True, max_length=20, verbose_name='contact phone'),
        ),
        migrations.AddField(
            model_name='shipment',
            name='pickup_point',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='fulfillment.pickuppoint'),
        ),
    ]
