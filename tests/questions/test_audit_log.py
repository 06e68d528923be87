"""The audit log: who changed which question (and its recorded versions), and every regrade."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, User
from django.urls import reverse

from questions.models import Question, QuestionVersion
from tests.factories import QuestionFactory, options_for
from tests.questions.test_admin import form_data

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk")


def test_an_authors_edit_is_logged_with_who_what_and_the_new_version(author, client):
    question = QuestionFactory(uid="admin-multiple_choice")
    data = form_data("multiple_choice", stem="A retailer wants X with the least operational overhead. Which one?")
    for i, option in enumerate(question.options.order_by("order")):
        data[f"options-{i}-id"] = option.pk
        data[f"options-{i}-question"] = question.pk
    data["options-INITIAL_FORMS"] = str(question.options.count())
    before = LogEntry.objects.order_by("pk").last().pk
    response = client.post(reverse("admin:questions_question_change", args=[question.pk]), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    updates = entries_for(question).filter(action=LogEntry.Action.UPDATE, pk__gt=before)
    assert {entry.actor for entry in updates} == {author}
    stem = next(entry.changes_dict["stem"] for entry in updates if "stem" in entry.changes_dict)
    assert stem == [question.stem, "A retailer wants X with the least operational overhead. Which one?"]
    assert any(entry.changes_dict.get("version") == ["1", "2"] for entry in updates)
    version = QuestionVersion.objects.get(question=question, version=2)
    assert version.created_by == author
    logged = entries_for(version).get()
    assert (logged.action, logged.actor) == (LogEntry.Action.CREATE, author)
    assert logged.changes_dict["version"] == ["None", "2"]


def test_publishing_and_retiring_from_the_list_are_logged(author, client):
    question = QuestionFactory(uid="to-retire")
    response = client.post(
        reverse("admin:questions_question_changelist"),
        {"action": "retire_selected", "_selected_action": [question.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Question.objects.get(pk=question.pk).status == "retired"
    retired = entries_for(question).filter(action=LogEntry.Action.UPDATE).last()
    assert retired.actor == author and retired.changes_dict["status"] == ["published", "retired"]


def test_staff_read_the_log_and_a_questions_history_in_the_admin_and_learners_do_not(author, client):
    question = QuestionFactory(uid="audited", options=options_for("multiple_choice"))
    question.stem = "Changed by a script."
    question.save()
    listing = client.get(reverse("admin:auditlog_logentry_changelist"))
    assert listing.status_code == 200
    assert "audited" in listing.content.decode()
    history = client.get(reverse("admin:questions_question_auditlog", args=[question.pk]))
    assert history.status_code == 200 and "Changed by a script." in history.content.decode()
    change_page = client.get(reverse("admin:questions_question_change", args=[question.pk])).content.decode()
    assert reverse("admin:questions_question_auditlog", args=[question.pk]) in change_page
    learner = User.objects.create_user("peeker", password="pw-peeker-123")
    client.force_login(learner)
    refused = client.get(reverse("admin:auditlog_logentry_changelist"))
    assert refused.status_code == 302 and "/admin/login/" in refused["Location"]


def test_the_log_cannot_be_edited_or_deleted_in_the_admin(author, client):
    question = QuestionFactory(uid="immutable")
    entry = entries_for(question).first()
    client.force_login(User.objects.create_superuser("root", password="pw-root-12345"))
    assert client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_granting_a_role_is_logged(author, client):
    client.force_login(User.objects.create_superuser("root", password="pw-root-12345"))
    learner = User.objects.create_user("future-instructor", password="pw-future-123")
    learner.groups.add(Group.objects.get(name="Instructors"))
    granted = entries_for(learner).filter(changes__icontains="Instructors")
    assert granted.exists()
