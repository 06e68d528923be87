"""Leave room on each page of attempt items, so autosaves and grading update rows in place.

PostgreSQL can update a row without touching its indexes (a HOT update) only when the new version
fits on the same page. Items are written once at start, then updated by every autosave and once by
grading; at the default fill factor (100) no page has room, and every update rewrites every index.
"""

from django.db import migrations


def fillfactor(value: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE exams_attemptitem SET (fillfactor = {value})")

    return run


class Migration(migrations.Migration):
    dependencies = [("exams", "0004_item_indexes")]
    operations = [migrations.RunPython(fillfactor(70), fillfactor(100))]
