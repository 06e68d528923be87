from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cohorts import services
from cohorts.models import Cohort, Membership
from questions.models import Exam

NAME = "Demo cohort"


class Command(BaseCommand):
    help = "Create the demo cohort (taught by `instructor`, with `learner` as a member and one assignment) if missing."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        User = get_user_model()
        instructor = User.objects.filter(username="instructor").first()
        learner = User.objects.filter(username="learner").first()
        exam = Exam.objects.filter(code="MLA-C01").first()
        if not (instructor and learner and exam):
            self.stdout.write("Demo cohort skipped: run seeddemo and loadbank first.")
            return
        cohort = Cohort.objects.filter(name=NAME, instructors=instructor).first()
        if cohort is None:
            cohort = services.cohort_create(creator=instructor, name=NAME, exam=exam)
            services.assignment_create(
                cohort=cohort,
                creator=instructor,
                title="Week 1: a full mock exam",
                mode="full",
                opens_at=timezone.now(),
                due_at=timezone.now() + timedelta(days=14),
                max_attempts=2,
            )
        Membership.objects.get_or_create(cohort=cohort, learner=learner, defaults={"joined_at": timezone.now()})
        self.stdout.write(f"Demo cohort: {cohort.name}, join code {cohort.join_code} (instructor: instructor)")
