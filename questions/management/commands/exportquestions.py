from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from questions.interchange.services import FORMATS, questions_export
from questions.models import Question


class Command(BaseCommand):
    help = "Export questions as GIFT, Moodle XML, CSV or a bank (YAML) file; everything unless filtered."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=list(FORMATS), dest="fmt")
        parser.add_argument("--output", "-o", type=Path, help="Write here instead of standard output.")
        parser.add_argument("--status", choices=[s.value for s in Question.Status], help="Only this status.")
        parser.add_argument("--exam", help="Only questions of this exam, e.g. MLA-C01.")
        parser.add_argument("--uid", action="append", default=[], help="Only these questions (repeatable).")

    def handle(self, *args: object, **options: object) -> None:
        questions = Question.objects.all()
        if options["status"]:
            questions = questions.filter(status=options["status"])
        if options["exam"]:
            questions = questions.filter(task_statement__domain__exam__code=options["exam"])
        if options["uid"]:
            questions = questions.filter(uid__in=options["uid"])
            missing = set(options["uid"]) - set(questions.values_list("uid", flat=True))
            if missing:
                raise CommandError(f"no such question(s): {', '.join(sorted(missing))}")
        if not questions.exists():
            raise CommandError("no question matches; nothing exported")
        content, _, _ = questions_export(questions=questions, fmt=str(options["fmt"]))
        output: Path | None = options["output"]
        if output:
            output.write_bytes(content)
            self.stderr.write(f"wrote {questions.count()} question(s) to {output}")
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
