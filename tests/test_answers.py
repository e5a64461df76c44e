"""Answers files: what a drafter gets wrong is reported all at once, with file, line and field."""
from __future__ import annotations

import pytest
from conftest import MINIMAL

from toolkit import answers, questionnaire, yamlfile
from toolkit.errors import AnswersError, DraftError


@pytest.fixture(scope="module")
def q():
    return questionnaire.load()


def load(q, write, text, name="a.yaml"):
    return answers.load(q, write(name, text))


def test_minimal_file_takes_defaults_for_everything_else(q, write):
    result = load(q, write, MINIMAL)
    assert result["jurisdiction"] == "Ruritania"
    assert str(result["adoption_date"]) == "2026-11-22"
    for question in q:
        if question.default is not questionnaire.MISSING and question.when is None:
            assert result[question.key] == question.default, question.key


def test_every_problem_is_reported_with_its_line(q, write):
    text = MINIMAL.replace("adoption_date: 2026-11-22", "adoption_date: 22/11/2026") + "jurisdictoin: x\n"
    with pytest.raises(AnswersError) as error:
        load(q, write, text)
    message = str(error.value)
    assert "a.yaml:4: adoption_date: expected a date written YYYY-MM-DD, found '22/11/2026'" in message
    assert "a.yaml:5: jurisdictoin: unknown question key (did you mean 'jurisdiction'?)" in message


def test_missing_required_answer_names_the_question(q, write):
    with pytest.raises(AnswersError) as error:
        load(q, write, "jurisdiction: Ruritania\n")
    assert "issuing_authority: expected an answer to 'Which authority issues the directive?'" in str(error.value)


@pytest.mark.parametrize("text, expected", [
    ("", "found an empty file"),
    ("- a\n- b\n", "expected a mapping of question keys to answers, found a list"),
    ("a: [1\n", "a.yaml:2: expected valid YAML"),
    ("jurisdiction: a\njurisdiction: b\n", "a.yaml:2: expected valid YAML, found duplicate key 'jurisdiction'"),
    ("a: &x [1]\nb: *x\n", "aliases (*name) are not allowed"),
    ("a: 1\nb: *x\n", "a.yaml:2: expected valid YAML, found undefined alias"),
    ("a:\n\tb: 1\n", "tabs cannot indent YAML"),
])
def test_malformed_files(q, write, text, expected):
    with pytest.raises(DraftError) as error:
        load(q, write, text)
    assert expected in str(error.value)


@pytest.mark.parametrize("data, expected", [
    ("café".encode("latin-1"), "expected UTF-8 text, found the byte 0xe9"),
    ("a: b".encode("utf-16"), "found UTF-16"),
    (b"\x00\x01\x02binary", "found binary data"),
])
def test_encodings(q, write, data, expected):
    with pytest.raises(DraftError) as error:
        answers.load(q, write("enc.yaml", data))
    assert expected in str(error.value)


def test_utf8_bom_is_accepted(q, write):
    result = answers.load(q, write("bom.yaml", b"\xef\xbb\xbf" + MINIMAL.encode()))
    assert result["jurisdiction"] == "Ruritania"


def test_dump_round_trips_in_questionnaire_order_with_comments(q, write):
    values = load(q, write, MINIMAL).values
    text = answers.dump(q, values)
    assert "# Which jurisdiction will adopt the directive" in text
    assert text.index("jurisdiction:") < text.index("adoption_date:")
    again = answers.load(q, write("again.yaml", text))
    assert again.values == values


def test_ampersands_in_text_are_not_anchors():
    assert yamlfile.loads("a: 'Q&A'\nb: R & D\n", "a.yaml") == {"a": "Q&A", "b": "R & D"}
    with pytest.raises(DraftError, match=r"a.yaml:3: .*aliases \(\*name\) are not allowed"):
        yamlfile.loads("a: R & D\nb: &x [1]\nc: *x\n", "a.yaml")
