"""The question bank: exams and their blueprints, questions, options, case studies, versions.

Exams, domains, task statements and the AWS service list are data, loaded from the files in
``questions/blueprints/`` (``manage.py loadbank`` loads them first). Questions come from the bank
files in ``questions/bank/`` and from the admin. The rules a question must satisfy live in
``questions.rules`` and are applied here by ``clean()``, so ``full_clean()`` enforces them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from questions import rules
from questions.blueprint import distractor_pairs


class Exam(models.Model):
    code = models.CharField(max_length=20, unique=True, help_text="For example MLA-C01.")
    name = models.CharField(max_length=200)
    question_count = models.PositiveSmallIntegerField(help_text="Questions on a full form.")
    scored_count = models.PositiveSmallIntegerField(help_text="Of those, how many are scored.")
    minutes = models.PositiveSmallIntegerField()
    passing_score = models.PositiveSmallIntegerField(help_text="Scaled score needed to pass.")
    score_min = models.PositiveSmallIntegerField()
    score_max = models.PositiveSmallIntegerField()
    pass_fraction = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.720"),
        help_text="Fraction correct that maps to the passing scaled score (our assumption; see exams.scoring).",
    )
    question_types = models.JSONField(default=list, help_text="Question types this exam uses.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Domain(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="domains")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    weight = models.DecimalField(max_digits=5, decimal_places=2, help_text="Percent of scored content.")

    class Meta:
        ordering = ["exam__code", "number"]
        constraints = [models.UniqueConstraint(fields=["exam", "number"], name="domain_unique_number")]

    def __str__(self) -> str:
        return f"{self.exam.code} {self.number} {self.name}"


class TaskStatement(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="task_statements")
    code = models.CharField(max_length=10, help_text="For example 1.1.")
    title = models.CharField(max_length=300)
    covers = models.TextField(blank=True, help_text="What the exam guide lists under it.")

    class Meta:
        ordering = ["domain__exam__code", "code"]
        constraints = [models.UniqueConstraint(fields=["domain", "code"], name="task_statement_unique_code")]

    def __str__(self) -> str:
        return f"{self.domain.exam.code} {self.code} {self.title}"


class Pillar(models.Model):
    """Engineering pillar: scalability, cost-effectiveness, security (rows made by a migration)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """An AWS service from the controlled list in questions/blueprints/services.yaml."""

    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """A case-study scenario shared by 2 to 4 questions, which are served together and in order."""

    uid = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    scenario = models.TextField()
    source_file = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["uid"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Type(models.TextChoices):
        MULTIPLE_CHOICE = rules.MULTIPLE_CHOICE, "Multiple choice"
        MULTIPLE_RESPONSE = rules.MULTIPLE_RESPONSE, "Multiple response"
        ORDERING = rules.ORDERING, "Ordering"
        MATCHING = rules.MATCHING, "Matching"

    class Stage(models.TextChoices):
        DATA_PREPARATION = "data_preparation", "Data preparation"
        MODEL_TRAINING = "model_training", "Model training"
        MODEL_DEPLOYMENT = "model_deployment", "Model deployment"
        MONITORING_OPERATIONS = "monitoring_operations", "Monitoring and operations"

    class Difficulty(models.TextChoices):
        EASY = "easy", "Easy"
        MEDIUM = "medium", "Medium"
        HARD = "hard", "Hard"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    uid = models.SlugField(max_length=100, unique=True, help_text="Stable id; never reuse one.")
    type = models.CharField(max_length=20, choices=Type.choices)
    stem = models.TextField(error_messages={"blank": "every question needs a stem"})
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="questions")
    case_order = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Order within the case.")
    # A draft may lack its taxonomy (work in progress, or just imported); publishing requires it.
    task_statement = models.ForeignKey(
        TaskStatement, on_delete=models.PROTECT, null=True, blank=True, related_name="questions"
    )
    alt_task_statement = models.ForeignKey(
        TaskStatement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mapped_questions",
        help_text="The task statement this question fits in another exam (for example MLA-C02).",
    )
    pillars = models.ManyToManyField(Pillar, blank=True, related_name="questions")
    stage = models.CharField(max_length=30, choices=Stage.choices, blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="questions")
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    explanation = models.TextField(blank=True, help_text="Why the key is right under the scenario's constraint.")
    references = models.JSONField(default=list, blank=True, help_text="AWS documentation URLs.")
    teaches = models.JSONField(
        default=list,
        blank=True,
        help_text="Ids of the classic distractor pairs it teaches (questions/blueprints/distractor-pairs.yaml).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    tags = models.JSONField(
        default=list,
        blank=True,
        help_text="Free tags, e.g. the Moodle category an imported question came from, to map to a task statement.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    source_file = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["uid"]
        indexes = [models.Index(fields=["status", "task_statement"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "case_order"], name="question_unique_case_order"),
        ]

    def __str__(self) -> str:
        return self.uid

    def as_rule_data(self, *, options: list[rules.OptionData] | None = None) -> rules.QuestionData:
        return rules.QuestionData(
            type=self.type,
            stem=self.stem,
            explanation=self.explanation,
            status=self.status,
            references=list(self.references or []),
            options=options or [],
        )

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if not isinstance(self.references, list) or not all(isinstance(u, str) for u in self.references):
            errors.setdefault("references", []).append("references must be a list of URLs")
        else:
            for problem in rules.applicable(rules.scalar_problems(self.as_rule_data()), self.status):
                if problem.field == "stem" and self.stem == "":
                    continue  # the field's own "blank" message already says so
                errors.setdefault(problem.field, []).append(problem.message)
        if self.status != self.Status.DRAFT:
            if not self.task_statement_id:
                errors.setdefault("task_statement", []).append("every question needs a task statement")
            if not self.stage:
                errors.setdefault("stage", []).append("every question needs exactly one lifecycle stage")
        if not isinstance(self.tags, list) or not all(isinstance(t, str) for t in self.tags):
            errors.setdefault("tags", []).append("tags must be a list of text")
        if not isinstance(self.teaches, list) or not all(isinstance(t, str) for t in self.teaches):
            errors.setdefault("teaches", []).append("teaches must be a list of distractor pair ids")
        else:
            known = distractor_pairs()
            for pair in self.teaches:
                if pair not in known:
                    errors.setdefault("teaches", []).append(
                        f"unknown distractor pair {pair!r}; use one of {', '.join(known)}"
                    )
        if self.case_id and self.case_order is None:
            errors.setdefault("case_order", []).append("a question in a case study needs its order in the case")
        if not self.case_id and self.case_order is not None:
            errors.setdefault("case_order", []).append("only questions in a case study have a case order")
        if self.task_statement_id and self.alt_task_statement_id:
            primary = TaskStatement.objects.select_related("domain__exam").get(pk=self.task_statement_id)
            alt = TaskStatement.objects.select_related("domain__exam").get(pk=self.alt_task_statement_id)
            if primary.domain.exam_id == alt.domain.exam_id:
                errors.setdefault("alt_task_statement", []).append(
                    "the mapped task statement must belong to another exam than the task statement"
                )
            elif self.type not in alt.domain.exam.question_types:
                errors.setdefault("alt_task_statement", []).append(
                    f"{alt.domain.exam.code} does not use {self.get_type_display().lower()} questions"
                )
        if errors:
            raise ValidationError(errors)

    def task_statement_for(self, exam: Exam) -> TaskStatement | None:
        for ts in (self.task_statement, self.alt_task_statement):
            if ts is not None and ts.domain.exam_id == exam.pk:
                return ts
        return None

    @property
    def choose_count(self) -> int | None:
        """How many responses to select, for multiple response (None for other types)."""
        if self.type != self.Type.MULTIPLE_RESPONSE:
            return None
        return sum(1 for o in self.options.all() if o.is_correct)


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(default=0, help_text="Authoring order (learners see a shuffle).")
    text = models.TextField(error_messages={"blank": "an option needs text"})
    explanation = models.TextField(
        blank=True,  # a draft may lack it; publishing requires it (questions.rules)
        help_text="For the key: why it is right. For a distractor: why it tempts and why it is wrong here.",
    )
    is_correct = models.BooleanField(default=False, help_text="Multiple choice / response only.")
    position = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Ordering only: the correct position, 1 to n."
    )
    prompt = models.TextField(
        blank=True, help_text="Matching only: the prompt this option answers; blank for an extra option."
    )

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    def as_rule_data(self) -> rules.OptionData:
        return rules.OptionData(
            text=self.text,
            explanation=self.explanation,
            is_correct=self.is_correct,
            position=self.position,
            prompt=self.prompt,
        )

    def clean(self) -> None:
        # Empty fields are reported by the fields' own "blank" messages; here, whitespace only.
        errors: dict[str, list[str]] = {}
        if self.text and not self.text.strip():
            errors["text"] = ["an option needs text"]
        if errors:
            raise ValidationError(errors)


class QuestionVersion(models.Model):
    """What a question said at each version. Attempts record the version they served."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=20, help_text="admin, bank or import")

    class Meta:
        ordering = ["question", "version"]
        constraints = [
            models.UniqueConstraint(fields=["question", "version"], name="question_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.question.uid} v{self.version}"
