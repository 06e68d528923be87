from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from questions.blueprint import BlueprintError
from questions.services import bank_load


class Command(BaseCommand):
    help = (
        "Load the exam blueprints and the bank files (questions/bank/**/*.yaml) into the database, "
        "upserting by uid. A file with any problem loads nothing; questions gone from the files are retired."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=None, help="Bank directory (default: BANK_DIR).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args: object, **options: object) -> None:
        bank_dir = options["dir"] or settings.BANK_DIR
        if not Path(bank_dir).is_dir():
            raise CommandError(f"bank directory {bank_dir} does not exist")
        try:
            report = bank_load(bank_dir=Path(bank_dir), dry_run=bool(options["dry_run"]))
        except BlueprintError as exc:
            raise CommandError(str(exc)) from exc
        for problem in report.problems:
            self.stderr.write(str(problem))
        prefix = "would be " if options["dry_run"] else ""
        self.stdout.write(
            f"{report.files} file(s): {prefix}created {len(report.created)}, {prefix}updated {len(report.updated)}, "
            f"unchanged {report.unchanged}, {prefix}retired {len(report.retired)}"
        )
        for uid in report.retired:
            self.stdout.write(f"  retired {uid}")
        if report.problems:
            raise CommandError(
                f"{len(report.problems)} problem(s); nothing was loaded from {', '.join(report.failed_files)}"
            )
