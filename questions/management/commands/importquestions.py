from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from questions.interchange.services import FORMATS, questions_import


class Command(BaseCommand):
    help = (
        "Import questions as drafts from a GIFT, Moodle XML, CSV or bank (YAML) file. All or nothing: a file "
        "with any problem imports nothing. Unsupported question types are listed with their line and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=list(FORMATS), dest="fmt")
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; write nothing.")

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        report = questions_import(
            data=path.read_bytes(), fmt=str(options["fmt"]), dry_run=bool(options["dry_run"]), source=path.name
        )
        for line in report.lines():
            self.stdout.write(line)
        if report.problems:
            raise CommandError(f"{path}: {len(report.problems)} problem(s); nothing was imported")
