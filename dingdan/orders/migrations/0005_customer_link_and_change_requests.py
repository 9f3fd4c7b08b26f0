import secrets

import dingdan.orders.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def give_each_order_a_link(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    for pk in Order.objects.values_list("pk", flat=True).iterator():
        Order.objects.filter(pk=pk).update(link_token=secrets.token_urlsafe(18))


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0001_initial'),
        ('orders', '0004_ordertemplate'),
        ('shops', '0002_idempotencykey'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='OrderChangeRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'Waiting for the shop'), ('approved', 'Approved'), ('rejected', 'Declined'), ('withdrawn', 'Withdrawn')], default='pending', max_length=16)),
                ('lines', models.JSONField(blank=True, null=True)),
                ('address', models.CharField(blank=True, max_length=200)),
                ('note', models.CharField(blank=True, max_length=500)),
                ('customer_message', models.CharField(blank=True, max_length=300)),
                ('base_version', models.PositiveIntegerField()),
                ('decided_by', models.CharField(blank=True, max_length=150)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_note', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='order',
            name='link_token',
            field=models.CharField(default="", editable=False, max_length=32),
            preserve_default=False,
        ),
        migrations.RunPython(give_each_order_a_link, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='order',
            name='link_token',
            field=models.CharField(default=dingdan.orders.models.new_link_token, editable=False, max_length=32),
        ),
        migrations.AddConstraint(
            model_name='order',
            constraint=models.UniqueConstraint(fields=('link_token',), name='order_link_token_unique'),
        ),
        migrations.AddField(
            model_name='orderchangerequest',
            name='order',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='change_requests', to='orders.order'),
        ),
        migrations.AddField(
            model_name='orderchangerequest',
            name='shop',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='shops.shop'),
        ),
        migrations.AddIndex(
            model_name='orderchangerequest',
            index=models.Index(fields=['shop', 'status', '-created_at'], name='change_request_queue'),
        ),
        migrations.AddConstraint(
            model_name='orderchangerequest',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('order',), name='change_request_one_open'),
        ),
    ]
