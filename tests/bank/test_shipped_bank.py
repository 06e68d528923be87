"""The shipped bank (questions/bank/) meets its coverage minimums, so a later edit cannot silently
drop below them. Pure file checks: no database."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from questions.bankcheck import coverage_items, forms_supported
from questions.blueprint import read_catalog
from questions.services import bank_read

COVERS = yaml.safe_load((Path(__file__).parent / "covers.yaml").read_text())


@pytest.fixture(scope="module")
def bank():
    catalog = read_catalog(settings.BLUEPRINT_DIR)
    files = bank_read(bank_dir=settings.BANK_DIR, catalog=catalog)
    published = [q for f in files for q in f.questions if q.status == "published"]
    return catalog, files, published


def share(counter: Counter, key: str, total: int) -> float:
    return counter[key] / total


def test_no_problems_at_all(bank):
    _, files, _ = bank
    assert [str(p) for f in files for p in f.problems] == []


def test_enough_for_four_distinct_full_forms(bank):
    catalog, files, published = bank
    assert len(published) >= 260
    exam = catalog.exams["MLA-C01"]
    items = coverage_items(files, catalog)
    assert forms_supported(exam, items) >= 4
    by_domain = Counter(q.task.split()[1][0] for q in published)
    for domain, weight in {"1": 28, "2": 26, "3": 22, "4": 24}.items():
        assert abs(100 * by_domain[domain] / len(published) - weight) <= 2, (domain, by_domain)


def test_every_task_statement_has_fifteen(bank):
    _, _, published = bank
    by_task = Counter(q.task for q in published)
    assert len(by_task) == 12
    assert min(by_task.values()) >= 15, by_task


def test_everything_each_task_statement_covers_is_touched(bank):
    _, _, published = bank
    text: dict[str, str] = {}
    for q in published:
        blob = " ".join([q.stem, q.explanation] + [f"{o.text} {o.explanation} {o.prompt}" for o in q.options])
        code = q.task.split()[1]
        text[code] = text.get(code, "") + " " + blob.lower()
    missing = {
        code: [terms for terms in wanted if not any(t in text[code] for t in terms)] for code, wanted in COVERS.items()
    }
    assert {code: terms for code, terms in missing.items() if terms} == {}


def test_pillars_stages_types_and_difficulty(bank):
    _, _, published = bank
    n = len(published)
    pillars = Counter(p for q in published for p in q.pillars)
    for pillar in ("scalability", "cost-effectiveness", "security"):
        assert share(pillars, pillar, n) >= 0.25, pillars
    stages = Counter(q.stage for q in published)
    for stage in ("data_preparation", "model_training", "model_deployment", "monitoring_operations"):
        assert share(stages, stage, n) >= 0.15, stages
    types = Counter(q.type for q in published)
    assert share(types, "multiple_choice", n) > 0.5
    assert share(types, "multiple_response", n) >= 0.15
    assert types["ordering"] >= 15 and types["matching"] >= 15
    difficulty = Counter(q.difficulty for q in published)
    assert 0.18 <= share(difficulty, "easy", n) <= 0.32
    assert 0.40 <= share(difficulty, "medium", n) <= 0.60
    assert 0.18 <= share(difficulty, "hard", n) <= 0.32


def test_at_least_six_case_studies_of_two_to_four(bank):
    _, _files, published = bank
    cases = Counter(q.case for q in published if q.case)
    assert len(cases) >= 6
    assert all(2 <= n <= 4 for n in cases.values()), cases


def test_every_distractor_pair_is_taught_twice(bank):
    catalog, _, published = bank
    taught = Counter(pair for q in published for pair in q.teaches)
    assert set(catalog.pairs) == set(taught)
    assert all(taught[pair] >= 2 for pair in catalog.pairs), taught


def test_every_question_is_referenced_and_mapped_to_mla_c02_where_it_can_be(bank):
    catalog, files, published = bank
    assert all(q.references for q in published)
    choice = [q for q in published if q.type in ("multiple_choice", "multiple_response")]
    assert all(q.also and q.also.startswith("MLA-C02 ") for q in choice)
    assert forms_supported(catalog.exams["MLA-C02"], coverage_items(files, catalog)) >= 2
