"""Authors see item statistics (and nothing else of analytics)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_itemstatistic", "view_examstatistic"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    authors, _ = Group.objects.get_or_create(name="Authors")
    authors.permissions.add(*Permission.objects.filter(content_type__app_label="analytics", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Authors"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="analytics", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial"), ("questions", "0002_groups")]
    operations = [migrations.RunPython(grant, revoke)]
