"""The audit log (django-auditlog): who changed what in the question bank, and every regrade.

Every save and delete of a question, option, case study, recorded question version and regrade,
and every change to a user's roles (staff, active, groups), is written as an ``auditlog.LogEntry``
with the fields that changed (old and new values), the user who made the change (set by
``AuditlogMiddleware`` for requests; empty for commands such as ``loadbank``) and their address.
Entries are never edited; staff read them in the admin under "Auditlog > Log entries", and each
question's admin page links to its own history ("Audit log").

Bulk updates that bypass model signals (retiring the questions a bank file dropped, the bulk insert
of a loaded question's options) are not logged field by field; the question's own save, its
recorded version and the bank file in git carry that change.
"""

from __future__ import annotations

from auditlog.registry import auditlog


def register() -> None:
    from django.contrib.auth import get_user_model

    from exams.models import Regrade
    from questions.models import Case, Option, Question, QuestionVersion

    auditlog.register(Question, exclude_fields=["content_hash", "updated_at"], m2m_fields={"pillars", "services"})
    auditlog.register(Option)
    auditlog.register(Case)
    auditlog.register(QuestionVersion, exclude_fields=["content"])  # the version row keeps the content itself
    auditlog.register(Regrade)
    auditlog.register(
        get_user_model(), include_fields=["username", "is_active", "is_staff", "is_superuser"], m2m_fields={"groups"}
    )
