"""Authors read the audit log (mlaexam/audit.py) in the admin: who changed which question, and regrades."""

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
    authors.permissions.add(*Permission.objects.filter(content_type__app_label="auditlog", codename="view_logentry"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Authors"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="auditlog", codename="view_logentry")
        )


class Migration(migrations.Migration):
    dependencies = [("questions", "0005_draft_may_be_incomplete"), ("auditlog", "0017_add_actor_email")]
    operations = [migrations.RunPython(grant, revoke)]
