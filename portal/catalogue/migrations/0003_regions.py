"""The federal subjects of Russia as data (see portal/catalogue/regions.py)."""

from django.db import migrations

from portal.catalogue.regions import REGIONS, regions_sync


def forwards(apps, schema_editor):
    regions_sync(apps.get_model("catalogue", "Region"))


def backwards(apps, schema_editor):
    apps.get_model("catalogue", "Region").objects.filter(
        code__in=[code for code, _ in REGIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_service_details")]

    operations = [migrations.RunPython(forwards, backwards)]
