"""The Authors group (exactly the question-bank permissions) and the Instructors group."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Authors write questions, options and case studies. Questions are retired, never deleted
# (attempts refer to them), so authors get no delete on questions. Blueprint data is read-only.
AUTHOR_PERMISSIONS = {
    "question": ["add", "change", "view"],
    "option": ["add", "change", "delete", "view"],
    "case": ["add", "change", "delete", "view"],
    "questionversion": ["view"],
    "exam": ["view"],
    "domain": ["view"],
    "taskstatement": ["view"],
    "pillar": ["view"],
    "service": ["view"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations run; make them now so the group can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    authors, _ = Group.objects.get_or_create(name="Authors")
    codenames = [f"{action}_{model}" for model, actions in AUTHOR_PERMISSIONS.items() for action in actions]
    authors.permissions.set(Permission.objects.filter(content_type__app_label="questions", codename__in=codenames))
    Group.objects.get_or_create(name="Instructors")


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Authors", "Instructors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
