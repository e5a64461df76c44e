"""toolkit.interview: the interview without a terminal, as a web form uses it — what to ask next and what
to propose, back, the answers taken by default, the review listing — and the rules of the question model
it rests on (computed defaults, relations, essentials), shared with answers files."""
from __future__ import annotations

from datetime import date

import pytest
from test_prompt import english_afterwards, small  # noqa: F401 - fixtures shared with the prompt tests

from toolkit import answers, i18n, interview, questionnaire as questionnaire_mod
from toolkit.errors import AnswersError, DefinitionError
from toolkit.interview import State
from toolkit.questionnaire import MISSING

EN = i18n.translator("en")


def keys(steps):
    return [step.question.key for step in steps]


def test_the_plan_puts_the_essentials_first(small):
    assert [q.key for q in interview.plan(small)] == ["name", "adopted", "max_age", "extension", "extended_age",
                                                      "nickname", "extension_months", "decision", "members"]


def test_pending_lists_the_open_questions_of_a_phase_with_their_proposals(small):
    state = State()
    steps = interview.pending(small, state, small.essentials())
    assert keys(steps) == ["name", "adopted", "max_age", "extension"]  # extended_age waits for extension
    assert steps[2].proposal == 24 and steps[0].proposal is MISSING
    state = interview.answer(small, state, "max_age", 48)
    state = interview.answer(small, state, "extension", True)
    step = interview.pending(small, state, small.essentials())[-1]
    assert (step.question.key, step.proposal) == ("extended_age", 60)   # computed from the age limit


def test_an_answer_is_checked_against_the_earlier_ones(small):
    state = interview.answer(small, State(), "max_age", 48)
    state = interview.answer(small, state, "extension", True)
    with pytest.raises(ValueError, match=r"expected more than 48 months \(the answer to “Age limit”, max_age\), "
                                         r"found 48 months"):
        interview.answer(small, state, "extended_age", 48)
    with pytest.raises(ValueError, match="expected a number of months from 1 to 120, found 200"):
        interview.check(small, state, "extended_age", 200)


def test_a_change_that_breaks_a_later_answer_reports_it_at_its_question(small):
    state = State({"name": "R", "adopted": date(2026, 1, 1), "max_age": 24, "extension": True, "extended_age": 30})
    assert interview.pending(small, state, small.essentials()) == []
    state = interview.answer(small, state, "max_age", 36)
    [step] = interview.pending(small, state, small.essentials())
    assert step.question.key == "extended_age" and step.proposal == 48
    assert step.problem == "expected more than 36 months (the answer to “Age limit”, max_age), found 30 months"


def test_back_and_forward_through_a_phase(small):
    among = small.essentials()
    state = State({"name": "R", "adopted": date(2026, 1, 1)})
    assert interview.previous(small, state, "max_age", among).key == "adopted"
    assert interview.previous(small, state, "name", among) is None
    again = interview.revisit(small, state, "adopted")
    assert again.revisit and again.proposal == date(2026, 1, 1)
    # gone back from the age limit to the name: going on asks the date again (reached before), then the age
    following = interview.following(small, state, "name", among, furthest="adopted")
    assert following.question.key == "adopted" and following.revisit
    assert interview.following(small, state, "adopted", among, furthest="adopted").question.key == "max_age"


def test_a_question_that_no_longer_applies_is_skipped_going_back(small):
    state = State({"name": "R", "adopted": date(2026, 1, 1), "max_age": 24, "extension": False})
    assert interview.previous(small, state, "nickname", interview.plan(small)).key == "extension"
    assert not interview.applies(small, state, "extended_age")


def test_proposals_taken_are_marked_and_reviewing_them_unmarks(small):
    state = State({"name": "R", "adopted": date(2026, 1, 1), "max_age": 24, "extension": False})
    assert [q.key for q in interview.remaining(small, state)] == ["nickname", "decision", "members"]
    state = interview.take_proposals(small, state, small.others())
    assert state.answers["decision"] == "board" and state.answers["nickname"] is None
    assert state.defaulted == {"nickname", "decision", "members"}
    assert interview.remaining(small, state) == [small.by_key[k] for k in ("nickname", "decision", "members")]
    assert interview.pending(small, state) == []
    assert keys(interview.pending(small, state, unseen=True)) == ["nickname", "decision", "members"]
    state = interview.mark_seen(state, ["decision"])
    assert state.defaulted == {"nickname", "members"}
    state = interview.answer(small, state, "members", ["legal"])
    assert state.defaulted == {"nickname"} and interview.complete(small, state)


def test_the_review_numbers_the_answers_by_group_with_short_labels(small):
    state = State({"name": "R", "adopted": date(2026, 1, 1), "max_age": 24, "extension": True, "extended_age": 36,
                   "extension_months": 6, "decision": "court", "members": []}, {"extension_months"})
    sections = interview.review(small, state, EN)
    assert [(s.key, s.heading) for s in sections] == [("basics", "The basics"), ("more", "Extension and decisions")]
    assert [(i.number, i.label, i.value, i.defaulted) for s in sections for i in s.items] == [
        (1, "Name", "R", False), (2, "Adoption", "2026-01-01", False), (3, "Age limit", "24 months", False),
        (4, "Extension", "yes", False), (5, "Extended age", "36 months", False), (6, "Extension length", "6", True),
        (7, "Decision", "a court", False), (8, "Board members", "none of these", False)]
    assert interview.item(sections, 7).key == "decision" and interview.item(sections, 9) is None
    only = interview.review(small, state, EN, keys=["decision"])
    assert [(i.number, i.key) for s in only for i in s.items] == [(1, "decision")]


