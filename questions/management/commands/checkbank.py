from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from questions.bankcheck import coverage_items, coverage_table, pairs_table
from questions.blueprint import BlueprintError, read_catalog
from questions.services import bank_read


class Command(BaseCommand):
    help = (
        "Validate the bank files against the blueprints without writing anything, and print the "
        "coverage table: published questions per domain, task statement, pillar, stage and type."
    )
    requires_system_checks: list = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=None, help="Bank directory (default: BANK_DIR).")

    def handle(self, *args: object, **options: object) -> None:
        bank_dir = Path(options["dir"] or settings.BANK_DIR)
        if not bank_dir.is_dir():
            raise CommandError(f"bank directory {bank_dir} does not exist")
        try:
            catalog = read_catalog(settings.BLUEPRINT_DIR)
        except BlueprintError as exc:
            raise CommandError(str(exc)) from exc
        files = bank_read(bank_dir=bank_dir, catalog=catalog)
        problems = [p for f in files for p in f.problems]
        for problem in problems:
            self.stderr.write(str(problem))
        items = coverage_items([f for f in files if not f.problems], catalog)
        for exam in catalog.exams.values():
            self.stdout.write(coverage_table(exam, items))
            self.stdout.write("")
        self.stdout.write(pairs_table(catalog, items))
        self.stdout.write("")
        questions = sum(len(f.questions) for f in files)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {questions} question(s) of {len(files)} file(s)")
        self.stdout.write(f"OK: {questions} question(s) in {len(files)} file(s), no problems")
