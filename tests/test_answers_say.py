"""Every answer shows in the directive, and no article says the opposite of it.

For every question of the questionnaire, the directive is built with each of its values (each choice,
each single choice of a list and none, yes and no, the bounds of a number and the number written with
another unit, a marker text, the special answers it allows). The text must differ from one value to the
next — an answer that changes nothing is an answer the directive ignores — and the phrases that would
contradict a value must be absent, those that state it present.
"""
from __future__ import annotations

import re
from functools import cache

import pytest
from conftest import EXAMPLES

from toolkit import answers as answers_mod, api, expressions
from toolkit.api import BuildOptions
from toolkit.questionnaire import MISSING, Question

Q = api.questionnaire()
OPTIONS = BuildOptions(langs=("en",), citations="none")
REQUIRED = {"jurisdiction": "Ruritania", "issuing_authority": "Ruritania Prison Service",
            "directive_reference": "PSI 1/2026", "adoption_date": "2026-11-22"}

# Answers under which a question is asked, where neither the defaults nor an example ask it.
ENABLE = {
    "excluded_offences": {"offence_exclusion": "excluded"},
    "drug_testing": {"drug_free_unit": True},
    "board_chair_appointed_by": {"decision_body": "board_director", "board_chair": "independent"},
    "open_regime_name": {"security_classification_rule": "open_regime"},
    "family_visit_stays_until": {"family_visit_stays": True},
    "family_visit_stays_max_age_months": {"family_visit_stays": True, "family_visit_stays_until": "fixed"},
    "separation_notice_days": {"separation_mode": "fixed_date"},
    "suspension_max_days": {"suspension_available": True},
    "family_term": {"separation_plan_led_by": "parent_and_family"},
    # a name that the directive defines only where that authority has a role
    "regional_director_title": {"separation_decision_by": "regional_director"},
    "prosecutor_name": {"notify_on_death": ["prosecutor"]},
    "other_instruments": {"sections_elsewhere": ["staff"]},
}

# What a value must say (`says`) and must never say (`never`), phrases of the English directive.
STATEMENTS = {
    ("termination_grounds", ("breach",)): {"says": ["A breach of the conditions of the unit or of the parenting "
                                                    "agreement is a ground for ending the stay"],
                                           "never": ["as in itself a ground for separation"]},
    ("termination_grounds", ()): {"says": ["as in itself a ground for separation"], "never": ["ends only:"]},
    ("child_costs_borne_by", "parent_waiver"): {"says": ["contribute, according to the parent's means"],
                                               "never": ["the parent bears no cost"]},
    ("child_costs_borne_by", "maintenance_debtor"): {"says": ["persons liable for it under the law"],
                                                    "never": ["the parent bears no cost"]},
    ("child_costs_borne_by", "administration_basic"): {"says": ["The parent provides the other items"],
                                                      "never": ["the parent bears no cost"]},
    ("facilities", ()): {"never": ["the nursery", "a nursery where"]},
    ("age_extension", False): {"never": ["extension of the stay", "extensions of stay", "stay is not extended",
                                         "on extensions", "apply for an extension"]},
    ("age_extension_ceiling", False): {"says": ["no upper age is set"], "never": ["at the latest"]},
    ("part_time_residence", False): {"never": ["part-time"]},
    ("reapplication_months", "not_regulated"): {"says": ["a new application after a refusal"],
                                                "never": ["a new application may be made",
                                                          "new application at any time"]},
    ("decision_body", "director"): {"says": ["on the file of the application"],
                                    "never": ["social worker", "admission board"]},
    ("decision_body", "director_report"): {"says": ["social worker"], "never": ["admission board"]},
    ("decision_body", "parent_declaration"): {"says": ["declare it in writing"], "never": ["admission board"]},
    ("decision_body", "court"): {"never": ["admission board"]},
    ("decision_body", "child_welfare"): {"never": ["admission board"]},
    ("minor_parents", "does_not_apply"): {"says": ["law on juvenile justice, which governs"],
                                          "never": ["on the same conditions as an adult parent",
                                                    "cannot keep the child in prison"]},
    ("minor_parents", False): {"never": ["on the same conditions as an adult parent"]},
    ("remand_eligible", False): {"never": ["held on remand is eligible"]},
    ("offence_exclusion", "none"): {"says": ["offence type"], "never": ["is not eligible", "listed offence"]},
    ("appeal_suspends_decision", False): {"says": ["An appeal does not suspend the decision"],
                                          "never": ["remain with the parent until the appeal is decided"]},
    ("appeal_body", "not_regulated"): {"says": ["appeals against decisions on admission"], "never": ["may appeal"]},
    ("appeal_body", "none"): {"never": ["may appeal"]},
    ("care_plan_weeks", "not_regulated"): {"says": ["the time within which the child's care plan is agreed"],
                                           "never": ["The care plan shall be agreed within"]},
    ("placement_review_months", "not_regulated"): {"never": ["at least every"]},
    ("eligible_carers", ("mothers",)): {"never": ["A father may apply", "guardianship for a child, or who"]},
    ("security_classification_rule", "not_maximum"): {"never": ["any security classification"]},
    ("security_classification_rule", "open_regime"): {"never": ["any security classification"]},
    ("parent_course_timing", "before_admission"): {"says": ["Before the child is admitted to the unit, the parent "
                                                            "shall complete"],
                                                   "never": ["of the child's arrival in the unit, the parent"]},
    ("birth_place_record", "street_and_number"): {"says": ["the street and the number"], "never": ["town or district"]},
    ("liaison_officer_scope", "unit_prisons"): {"never": ["every women's prison"]},
    ("other_parent_role", "consulted"): {"never": ["family court"]},
    ("other_parent_role", "may_object"): {"says": ["family court judge"]},
    ("excluded_offences", "violent_or_sexual_against_children"): {"says": ["sexual or violent offending against"],
                                                                  "never": ["any sexual offence"]},
    ("fathers_condition", "always"): {"never": ["deceased or unable"]},
    ("notify_on_admission", ()): {"never": ["The decision shall be communicated to"]},
    ("suspension_available", False): {"never": ["suspend the placement"]},
    ("emergency_admission", False): {"never": ["emergency reception"]},
    ("registration_assistance", "not_regulated"): {"never": ["civil registrar", "civil registry"]},
}


