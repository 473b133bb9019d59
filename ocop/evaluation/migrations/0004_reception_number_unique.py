from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def refuse_duplicate_numbers(apps, schema_editor):
    """Numbers issued twice before the constraint (the old count-based allocation could race) must be sorted out
    by hand: history is not rewritten here. Name them instead of failing on the constraint."""
    Dossier = apps.get_model("evaluation", "Dossier")
    for field in ("commune_reception_number", "province_reception_number"):
        twice = (
            Dossier.objects.exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .values_list(field, flat=True)
        )
        if twice:
            raise RuntimeError(f"Reception numbers issued more than once ({field}): {', '.join(twice)}")


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0003_dossier_transition_due_on'),
        ('registry', '0003_name_vi_collation_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReceptionCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('issuer', models.CharField(choices=[('commune', 'UBND cấp xã'), ('province', 'Cơ quan thường trực cấp tỉnh')], max_length=16)),
                ('unit_code', models.CharField(max_length=8)),
                ('year', models.PositiveSmallIntegerField()),
                ('last', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(refuse_duplicate_numbers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='dossier',
            constraint=models.UniqueConstraint(condition=models.Q(('commune_reception_number', ''), _negated=True), fields=('commune_reception_number',), name='evaluation_dossier_commune_reception_unique'),
        ),
        migrations.AddConstraint(
            model_name='dossier',
            constraint=models.UniqueConstraint(condition=models.Q(('province_reception_number', ''), _negated=True), fields=('province_reception_number',), name='evaluation_dossier_province_reception_unique'),
        ),
        migrations.AddConstraint(
            model_name='receptioncounter',
            constraint=models.UniqueConstraint(fields=('issuer', 'unit_code', 'year'), name='evaluation_reception_counter'),
        ),
    ]
