import secrets

import dingdan.chains.models
from django.db import migrations, models


def give_each_campaign_a_join_link(apps, schema_editor):
    Campaign = apps.get_model("chains", "Campaign")
    for pk in Campaign.objects.values_list("pk", flat=True).iterator():
        Campaign.objects.filter(pk=pk).update(join_token=secrets.token_urlsafe(18))


class Migration(migrations.Migration):

    dependencies = [
        ('chains', '0002_campaign_closing'),
    ]

    operations = [
        migrations.AddField(
            model_name='campaign',
            name='join_token',
            field=models.CharField(default="", editable=False, max_length=32),
            preserve_default=False,
        ),
        migrations.RunPython(give_each_campaign_a_join_link, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='campaign',
            name='join_token',
            field=models.CharField(default=dingdan.chains.models.new_join_token, editable=False, max_length=32),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.UniqueConstraint(fields=('join_token',), name='campaign_join_token_unique'),
        ),
        migrations.AddField(
            model_name='chainentry',
            name='source',
            field=models.CharField(choices=[('chain', 'Pasted chain'), ('page', 'Join page')], default='chain', max_length=8),
        ),
        migrations.AddField(
            model_name='chainentry',
            name='text',
            field=models.CharField(blank=True, max_length=1000),
        ),
        migrations.AddConstraint(
            model_name='chainentry',
            constraint=models.CheckConstraint(condition=models.Q(('source__in', ['chain', 'page'])), name='chain_entry_source_known'),
        ),
    ]
