"""Reads of the question bank."""

from __future__ import annotations

from django.db.models import QuerySet

from questions import rules
from questions.models import Exam, Question


def question_rule_data(question: Question) -> rules.QuestionData:
    """The question as the pure rules see it, read fresh from the database."""
    data = question.as_rule_data(options=[o.as_rule_data() for o in question.options.order_by("order", "pk")])
    data.pillars = sorted(question.pillars.values_list("slug", flat=True))
    if question.case_id:
        data.case = {"title": question.case.title, "scenario": question.case.scenario}
    return data


def question_problems(question: Question) -> list[rules.Problem]:
    return rules.question_problems(question_rule_data(question))


def questions_for_exam(exam: Exam) -> QuerySet[Question]:
    """Questions mapped to one of the exam's task statements (directly or through the mapping)."""
    return Question.objects.filter(task_statement__domain__exam=exam) | Question.objects.filter(
        alt_task_statement__domain__exam=exam
    )