def test_a_state_read_from_an_answers_file_keeps_its_defaults_that_still_hold(small):
    data = {"_language": "fr", "_defaults": ["decision", "members"], "name": "R", "decision": "board",
            "members": ["legal"]}
    state = State.of(small, data)
    assert state.defaulted == {"decision"}            # members was edited since: reviewed
    assert "_language" not in state.answers


@pytest.mark.parametrize("typed, kind, expected", [
    ("48", "max_age", 48), ("quarante", "max_age", "quarante"), ("sí", "extension", True),
    ("2", "decision", "director"), ("court", "decision", "court"), ("3,1", "members", ["legal", "health"]),
    ("0", "members", []), ("", "name", None),
])
def test_typed_text_is_read_as_an_answer_to_check(small, typed, kind, expected):
    assert interview.parse(small.by_key[kind], typed) == expected


# -- the rules of the question model, one definition for the interview and answers files

def test_answers_files_follow_the_same_relation_and_computed_default(small):
    given = {"name": "R", "adopted": date(2026, 1, 1), "max_age": 48, "extension": True}
    assert answers.validate(small, given)["extended_age"] == 60
    with pytest.raises(AnswersError, match="extended_age: expected more than 48 months"):
        answers.validate(small, {**given, "extended_age": 48})


def test_a_proposal_keeps_to_the_bounds_and_relations(small):
    question = small.by_key["extended_age"]
    assert small.proposal(question, {"max_age": 96}) == 108
    assert small.proposal(question, {"max_age": None}) == 36
    capped = questionnaire_mod.Question(key="x", type="int", question="?", min=1, max=26, default=4, at_most="y")
    lone = questionnaire_mod.Questionnaire((), {"x": capped, "y": capped})
    assert lone.proposal(capped, {"y": 2}) == 2 and lone.proposal(capped, {"y": 12}) == 4


def test_the_toolkit_questionnaire_has_at_most_thirty_essentials_and_a_label_for_every_question():
    real = questionnaire_mod.load()
    assert 20 <= len(real.essentials()) <= 30
    assert [q.key for q in real if not q.short_label] == []
    assert all(q.essential for q in real if q.required), "a question with no default must be asked among the first"
    values = real.defaults()
    assert values["max_age_extended_months"] > values["max_age_months"]


def write_questions(tmp_path, text: str):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "a.yaml").write_text("group: g\ntitle: G\nquestions:\n" + text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("text, message", [
    ("  - {key: a, type: int, question: A?, default: 1}\n"
     "  - {key: b, type: int, question: B?, default: 2, essential: true, above: a}\n",
     "b: is essential but depends on questions that are not: a (mark them essential too)"),
    ("  - {key: a, type: bool, question: A?, default: true, when: b}\n  - {key: b, type: bool, question: B?}\n",
     "a: reads the answers to later questions: b"),
    ("  - {key: a, type: int, unit: months, question: A?, default: 1}\n"
     "  - {key: b, type: int, unit: weeks, question: B?, default: 2, above: a}\n",
     "b: relates to a, but both must be numbers in the same unit"),
    ("  - {key: a, type: int, question: A?, default: 1}\n"
     "  - {key: b, type: int, question: B?, default: 5, default_from: a + 1}\n",
     "b: the default 5 differs from a + 1 = 2 over the other defaults"),
    ("  - {key: a, type: int, question: A?, default: 1}\n"
     "  - {key: b, type: int, question: B?, default: 2, default_from: 'max(a, 3)'}\n",
     "call is not allowed in a computation"),
    ("  - {key: a, type: text, question: A?, default: x}\n"
     "  - {key: b, type: int, question: B?, default: 2, default_from: a + 1}\n",
     "default_from computes a number from numbers; a is not a number"),
    ("  - {key: a, type: int, question: A?, default: 1, label: ''}\n", "label: expected some text"),
])
def test_definition_mistakes_are_named_with_file_and_question(tmp_path, text, message):
    with pytest.raises(DefinitionError) as error:
        questionnaire_mod.load(write_questions(tmp_path, text))
    assert message in str(error.value) and "a.yaml" in str(error.value)


def test_an_age_written_in_years_relates_and_proposes_in_months():
    real = questionnaire_mod.load()
    limit = real.by_key["max_age_months"].coerce("4 years")
    extended = real.by_key["max_age_extended_months"]
    values = {"max_age_months": limit, "age_extension": True, "age_extension_ceiling": True}
    assert real.proposal(extended, values) == 60
    with pytest.raises(ValueError, match=r"expected more than 4 years \(the answer to “Age limit”, max_age_months\), "
                                         r"found 48 months"):
        real.accept(extended, 48, values)
    assert real.accept(extended, "5 years", values) == 60
    assert real.relation_problem(extended, "not_regulated", values) is None   # a special answer is not compared
