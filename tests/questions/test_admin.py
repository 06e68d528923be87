"""Authoring through the Django admin with the test client, as the demo author would."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from questions.models import Pillar, Question, QuestionVersion
from tests.factories import DOC, QuestionFactory, options_for, task

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:questions_question_add")


def form_data(qtype, options=None, **overrides):
    options = options_for(qtype) if options is None else options
    stems = {
        "multiple_choice": "A retailer wants X at the lowest cost. Which solution meets this?",
        "multiple_response": "A bank needs Y. Which actions meet this? (Select TWO.)",
        "ordering": "Put the steps in order.",
        "matching": "Match each need to a service.",
    }
    data = {
        "uid": f"admin-{qtype}",
        "type": qtype,
        "status": "published",
        "stem": stems[qtype],
        "explanation": "The principle.",
        "references": DOC,
        "case": "",
        "case_order": "",
        "task_statement": task("MLA-C01 2.1").pk,
        "alt_task_statement": "",
        "pillars": [Pillar.objects.get(slug="security").pk],
        "stage": "model_training",
        "services": [],
        "difficulty": "medium",
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for i, option in enumerate(options):
        data[f"options-{i}-order"] = str(i + 1)
        data[f"options-{i}-text"] = option["text"]
        data[f"options-{i}-explanation"] = option["explanation"]
        if option.get("is_correct"):
            data[f"options-{i}-is_correct"] = "on"
        data[f"options-{i}-position"] = option.get("position") or ""
        data[f"options-{i}-prompt"] = option.get("prompt", "")
    data.update(overrides)
    return data


@pytest.mark.parametrize("qtype", ["multiple_choice", "multiple_response", "ordering", "matching"])
def test_the_author_creates_each_question_type(author, client, qtype):
    response = client.post(ADD_URL, form_data(qtype))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    question = Question.objects.get(uid=f"admin-{qtype}")
    assert question.type == qtype
    assert question.status == "published"
    assert question.references == [DOC]
    assert question.options.count() == len(options_for(qtype))
    assert list(question.options.values_list("order", flat=True)) == list(range(1, question.options.count() + 1))
    version = QuestionVersion.objects.get(question=question)
    assert (version.version, version.source, version.created_by) == (1, "admin", author)


def test_an_invalid_question_is_rejected_with_the_error_beside_the_field(author, client):
    options = options_for("multiple_choice")
    options[1]["is_correct"] = True  # two keys
    options[2]["explanation"] = ""  # and an unexplained option
    response = client.post(ADD_URL, form_data("multiple_choice", options, pillars=[], references=""))
    assert response.status_code == 200
    assert not Question.objects.exists()
    adminform = response.context["adminform"].form
    assert adminform.errors["pillars"] == ["choose at least one pillar (scalability, cost-effectiveness, security)"]
    assert adminform.errors["references"] == ["a published question needs at least one AWS documentation reference"]
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[2].errors["explanation"] == ["every option needs its own explanation"]
    content = response.content.decode()
    assert "choose at least one pillar" in content
    assert "every option needs its own explanation" in content


def test_the_option_rules_are_shown_above_the_options(author, client):
    options = options_for("multiple_choice")
    options[1]["is_correct"] = True
    response = client.post(ADD_URL, form_data("multiple_choice", options))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [
        "options: multiple choice needs exactly 1 correct of 4 options (has 2 correct of 4)"
    ]
    assert not Question.objects.exists()


def test_a_multiple_response_stem_must_say_how_many(author, client):
    response = client.post(ADD_URL, form_data("multiple_response", stem="Which actions meet this?"))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "stem: a multiple-response stem must say how many to choose" in formset.non_form_errors()[0]


def test_editing_the_key_of_a_published_question_records_a_new_version(author, client):
    client.post(ADD_URL, form_data("multiple_choice"))
    question = Question.objects.get(uid="admin-multiple_choice")
    url = reverse("admin:questions_question_change", args=[question.pk])
    data = form_data("multiple_choice", **{"options-INITIAL_FORMS": "4"})
    for i, option in enumerate(question.options.all()):
        data[f"options-{i}-id"] = option.pk
        data[f"options-{i}-question"] = question.pk
    data.pop("options-0-is_correct")
    data["options-3-is_correct"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.version == 2
    assert question.options.get(is_correct=True).text == "Choice 4"
    assert list(question.versions.values_list("version", flat=True)) == [1, 2]
    # saving again without a change records nothing new
    data["options-INITIAL_FORMS"] = "4"
    client.post(url, data)
    question.refresh_from_db()
    assert question.version == 2


def test_changelist_filters_and_search(author, client):
    QuestionFactory(uid="sec-q", task_statement=task("MLA-C01 4.3"), pillars=["security"], difficulty="hard")
    QuestionFactory(
        uid="cost-q",
        task_statement=task("MLA-C01 1.1"),
        pillars=["cost-effectiveness"],
        type="matching",
        status="draft",
    )
    url = reverse("admin:questions_question_changelist")

    def uids(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {q.uid for q in response.context["cl"].result_list}

    assert uids() == {"sec-q", "cost-q"}
    assert uids(exam="MLA-C01") == {"sec-q", "cost-q"}
    assert uids(exam="MLA-C02") == set()
    assert uids(task_statement__domain__id__exact=task("MLA-C01 4.3").domain_id) == {"sec-q"}
    assert uids(task_statement__id__exact=task("MLA-C01 1.1").pk) == {"cost-q"}
    assert uids(pillars__id__exact=Pillar.objects.get(slug="security").pk) == {"sec-q"}
    assert uids(type__exact="matching") == {"cost-q"}
    assert uids(difficulty__exact="hard") == {"sec-q"}
    assert uids(status__exact="draft") == {"cost-q"}
    assert uids(stage__exact="data_preparation") == {"sec-q", "cost-q"}
    assert uids(q="SageMaker Model Monitor") == {"cost-q"}  # an option's text
    assert uids(q="lowest cost") == {"sec-q"}  # the stem


def test_preview_hides_the_key_until_asked(author, client):
    question = QuestionFactory(type="ordering")
    url = reverse("admin:questions_question_preview", args=[question.pk])
    learner_view = client.get(url).content.decode()
    assert "Put the steps of the workflow in order." in learner_view
    assert "Step 1" in learner_view
    assert "comes" not in learner_view  # no option explanation
    assert question.explanation not in learner_view
    keyed = client.get(url, {"key": "1"}).content.decode()
    assert "Step 2 comes 2" in keyed and question.explanation in keyed and DOC in keyed


def test_preview_of_choice_question_shows_choose_n_without_marking_the_key(author, client):
    question = QuestionFactory(type="multiple_response")
    html = client.get(reverse("admin:questions_question_preview", args=[question.pk])).content.decode()
    assert "Choose 2." in html
    assert "checked" not in html and "Correct." not in html
    keyed = client.get(reverse("admin:questions_question_preview", args=[question.pk]), {"key": "1"})
    assert keyed.content.decode().count("Correct.") == 2


def test_duplicate_publish_and_retire(author, client):
    question = QuestionFactory(uid="orig", status="draft")
    url = reverse("admin:questions_question_changelist")
    client.post(url, {"action": "duplicate_selected", "_selected_action": [question.pk]})
    copy = Question.objects.get(uid="orig-copy")
    assert copy.status == "draft" and copy.options.count() == 4
    assert list(copy.pillars.values_list("slug", flat=True)) == ["security"]

    broken = QuestionFactory(uid="broken", status="draft", references=[])
    response = client.post(url, {"action": "publish_selected", "_selected_action": [copy.pk, broken.pk]}, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert "Published 1 question(s)." in texts
    assert any(t.startswith("broken not published: references: a published question needs") for t in texts)
    assert Question.objects.get(uid="orig-copy").status == "published"
    assert Question.objects.get(uid="broken").status == "draft"
    assert QuestionVersion.objects.filter(question=copy, version=1).exists()

    client.post(url, {"action": "retire_selected", "_selected_action": [copy.pk]})
    assert Question.objects.get(uid="orig-copy").status == "retired"

    response = client.post(reverse("admin:questions_question_duplicate", args=[question.pk]))
    assert response.status_code == 302
    assert Question.objects.filter(uid="orig-copy-2").exists()


def test_authors_have_exactly_the_question_bank_permissions(catalog):
    perms = set(Group.objects.get(name="Authors").permissions.values_list("content_type__app_label", "codename"))
    assert {codename for app, codename in perms if app != "questions"} == {
        "view_itemstatistic", "view_examstatistic", "view_regrade",  # statistics of their questions, regrade log
        "view_logentry",  # the audit log (mlaexam/audit.py), read-only
    }  # fmt: skip
    assert {codename for app, codename in perms if app == "questions"} == {
        "add_question", "change_question", "view_question",
        "add_option", "change_option", "delete_option", "view_option",
        "add_case", "change_case", "delete_case", "view_case",
        "view_questionversion", "view_exam", "view_domain", "view_taskstatement", "view_pillar", "view_service",
    }  # fmt: skip
    assert Permission.objects.filter(group__name="Authors", codename__contains="user").count() == 0


def test_the_author_cannot_touch_users_or_groups_or_blueprints(author, client):
    for name in ["auth_user_changelist", "auth_user_add", "auth_group_changelist"]:
        assert client.get(reverse(f"admin:{name}")).status_code == 403
    other = User.objects.create_user("victim", password="pw-victim-123")
    assert client.get(reverse("admin:auth_user_change", args=[other.pk])).status_code == 403
    response = client.post(reverse("admin:auth_user_change", args=[other.pk]), {"username": "x", "is_superuser": "on"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert not other.is_superuser
    assert client.get(reverse("admin:questions_exam_add")).status_code == 403
    assert client.get(reverse("admin:questions_exam_changelist")).status_code == 200  # read-only view


def test_a_learner_cannot_enter_the_admin(catalog, client):
    learner = User.objects.create_user("learner", password="pw-learner-123")
    client.force_login(learner)
    response = client.get(ADD_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
