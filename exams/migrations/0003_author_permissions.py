"""Authors see the record of regrades (they run them from the question list)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    authors, _ = Group.objects.get_or_create(name="Authors")
    authors.permissions.add(*Permission.objects.filter(content_type__app_label="exams", codename="view_regrade"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Authors"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="exams", codename="view_regrade"))


class Migration(migrations.Migration):
    dependencies = [("exams", "0002_mistake_regrade_resultrow_and_more"), ("questions", "0002_groups")]
    operations = [migrations.RunPython(grant, revoke)]
