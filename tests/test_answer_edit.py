"""`draft answers set` and `draft answers show`: one answer changed without the questionnaire — checked with
the others, the file's comments kept, the file replaced whole or not at all — and the answers listed."""
from __future__ import annotations

import pytest
import yaml
from conftest import MINIMAL

from toolkit import answer_edit, api, output

FILE = """\
# Our notes on the answers: keep them.
_language: en
_defaults: [max_age_months, facilities]

jurisdiction: Ruritania   # as in the constitution
issuing_authority: Ruritania Prison Service
directive_reference: PSI 1/2026
adoption_date: 2026-11-22
# The age limit of the law of 2019
max_age_months: 36
age_extension: true
max_age_extended_months: 48
facilities:
- nursery
- kitchen
# the end
"""


@pytest.fixture
def answers_file(write):
    return write("r.yaml", FILE)


def test_set_changes_only_the_values_and_keeps_every_comment(invoke, answers_file):
    result = invoke("answers", "set", answers_file, "max_age_months=24", "facilities=nursery,laundry,kitchen")
    assert result.exit_code == 0, result.output
    assert "Age limit (max_age_months): 36 months → 24 months" in result.stdout
    assert ("Facilities of the unit (facilities): a nursery (crèche) in the prison, staffed by qualified childcare "
            "workers; a kitchen where parents prepare food for their children → ") in result.stdout
    assert f"wrote {answers_file}" in result.stdout
    assert answers_file.read_text(encoding="utf-8") == FILE.replace("max_age_months: 36", "max_age_months: 24") \
        .replace("- kitchen\n", "- kitchen\n- laundry\n").replace("_defaults: [max_age_months, facilities]",
                                                                    "_defaults: []")
    loaded = api.load_answers(answers_file)
    assert loaded["max_age_months"] == 24 and loaded["facilities"] == ["nursery", "kitchen", "laundry"]
    assert not {"max_age_months", "facilities"} & loaded.defaulted  # set by hand: no longer a default


def test_set_adds_an_answer_the_file_did_not_have_under_its_question(invoke, answers_file):
    result = invoke("answers", "set", answers_file, "legal_basis=Corrective Services Act 2006, s. 30")
    assert result.exit_code == 0, result.output
    text = answers_file.read_text(encoding="utf-8")
    assert "Legal basis (legal_basis): (no answer) → Corrective Services Act 2006, s. 30" in result.stdout
    assert ("adoption_date: 2026-11-22\n# Under which law or regulation is the directive issued (leave empty if none "
            "needs to be named)?\nlegal_basis: Corrective Services Act 2006, s. 30\n# The age limit") in text
    assert yaml.safe_load(text)["legal_basis"] == "Corrective Services Act 2006, s. 30"


def test_a_broken_relation_is_refused_and_nothing_is_written(invoke, answers_file):
    result = invoke("answers", "set", answers_file, "max_age_months=48")
    assert result.exit_code == 2
    assert (f"{answers_file}:12: max_age_extended_months: expected more than 48 months (the answer to “Age limit”, "
            "max_age_months), found 48 months") in result.stderr
    assert answers_file.read_text(encoding="utf-8") == FILE
    both = invoke("answers", "set", answers_file, "max_age_months=48", "max_age_extended_months=60")
    assert both.exit_code == 0, both.output
    assert yaml.safe_load(answers_file.read_text(encoding="utf-8"))["max_age_extended_months"] == 60


@pytest.mark.parametrize("assignments, message", [
    (["max_age_month=24"], "max_age_month: unknown question key (did you mean 'max_age_months'?)"),
    (["max_age_months"], "KEY=VALUE: expected KEY=VALUE, found 'max_age_months'"),
    (["max_age_months=two years"], "max_age_months: expected a whole number of months, or a number with its unit"),
    (["max_age_months=4 years"], "max_age_extended_months: expected more than 4 years (the answer to “Age limit”, "
                                 "max_age_months), found 48 months"),
    (["max_age_months=200"], "max_age_months: expected a number of months from 1 to 96, found 200"),
    (["age_extension=perhaps"], "age_extension: expected yes or no, found 'perhaps'"),
    (["decision_body=judge"], "decision_body: expected a number from 1 to 7, found 'judge'"),
    (["part_time_residence=no", "part_time_max_age_months=90"],
     "part_time_max_age_months: does not apply to these answers: it is asked only when part_time_residence"),
])
def test_bad_assignments_are_refused_naming_the_key(invoke, answers_file, assignments, message):
    result = invoke("answers", "set", answers_file, *assignments)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert answers_file.read_text(encoding="utf-8") == FILE


def test_a_blank_optional_answer_and_yes_or_no_in_words(invoke, answers_file):
    result = invoke("answers", "set", answers_file, "legal_basis=", "age_extension=no")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
    assert data["legal_basis"] is None and data["age_extension"] is False


def test_an_interrupted_write_leaves_the_file_as_it_was(invoke, answers_file, monkeypatch):
    def failing(path, data):
        raise output.OutputError(output.Problem("cannot write the file: disk full", path))

    monkeypatch.setattr(answer_edit, "write_atomic", failing)
    result = invoke("answers", "set", answers_file, "max_age_months=24")
    assert result.exit_code == 2 and "disk full" in result.stderr
    assert answers_file.read_text(encoding="utf-8") == FILE
    assert [p.name for p in answers_file.parent.iterdir() if p.name.startswith(".")] == []


def test_messages_follow_the_language_of_the_file(invoke, write):
    path = write("fr.yaml", "_language: fr\n" + MINIMAL)
    result = invoke("answers", "set", path, "max_age_months=24")
    assert result.exit_code == 0, result.output
    assert "Limite d'âge (max_age_months)" in result.stdout and "24 mois" in result.stdout
    assert "écrit" in result.stdout


def test_show_lists_every_answer_numbered_by_group(invoke, answers_file):
    result = invoke("answers", "show", answers_file)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("== The directive ==") < out.index("== Age limit and duration of stay ==")
    assert "    1. Jurisdiction: Ruritania\n" in out
    assert "Age limit: 36 months *" in out                     # listed under _defaults, still the proposed answer
    assert "Age limit of an extension: 48 months\n" in out
    assert "Title of the directive: Children living in prison with a parent *" in out   # not in the file
    assert "  * proposed answer, taken without review" in out
    numbers = [int(line.split(".")[0]) for line in out.splitlines() if line[:5].strip().isdigit()]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 100
