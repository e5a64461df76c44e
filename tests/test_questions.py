"""`draft questions`: the listing and the JSON Schema of answers files, which must accept exactly what
answers validation accepts; and answers validation itself, every problem at once with its line."""
from __future__ import annotations

import json
import re
from datetime import date

import jsonschema
import pytest
from test_prompt import english_afterwards, french, small  # noqa: F401 - fixtures shared with the prompt tests

from toolkit import answers, i18n, questionnaire as questionnaire_mod, schema
from toolkit.errors import AnswersError


@pytest.fixture(scope="module")
def real():
    return questionnaire_mod.load()


def schema_of(invoke, *args: str) -> dict:
    result = invoke("questions", "--json-schema", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- the listing

def test_listing_names_every_question_under_its_group(invoke, real):
    result = invoke("questions")
    assert result.exit_code == 0, result.output
    out = result.stdout
    positions = [out.index(f"\n{q.key}  (") for q in real]
    assert positions == sorted(positions)
    for group in real.groups:
        assert f"== {group.title} ==" in out


def test_listing_says_what_each_question_takes(invoke, small):
    out = invoke("questions").stdout
    assert out.startswith("== The basics ==\nname  (text; required; essential)\n"
                          "    What is the name of the jurisdiction?\n")
    for line in ["nickname  (text; optional)", "adopted  (date; required; essential)",
                 "max_age  (int 0..96 months; default: 24; essential)", "extension  (bool; default: false; essential)",
                 "extended_age  (int 1..120 months; default: 36; proposed: max_age + 12; more than max_age; essential; "
                 "asked when extension)",
                 "extension_months  (int 1..12; default: 6; asked when extension)",
                 'decision  (choice: board, director, court; default: "board")',
                 'members  (multi: health, social, legal; default: ["health", "social"])']:
        assert f"\n{line}\n" in out, line


def test_listing_in_french(invoke, small, french):
    result = invoke("questions", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert "== L'essentiel ==" in result.stdout and "    Quel est le nom de la juridiction ?" in result.stdout


def test_an_unknown_language_is_bad_input(invoke):
    result = invoke("questions", "--lang", "xx")
    assert result.exit_code == 2
    assert "--lang: expected a language from en, es, fr, found" in result.stderr
    assert "Traceback" not in result.output


# -- the JSON Schema

def test_json_schema_describes_each_question(invoke, small):
    document = schema_of(invoke)
    jsonschema.Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["additionalProperties"] is False
    assert document["required"] == ["name", "adopted"]
    props = document["properties"]
    assert list(props) == ["_language", "_defaults", *small.keys()]
    assert props["_defaults"]["items"]["enum"] == small.keys()
    assert "more than max_age." in props["extended_age"]["description"]
    assert props["name"]["title"] == "What is the name of the jurisdiction?"
    assert props["name"]["description"] == "As it appears in official texts (QUNO guidelines III(a))."
    text, by_language, null = props["nickname"]["anyOf"]
    assert by_language["type"] == "object"
    assert text["type"] == ["string", "number"] and null == {"type": "null"}
    validator = jsonschema.Draft202012Validator(props["nickname"])
    assert validator.is_valid({"en": "the Kingdom of Nordmark", "fr": "le Royaume de Nordmark"})
    assert validator.is_valid(None) and validator.is_valid("Nordmark")
    assert not validator.is_valid({"English": "Nordmark"}) and not validator.is_valid({})
    assert props["adopted"] == {"title": "On what date is the directive adopted?", "description": "",
                                "type": "string", "format": "date"}
    number, with_unit = props["max_age"]["anyOf"]
    assert number == {"type": "integer", "minimum": 0, "maximum": 96} and props["max_age"]["default"] == 24
    assert with_unit["type"] == "string" and re.fullmatch(with_unit["pattern"], "3 years")
    assert props["extension"]["type"] == "boolean" and props["extension"]["default"] is False
    assert "Asked only when extension." in props["extension_months"]["description"]
    assert props["decision"]["enum"] == ["board", "director", "court"]
    assert "court: a court" in props["decision"]["description"]
    assert props["members"]["items"] == {"enum": ["health", "social", "legal"]}
    assert props["members"]["default"] == ["health", "social"]


def test_json_schema_of_the_toolkit_questionnaire(invoke, real):
    document = schema_of(invoke)
    jsonschema.Draft202012Validator.check_schema(document)
    assert list(document["properties"]) == ["_language", "_defaults", *real.keys()]
    assert document["required"] == [q.key for q in real if q.required and q.when is None]
    for question in real:
        prop = document["properties"][question.key]
        assert prop["title"] == question.question
        assert prop["title"] == question.question
        if question.choices:
            enum = prop["enum"] if question.type == "choice" else prop["items"]["enum"]
            assert [v for v in enum if v is not None and v not in question.allow] == [c.value for c in question.choices]
        if question.default is not questionnaire_mod.MISSING:
            jsonschema.validate(prop["default"], prop)


def test_json_schema_in_french(invoke, small, french):
    props = schema_of(invoke, "--lang", "fr")["properties"]
    assert props["name"]["title"] == "Quel est le nom de la juridiction ?"
    assert "court: un tribunal" in props["decision"]["description"]


VALID = {"name": "Ruritania", "nickname": "Rur", "adopted": date(2026, 1, 1), "max_age": 36, "extension": True,
         "extension_months": 3, "decision": "court", "members": ["legal"]}


@pytest.mark.parametrize("change, valid", [
    ({}, True),
    ({"nickname": None}, True),
    ({"name": 2026}, True),
    ({"adopted": "2026-01-01"}, True),
    ({"max_age": 24.0}, True),
    ({"max_age": "2 years"}, True),
    ({"max_age": "36 Months"}, True),
    ({"members": None}, True),
    ({"members": []}, True),
    ({"name": ""}, False),
    ({"name": ["a"]}, False),
    ({"adopted": 20260101}, False),
    ({"max_age": 97}, False),
    ({"max_age": "24"}, False),
    ({"max_age": 24.5}, False),
    ({"extension": "yes"}, False),
    ({"decision": "judge"}, False),
    ({"members": ["health", "judge"]}, False),
    ({"members": "health"}, False),
    ({"nmae": "x"}, False),
    ({"_language": "fr", "_defaults": ["decision", "members"]}, True),
    ({"_language": "French"}, False),
    ({"_defaults": ["nmae"]}, False),
    ({"_defaults": "decision"}, False),
    ({"_notes": "x"}, False),
], ids=repr)
def test_the_schema_accepts_what_validation_accepts(small, change, valid):
    data = {**VALID, **change}
    document = schema.json_schema(small, i18n.translator("en"))
    schema_ok = jsonschema.Draft202012Validator(document).is_valid({k: schema.as_json(v) for k, v in data.items()})
    try:
        answers.validate(small, data)
        validation_ok = True
    except AnswersError:
        validation_ok = False
    assert (schema_ok, validation_ok) == (valid, valid)


@pytest.mark.parametrize("missing", ["name", "adopted"])
def test_the_schema_requires_what_validation_requires(small, missing):
    data = {k: schema.as_json(v) for k, v in VALID.items() if k != missing}
    assert not jsonschema.Draft202012Validator(schema.json_schema(small, i18n.translator("en"))).is_valid(data)
    with pytest.raises(AnswersError, match=f"{missing}: expected an answer"):
        answers.validate(small, {k: v for k, v in VALID.items() if k != missing})


# -- answers validation: every problem at once, with its line, unknown keys with a suggestion

def test_every_problem_of_an_answers_file_is_shown_at_once(invoke, write, small, tmp_path):
    path = write("bad.yaml", "name: Ruritania\nmax_aeg: 30\nmax_age: 200\ndecision: judge\nmembres: [health]\n")
    result = invoke("new", str(tmp_path / "out.yaml"), "--from", str(path), "--no-build")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"draft: {path} is not a valid answers file:",
        f"  {path}:2: max_aeg: unknown question key (did you mean 'max_age'?)",
        f"  {path}:3: max_age: expected a number of months from 0 to 96, found 200",
        f"  {path}:4: decision: expected one of board, director, court, found 'judge'",
        f"  {path}:5: membres: unknown question key (did you mean 'members'?)",
        f"  {path}: adopted: expected an answer to 'On what date is the directive adopted?', found none",
    ]
    assert not (tmp_path / "out.yaml").exists()


def test_an_optional_answer_may_be_left_empty_whatever_its_type(write, tmp_path):
    folder = tmp_path / "q"
    folder.mkdir()
    (folder / "a.yaml").write_text("group: g\ntitle: G\nquestions:\n  - key: start\n    type: date\n"
                                   "    question: When does it start?\n    optional: true\n", encoding="utf-8")
    result = answers.load(questionnaire_mod.load(folder), write("a.yaml", "start:\n"))
    assert result["start"] is None