def values_of(question: Question) -> list:
    """The values a question is built with."""
    if question.type == "bool":
        values = [True, False]
    elif question.type == "choice":
        values = [c.value for c in question.choices]
    elif question.type == "multi":
        values = [[], *([c.value] for c in question.choices), [c.value for c in question.choices]]
    elif question.type == "int":
        values = list(dict.fromkeys(v for v in (question.min, question.max) if v is not None))
        if question.unit in ("months", "days") and question.max is not None:
            unit, size = {"months": ("years", 12), "days": ("weeks", 7)}[question.unit]
            if question.max // size * size > (question.min or 0) and question.max >= size:
                values.append(f"{question.max // size} {unit}")   # the maximum, in the larger unit
    elif question.type == "text":
        marker = question.example.split(",")[0].strip() if question.pattern else f"Marker {question.key}"
        values = [marker] + ([None] if question.optional else [])
    else:
        values = []
    return values + list(question.allow)


@cache
def bases() -> tuple[dict, ...]:
    """The defaults and every example, as answers files would give them."""
    found = [dict(REQUIRED)]
    for path in EXAMPLES:
        loaded = answers_mod.load(Q, path)
        found.append({k: answers_mod.as_data(v) for k, v in loaded.values.items() if v is not None})
    return tuple(found)


def base_for(question: Question) -> dict:
    """Answers under which the question is asked."""
    for base in bases():
        given = {**base, **ENABLE.get(question.key, {})}
        if expressions.holds(question.when, answers_mod.validate(Q, given).values):
            return given
    raise AssertionError(f"no answers ask {question.key}; add it to ENABLE")


@cache
def text_for(key: str, value_repr: str) -> str:
    question = Q.by_key[key]
    value = eval(value_repr, {"__builtins__": {}})  # the repr of a plain value written by this module
    given = {**base_for(question), key: value}
    if value is None:
        given.pop(key)
    number = value is not None and not isinstance(value, str)
    for other in Q:   # a maximum below its minimum is refused: keep the bounds of the other answers apart
        if number and other.key in given and key in dict(other.relations()).values():
            given.pop(other.key)
    for kind, related in question.relations() if number else ():
        given[related] = Q.by_key[related].min if kind == "above" else Q.by_key[related].max
    loaded = answers_mod.validate(Q, given)
    markdown = api.render_markdown(loaded, "en", OPTIONS)
    # as a reader searches it: typographic apostrophes and quotation marks read as typed ones
    plain = markdown.replace("\\", "").translate(str.maketrans({"\u2019": "'", "\u201c": '"', "\u201d": '"'}))
    return re.sub(r"\s+", " ", plain)


QUESTIONS = [q for q in Q if q.type != "date"]


@pytest.mark.parametrize("key", [q.key for q in QUESTIONS])
def test_each_value_of_a_question_changes_the_directive(key):
    question = Q.by_key[key]
    texts = {repr(v): text_for(key, repr(v)) for v in values_of(question)}
    same = [(a, b) for i, a in enumerate(texts) for b in list(texts)[i + 1:] if texts[a] == texts[b]]
    assert same == [], f"{key}: these answers give the same directive"


@pytest.mark.parametrize("case", list(STATEMENTS), ids=lambda c: f"{c[0]}={c[1]}")
def test_no_article_says_the_opposite_of_an_answer(case):
    key, value = case
    value = list(value) if isinstance(value, tuple) else value
    text = text_for(key, repr(value))
    expected = STATEMENTS[case]
    assert [p for p in expected.get("says", []) if p not in text] == []
    assert [p for p in expected.get("never", []) if p.lower() in text.lower()] == []


def test_every_question_is_built_with_each_of_its_values():
    assert {q.key for q in Q if q.type != "date" and values_of(q)} == {q.key for q in QUESTIONS}
    assert all(q.default is MISSING or q.default is None or q.type for q in Q)
