import datetime

from django.conf import settings
from django.db import migrations, models


def backfill_transition_due_on(apps, schema_editor):
    """Dossiers filed before a newer regime's cutoff get their finish-by day (26/2026/QĐ-TTg Điều 11-12), from
    the regimes' "transition" data as loaded; nothing to do on a database without regimes."""
    Regime = apps.get_model("evaluation", "Regime")
    Dossier = apps.get_model("evaluation", "Dossier")
    for newer in Regime.objects.exclude(transition__isnull=True):
        transition = newer.transition or {}
        follows = transition.get("dossiers_filed_before_cutoff_follow")
        if not follows or not transition.get("cutoff"):
            continue
        cutoff = datetime.date.fromisoformat(transition["cutoff"])
        days = transition.get("finish_within_days") or {}
        for dossier in Dossier.objects.filter(regime__code=follows, filed_on__lt=cutoff, transition_due_on=None):
            key = "reevaluation" if dossier.kind == "reevaluation" else "first_or_upgrade"
            if days.get(key) is not None:
                dossier.transition_due_on = cutoff + datetime.timedelta(days=int(days[key]))
                dossier.save(update_fields=["transition_due_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0002_rounds_dossiers_councils"),
        ("registry", "0003_name_vi_collation_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="transition_due_on",
            field=models.DateField(blank=True, null=True, verbose_name="Hạn hoàn thành theo quy định chuyển tiếp"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["transition_due_on", "status"], name="evaluation_dossier_transition"),
        ),
        migrations.RunPython(backfill_transition_due_on, migrations.RunPython.noop),
    ]
