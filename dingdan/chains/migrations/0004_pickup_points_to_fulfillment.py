# Pickup points now belong to fulfilment (its 0007_pickup_points took the model over, the
# table unchanged): chains' foreign keys point at it there and chains forgets the model.
# Nothing changes in the database: the keys already reference chains_pickuppoint.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('chains', '0003_campaign_join_link'),
        ('fulfillment', '0007_pickup_points'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='campaignpickuppoint',
                    name='pickup_point',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='fulfillment.pickuppoint'),
                ),
                migrations.AlterField(
                    model_name='chainentry',
                    name='pickup_point',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='fulfillment.pickuppoint'),
                ),
                migrations.AlterField(
                    model_name='campaign',
                    name='pickup_points',
                    field=models.ManyToManyField(blank=True, related_name='campaigns', through='chains.CampaignPickupPoint', to='fulfillment.pickuppoint'),
                ),
                migrations.DeleteModel(name='PickupPoint'),
            ],
            database_operations=[],
        ),
    ]
