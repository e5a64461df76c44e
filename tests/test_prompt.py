"""`draft new`: the real prompts driven through their input (CliRunner, one answer per line), in English
and French, on a small questionnaire: essentials first, the choice for the others, back and help, the
review before writing, relations checked at their question, resuming, --ask. The toolkit's own
questionnaire on a real terminal is in test_terminal.py."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL

from toolkit import api, i18n, prompt, questionnaire as questionnaire_mod, terminal
from toolkit.errors import DraftError, OutputError, Problem

QUESTIONS = {
    "10-basics.yaml": """\
group: basics
title: The basics
questions:
  - key: name
    label: Name
    essential: true
    type: text
    question: What is the name of the jurisdiction?
    help: As it appears in official texts (QUNO guidelines III(a)).
  - key: nickname
    label: Short name
    type: text
    question: Is there a short name?
    optional: true
  - key: adopted
    label: Adoption
    essential: true
    type: date
    question: On what date is the directive adopted?
  - key: max_age
    label: Age limit
    essential: true
    type: int
    unit: months
    min: 0
    max: 96
    question: Up to what age may a child stay (in months)?
    help: QUNO guidelines IV, age limit.
    default: 24
""",
    "20-more.yaml": """\
group: more
title: Extension and decisions
questions:
  - key: extension
    label: Extension
    essential: true
    type: bool
    question: May the stay be extended?
    default: false
  - key: extended_age
    label: Extended age
    essential: true
    type: int
    unit: months
    min: 1
    max: 120
    question: Up to what age at most (in months)?
    default: 36
    default_from: max_age + 12
    above: max_age
    when: extension
  - key: extension_months
    label: Extension length
    type: int
    min: 1
    max: 12
    question: By how many months at most?
    default: 6
    when: extension
  - key: decision
    label: Decision
    type: choice
    question: Who decides on admission?
    choices:
      - {value: board, label: a multidisciplinary board}
      - {value: director, label: the Director}
      - {value: court, label: a court}
    default: board
  - key: members
    label: Board members
    type: multi
    question: Who sits on the board?
    choices:
      - {value: health, label: a health professional}
      - {value: social, label: a social worker}
      - {value: legal, label: a lawyer}
    default: [health, social]
""",
}
KEYS = ["name", "nickname", "adopted", "max_age", "extension", "extended_age", "extension_months", "decision",
        "members"]
ESSENTIALS = ["name", "adopted", "max_age", "extension", "extended_age"]

FRENCH = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgctxt "group:basics"
msgid "The basics"
msgstr "L'essentiel"

msgctxt "name:question"
msgid "What is the name of the jurisdiction?"
msgstr "Quel est le nom de la juridiction ?"

msgctxt "name:label"
msgid "Name"
msgstr "Nom"

msgctxt "decision:choice:court"
msgid "a court"
msgstr "un tribunal"

msgid "Yes or no"
msgstr "Oui ou non"

msgid "yes"
msgstr "oui"

msgid "no"
msgstr "non"

msgctxt "command"
msgid "back"
msgstr "retour"

msgid "Not valid: %(why)s. Please answer again."
msgstr "Réponse non valable : %(why)s. Veuillez répondre de nouveau."

msgid "Interrupted."
msgstr "Interrompu."
"""


@pytest.fixture
def small(tmp_path, monkeypatch):
    """The small questionnaire above, in place of the toolkit's own for the whole command."""
    folder = tmp_path / "questions"
    folder.mkdir()
    for name, text in QUESTIONS.items():
        (folder / name).write_text(text, encoding="utf-8")
    loaded = questionnaire_mod.load(folder)
    monkeypatch.setattr(api, "questionnaire", lambda: loaded)
    return loaded


@pytest.fixture
def french(tmp_path, monkeypatch):
    """A scratch locales folder with a French catalog of a few strings, chosen through DRAFT_LOCALES."""
    po = tmp_path / "locales" / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(FRENCH, encoding="utf-8")
    monkeypatch.setenv(i18n.LOCALES_ENV, str(tmp_path / "locales"))
    yield tmp_path / "locales"
    i18n.set_ui_language("en")


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_ui_language("en")


@pytest.fixture
def new(invoke, tmp_path, small):
    """`draft new --no-build` on the small questionnaire, writing `output` (tmp_path/a.yaml; None: none given)."""

    def run(*args: str, input: str | None = None, output: str | None = "a.yaml"):
        named = [str(tmp_path / output)] if output else []
        return invoke("new", "--no-build", *named, *args, input=input)

    return run


def lines(*answers: str) -> str:
    return "".join(f"{a}\n" for a in answers)


def saved(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def answers_in(path: Path) -> dict:
    return {k: v for k, v in saved(path).items() if not k.startswith("_")}


# the essentials of the small questionnaire with the proposed answers, then "take the proposed answers", then
# the review's Enter
ESSENTIALS_THEN_DEFAULTS = ("Ruritania", "2026-11-22", "", "", "", "")


# -- the essentials, the choice for the others, the review before writing

def test_essentials_first_then_the_choice_then_the_review(new, tmp_path):
    result = new("--interactive", input=lines(*ESSENTIALS_THEN_DEFAULTS))
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("Type < or back to go back one question, ? to see the help again.") < out.index("(1/5)")
    assert out.count("to go back one question") == 1
    assert "(1/5) What is the name of the jurisdiction?" in out
    assert "As it appears in official texts (QUNO guidelines III(a))." in out
    assert "(2/5) On what date is the directive adopted?" in out
    assert "A number of months from 0 to 96, or with its unit (such as 3 years, 45 days) [24]: " in out
    assert "(4/5) May the stay be extended?" in out and "Up to what age at most" not in out
    assert "Is there a short name?" not in out and "Who decides on admission?" not in out
    assert "The essential questions are answered. 3 other questions remain" in out
    assert "1. Take the proposed answers" in out and "2. Review them group by group" in out
    assert "3. Answer them one by one" in out
    review = out[out.index("== Review your answers =="):]
    for line in ["    1. Name: Ruritania", "    2. Short name: (left blank) *", "    3. Adoption: 2026-11-22",
                 "    4. Age limit: 24 months", "    5. Extension: no", "    6. Decision: a multidisciplinary board *",
                 "    7. Board members: a health professional; a social worker *",
                 "  * proposed answer, taken without review"]:
        assert line in review, line
    assert "Type the number of an answer to change it, or press Enter to write the answers file: " in review
    text = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    assert "_language: en\n_defaults: [nickname, decision, members]\n" in text
    assert "# What is the name of the jurisdiction?\nname: Ruritania\n" in text
    assert "nickname: null\n" in text  # blank, on purpose: not asked again
    assert saved(tmp_path / "a.yaml") == {"_language": "en", "_defaults": ["nickname", "decision", "members"],
                                          "name": "Ruritania", "nickname": None, "adopted": date(2026, 11, 22),
                                          "max_age": 24, "extension": False, "decision": "board",
                                          "members": ["health", "social"]}
    loaded = api.load_answers(tmp_path / "a.yaml")
    assert loaded.language == "en" and loaded.defaulted == {"nickname", "decision", "members"}


def test_the_others_one_by_one(new, tmp_path):
    result = new("--interactive", input=lines("R", "2026-01-01", "", "yes", "", "3",  # essentials; choice 3
                                              "Rur", "", "2", "0", ""))              # the others; review
    assert result.exit_code == 0, result.output
    out = result.output
    assert "(6/9) Is there a short name?" in out and "(7/9) By how many months at most?" in out
    assert answers_in(tmp_path / "a.yaml") == {
        "name": "R", "nickname": "Rur", "adopted": date(2026, 1, 1), "max_age": 24, "extension": True,
        "extended_age": 36, "extension_months": 6, "decision": "director", "members": []}
    assert "_defaults" not in saved(tmp_path / "a.yaml")


def test_the_others_group_by_group(new, tmp_path):
    result = new("--interactive", input=lines("R", "2026-01-01", "", "", "2",  # essentials; choice 2
                                              "",                              # basics: the short name, as is
                                              "1", "3", "",                    # more: the decision → court
                                              ""))                             # review
    assert result.exit_code == 0, result.output
    out = result.output
    assert "(1/2) == The basics ==\n    1. Short name: (left blank) *" in out
    assert "(2/2) == Extension and decisions ==\n    1. Decision: a multidisciplinary board *" in out
    assert "    1. Decision: a court\n    2. Board members: a health professional; a social worker *" in out
    assert "Press Enter to accept these answers, or type the number of one to change it: " in out
    data = saved(tmp_path / "a.yaml")
    assert data["decision"] == "court" and data["nickname"] is None and "_defaults" not in data


def test_back_goes_to_the_question_before_and_further(new, tmp_path):
    result = new("--interactive", input=lines("<",                  # at the first question: nowhere to go
                                              "Ruritaina", "2026-01-01",
                                              "back", "<",          # from the age limit back to the name
                                              "Ruritania", "",      # corrected; the date kept as it was
                                              "36", "", "", ""))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "This is the first question." in out
    assert "Answer [Ruritaina]: " in out            # asked again, proposing the answer given
    assert "A date, YYYY-MM-DD [2026-01-01]: " in out
    assert answers_in(tmp_path / "a.yaml")["name"] == "Ruritania"
    assert answers_in(tmp_path / "a.yaml")["max_age"] == 36


def test_question_mark_shows_the_help_again(new, tmp_path):
    result = new("--interactive", input=lines("Ruritania", "2026-01-01", "?", "", "", "", ""))
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.count("QUNO guidelines IV, age limit.") == 2
    assert "Proposed answer: 24" in out
    assert answers_in(tmp_path / "a.yaml")["name"] == "Ruritania"  # "?" is never taken as an answer


def test_the_extended_age_is_proposed_above_the_limit_and_a_bad_one_refused_at_its_question(new, tmp_path):
    result = new("--interactive", input=lines("R", "2026-01-01", "48", "yes", "48", "", "", ""))
    assert result.exit_code == 0, result.output
    out = result.output
    assert ("(5/5) Up to what age at most (in months)?\nA number of months from 1 to 120, or with its unit (such as 3 "
            "years, 45 days) [60]: ") in out
    assert ("Not valid: expected more than 48 months (the answer to “Age limit”, max_age), found 48 months. "
            "Please answer again.") in out
    assert out.index("found 48 months") < out.index("The essential questions are answered")
    assert answers_in(tmp_path / "a.yaml")["extended_age"] == 60


def test_the_review_changes_an_answer_and_asks_what_the_change_breaks(new, tmp_path):
    result = new("--interactive", input=lines("R", "2026-01-01", "", "yes", "30", "",   # extended age 30
                                              "4", "36",                             # review: age limit → 36
                                              "",                                    # 30 is too low: take 48
                                              "99", ""))                             # no such number; write
    assert result.exit_code == 0, result.output
    out = result.output
    assert "    6. Extended age: 30 months" in out
    assert ("The answer held is not valid: expected more than 36 months (the answer to “Age limit”, max_age), "
            "found 30 months") in out
    assert "A number of months from 1 to 120, or with its unit (such as 3 years, 45 days) [48]: " in out
    assert "    4. Age limit: 36 months" in out and "    6. Extended age: 48 months" in out
    assert "Not valid: expected a number from 1 to 9, found '99'" in out
    assert answers_in(tmp_path / "a.yaml")["max_age"] == 36 and answers_in(tmp_path / "a.yaml")["extended_age"] == 48


def test_a_bad_answer_is_explained_with_its_unit_and_asked_again(new, tmp_path):
    result = new("--interactive", input=lines("", "R", "2026-02-30", "2026-02-28", "200", "twelve", "36",
                                              "maybe", "y", "", "3", "", "13", "12", "4", "court", "1,9", "3,1", ""))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Not valid: this question needs an answer. Please answer again." in out
    assert "Not valid: expected a date written YYYY-MM-DD, found '2026-02-30'" in out
    assert "Not valid: expected a number of months from 0 to 96, found 200" in out
    assert ("Not valid: expected a whole number of months, or a number with its unit such as \"3 years\" or \"45 "
            "days\", found 'twelve'") in out
    assert "Not valid: expected yes or no, found 'maybe'" in out
    assert "Not valid: expected a number from 1 to 12, found 13" in out
    assert "Not valid: expected a number from 1 to 3, found '4'" in out
    assert "Not valid: expected a number from 1 to 3, found '9'" in out
    assert answers_in(tmp_path / "a.yaml") == {
        "name": "R", "nickname": None, "adopted": date(2026, 2, 28), "max_age": 36, "extension": True,
        "extended_age": 48, "extension_months": 12, "decision": "court", "members": ["health", "legal"]}


def test_a_long_proposed_answer_is_shown_in_full(small):
    question = questionnaire_mod.Question(key="title", type="text", question="Title?", default="x" * 150)
    assert terminal.prompt_line(question, question.default) == "Answer [" + "x" * 150 + "]"


@pytest.mark.parametrize("kind, typed, expected", [
    ("max_age", " 36 ", 36), ("max_age", "", 24), ("extension", "OUI", True), ("extension", "non", False),
    ("extension", "sí", True), ("extension", "", False), ("decision", "2", "director"), ("decision", "court", "court"),
    ("members", "3, 1", ["health", "legal"]), ("members", "0", []), ("members", "", ["health", "social"]),
    ("adopted", "2026-01-31", date(2026, 1, 31)), ("nickname", "", None), ("nickname", "  Rur  ", "Rur"),
])
def test_typed_text_becomes_the_answer(small, kind, typed, expected):
    from toolkit.interview import State, Step

    question = small.by_key[kind]
    session = terminal.TerminalInterview(small, terminal.Console(), i18n.translator("en"), State())
    proposal = question.default
    assert session.value(Step(question, proposal), typed) == expected


# -- --defaults, --from, and no terminal

def test_defaults_asks_only_what_has_no_default(new, tmp_path):
    result = new("--interactive", "--defaults", input=lines("Ruritania", "2026-01-01"))
    assert result.exit_code == 0, result.output
    assert "Up to what age" not in result.output and "short name" not in result.output
    data = saved(tmp_path / "a.yaml")
    assert data["members"] == ["health", "social"]
    assert data["_defaults"] == ["nickname", "max_age", "extension", "decision", "members"]


def test_from_asks_only_what_is_missing_or_invalid(new, write, tmp_path):
    source = write("given.yaml", "name: Ruritania\nmax_age: 200\ndecision: court\n")
    result = new("--from", str(source), "--interactive", "--defaults", output="b.yaml",
                 input=lines("2026-01-01", "18"))
    assert result.exit_code == 0, result.output
    assert "What is the name" not in result.output and "Who decides" not in result.output
    assert (f"The answer held is not valid: {source}:2: max_age: expected a number of months from 0 to 96, "
            "found 200") in result.output
    assert answers_in(tmp_path / "b.yaml") == {"name": "Ruritania", "adopted": date(2026, 1, 1), "max_age": 18,
                                               "extension": False, "decision": "court", "members": ["health", "social"],
                                               "nickname": None}


def test_from_offers_to_review_the_answers_taken_by_default(new, write, tmp_path):
    first = new("--interactive", input=lines(*ESSENTIALS_THEN_DEFAULTS))
    assert first.exit_code == 0, first.output
    again = new("--from", str(tmp_path / "a.yaml"), "--interactive", output="b.yaml",
                input=lines("3", "Rur", "", "", ""))
    assert again.exit_code == 0, again.output
    assert "What is the name" not in again.output
    assert "3 other questions remain" in again.output
    assert "Is there a short name? " not in again.output  # one by one: each asked with its current answer
    assert "[1]: " in again.output and "[1,2]: " in again.output
    data = saved(tmp_path / "b.yaml")
    assert data["nickname"] == "Rur" and "_defaults" not in data


def test_from_with_an_unknown_key_stops_before_any_question(new, write):
    source = write("given.yaml", "nmae: Ruritania\nmax_age: 200\n_lang: fr\n")
    result = new("--from", str(source), "--interactive", input=lines("x"))
    assert result.exit_code == 2
    assert "given.yaml:1: nmae: unknown question key (did you mean 'name'?)" in result.stderr
    assert "given.yaml:2: max_age: expected a number of months from 0 to 96, found 200" in result.stderr
    assert "given.yaml:3: _lang: unknown key; the keys about the file are _language, _defaults" in result.stderr
    assert "(1/" not in result.output and "Traceback" not in result.output


def test_with_no_terminal_the_message_points_to_defaults_and_from(new, tmp_path):
    result = new(input=lines("Ruritania"))
    assert result.exit_code == 2
    assert "no terminal" in result.stderr and "--defaults" in result.stderr and "--from" in result.stderr
    assert not (tmp_path / "a.yaml").exists()


def test_with_no_terminal_a_complete_file_is_written_and_its_mistakes_all_listed(new, write, tmp_path):
    good = write("good.yaml", "name: R\nadopted: 2026-01-01\n")
    result = new("--from", str(good), output="out.yaml")
    assert result.exit_code == 0, result.output
    assert saved(tmp_path / "out.yaml")["max_age"] == 24
    bad = write("bad.yaml", "max_age: 100\nextension: perhaps\n")
    result = new("--from", str(bad), output="out2.yaml")
    assert result.exit_code == 2
    for expected in ["bad.yaml:1: max_age: expected a number of months from 0 to 96, found 100",
                     "bad.yaml:2: extension: expected yes or no (true or false), found 'perhaps'",
                     "bad.yaml: name: expected an answer to", "bad.yaml: adopted: expected an answer to"]:
        assert expected in result.stderr
    assert not (tmp_path / "out2.yaml").exists()


def test_with_no_terminal_defaults_saves_what_it_can_and_names_what_is_missing(new, tmp_path):
    result = new("--defaults")
    assert result.exit_code == 2
    assert "2 questions have no default and no answer: name, adopted." in result.stderr
    assert f"To go on, run: draft new --from {tmp_path / 'a.yaml'} --lang en --no-build --defaults" in result.stderr
    text = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    assert text.startswith(prompt.INCOMPLETE + "\n")
    assert saved(tmp_path / "a.yaml")["max_age"] == 24


def test_an_existing_file_is_kept_and_the_message_says_what_to_do(new, write, tmp_path):
    (tmp_path / "a.yaml").write_text("name: mine\n", encoding="utf-8")
    result = new("--interactive", input=lines("R"))
    target = tmp_path / "a.yaml"
    assert result.exit_code == 2
    for expected in ["already exists.", f"draft build {target}", f"draft new --from {target} --ask KEY",
                     f"draft answers set {target} KEY=VALUE", "add --force", "name another answers file"]:
        assert expected in result.stderr, expected
    assert "(1/" not in result.output
    assert target.read_text(encoding="utf-8") == "name: mine\n"
    complete = write("done.yaml", "name: R\nadopted: 2026-01-01\n")
    result = new("--from", str(complete), "--interactive", output=None, input=lines("R"))
    assert result.exit_code == 2
    assert "already holds complete answers" in result.stderr and "--ask KEY" in result.stderr
    assert f"draft new NEW.yaml --from {complete}" in result.stderr and "add --force" in result.stderr


def test_new_builds_the_directive_in_the_languages_and_formats_asked(invoke, write, tmp_path):
    source = write("given.yaml", MINIMAL)
    target, out = tmp_path / "ruritania.yaml", tmp_path / "out"
    result = invoke("new", target, "--from", source, "--defaults", "--format", "md", "--out", out)
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.stdout and f"wrote {out / 'ruritania.en.md'}" in result.stdout
    assert "Ruritania" in (out / "ruritania.en.md").read_text(encoding="utf-8")
    assert not (out / "ruritania.en.docx").exists()
    # the documents exist: refused before the first question, and the answers file is not written
    target.unlink()
    again = invoke("new", target, "--interactive", "--format", "md", "--out", out, input="Ruritania\n")
    assert again.exit_code == 2 and "already exists; use --force" in again.stderr
    assert "(1/" not in again.output and not target.exists()


def test_a_failed_build_says_the_answers_are_safe_and_how_to_build_them(invoke, write, tmp_path, monkeypatch):
    source = write("given.yaml", MINIMAL)
    target, out = tmp_path / "r.yaml", tmp_path / "out"

    def failing(*args, **kwargs):
        raise OutputError(Problem("cannot write the file: No space left on device", out / "r.en.md"))

    monkeypatch.setattr(api, "build", failing)
    result = invoke("new", target, "--from", source, "--defaults", "--format", "md", "--out", out, "--lang", "en,fr")
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert (f"The answers are saved in {target}. Once this is put right, build the directive with: draft build "
            f"{target} --lang en,fr --format md --out {out}") in result.stderr
    again = invoke("new", target, "--interactive", "--out", out, input="\n")
    assert again.exit_code == 2
    assert f"draft build {target}" in again.stderr and "--force" in again.stderr and "--from" in again.stderr


# -- nothing answered is lost: end of input, Ctrl-C, and resuming with --from (in its language)

def test_end_of_input_saves_the_answers_and_from_resumes(new, tmp_path):
    target = tmp_path / "a.yaml"
    result = new("--interactive", input=lines("Ruritania", "2026-03-01"))
    assert result.exit_code == 2
    assert "The input ended before the last question." in result.stderr
    assert f"saved in {target}. To go on, run: draft new --from {target} --lang en --no-build" in result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith(prompt.INCOMPLETE + "\n# Not every question is answered yet. To go on, run: draft new "
                           f"--from {target} --lang en --no-build\n")
    assert answers_in(target) == {"name": "Ruritania", "adopted": date(2026, 3, 1)}
    resumed = new("--from", str(target), "--interactive", output=None, input=lines("", "", "", ""))
    assert resumed.exit_code == 0, resumed.output
    assert "Going on with the answers saved in" in resumed.output
    assert "What is the name" not in resumed.output and "(3/5) Up to what age" in resumed.output
    assert not target.read_text(encoding="utf-8").startswith(prompt.INCOMPLETE)
    assert answers_in(target)["adopted"] == date(2026, 3, 1) and answers_in(target)["name"] == "Ruritania"


def test_the_same_command_again_goes_on_with_an_interrupted_file(new, tmp_path):
    new("--interactive", input=lines("Ruritania"))
    again = new("--interactive", input=lines("2026-03-01", "", "", "", ""))
    assert again.exit_code == 0, again.output
    assert "Going on with the answers saved in" in again.output and "What is the name" not in again.output


def test_a_blank_optional_answer_is_not_asked_again(new, tmp_path):
    target = tmp_path / "a.yaml"
    new("--interactive", input=lines("R", "2026-01-01", "", "", "3", ""))  # one by one: the short name left blank
    assert "nickname: null" in target.read_text(encoding="utf-8")
    resumed = new("--from", str(target), "--interactive", output=None, input=lines("", "", ""))
    assert "Is there a short name?" not in resumed.output
    assert answers_in(target)["decision"] == "board"


def test_resuming_takes_the_language_the_file_was_answered_in(new, french, tmp_path):
    target = tmp_path / "a.yaml"
    first = new("--interactive", "--lang", "fr", input=lines("Ruritanie"))
    assert "Quel est le nom de la juridiction ?" in first.output
    assert "To go on, run: draft new --from" in first.stderr and "--lang fr" in first.stderr
    assert saved(target)["_language"] == "fr"
    resumed = new("--from", str(target), "--interactive", output=None, input=lines("2026-01-01", "", "peut-être",
                                                                                    "non", "", ""))
    assert resumed.exit_code == 0, resumed.output
    assert "Oui ou non [non]: " in resumed.output
    assert "Réponse non valable : expected oui or non, found 'peut-être'." in resumed.output
    assert "    1. Nom: Ruritanie" in resumed.output
    assert saved(target)["_language"] == "fr"


def test_end_of_input_before_any_answer_writes_nothing(new, tmp_path):
    result = new("--interactive", input="")
    assert result.exit_code == 2 and "nothing was saved" in result.stderr
    assert not (tmp_path / "a.yaml").exists()


class Scripted(terminal.Console):
    """Typed lines from a list; an exception in the list is raised as the user would cause it."""

    def __init__(self, typed: list):
        super().__init__()
        self.typed, self.shown = list(typed), []

    def say(self, text: str = "") -> None:
        self.shown.append(text)

    def ask(self, text: str) -> str:
        self.shown.append(text)
        item = self.typed.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item


def test_ctrl_c_keeps_the_answers_and_the_prefilled_ones_not_reached(small, write, tmp_path):
    source = write("given.yaml", "name: Ruritania\ndecision: court\nmax_age: 500\n")
    target = tmp_path / "partial.yaml"
    with pytest.raises(prompt.Stopped) as stop:
        prompt.new(prompt.Request(target, source), small, Scripted(["2026-05-01", KeyboardInterrupt()]))
    assert stop.value.exit_code == prompt.EXIT_INTERRUPTED
    assert str(stop.value).startswith("Interrupted. The answers so far are saved in")
    # what was answered, and what the file gave for later questions (even the invalid answer, to be asked again)
    assert answers_in(target) == {"name": "Ruritania", "adopted": date(2026, 5, 1), "max_age": 500,
                                  "decision": "court"}


# -- changing answers later: --ask

def test_ask_changes_one_answer_and_keeps_the_file_as_it_was(new, write, tmp_path):
    source = write("r.yaml", "# our notes, kept\nname: Ruritania\nadopted: 2026-01-01\nmax_age: 24\n"
                             "extension: true\nextended_age: 30  # as the law says\n")
    result = new("--from", str(source), "--ask", "max_age", "--interactive", output=None,
                 input=lines("36", "", ""))
    assert result.exit_code == 0, result.output
    out = result.output
    assert ("(1/1) Up to what age may a child stay (in months)?\n  QUNO guidelines IV, age limit.\n"
            "A number of months from 0 to 96, or with its unit (such as 3 years, 45 days) [24]: ") in out
    assert "The answer held is not valid: " in out and "expected more than 36 months" in out
    review = out[out.index("== Review your answers =="):]
    assert "    1. Age limit: 36 months\n" in review and "    2. Extended age: 48 months\n" in review
    assert "Name" not in review
    assert source.read_text(encoding="utf-8") == ("# our notes, kept\nname: Ruritania\nadopted: 2026-01-01\n"
                                                  "max_age: 36\nextension: true\nextended_age: 48  # as the law says\n")


def test_ask_interrupted_leaves_the_file_as_it_was(new, write):
    text = "# notes\nname: Ruritania\nadopted: 2026-01-01\n"
    source = write("r.yaml", text)
    result = new("--from", str(source), "--ask", "max_age", "--interactive", output=None, input="")
    assert result.exit_code == 2
    assert f"The input ended before the last question. {source} is unchanged." in result.stderr
    assert source.read_text(encoding="utf-8") == text


def test_ask_names_questions_that_exist_and_apply(new, write):
    source = write("r.yaml", "name: Ruritania\nadopted: 2026-01-01\n")
    result = new("--from", str(source), "--ask", "max_aeg,extended_age", "--interactive", output=None, input="")
    assert result.exit_code == 2
    assert "--ask max_aeg: unknown question key (did you mean 'max_age'?)" in result.stderr
    assert "--ask extended_age: does not apply to these answers: it is asked only when extension" in result.stderr
    alone = new("--ask", "max_age", "--interactive", input="")
    assert alone.exit_code == 2 and "--ask: expected --from FILE" in alone.stderr


def test_the_resume_command_repeats_the_options(tmp_path):
    assert prompt.resume_command(tmp_path / "a b.yaml", ("--lang", "fr,es", "--out", "my out")) == \
        f"draft new --from '{tmp_path / 'a b.yaml'}' --lang fr,es --out 'my out'"


def test_an_unknown_language_is_refused_before_any_question(new):
    result = new("--interactive", "--lang", "xx", input=lines("R"))
    assert result.exit_code == 2 and "--lang" in result.stderr and "(1/" not in result.output


def test_a_draft_error_names_no_traceback(new, tmp_path):
    (tmp_path / "folder.yaml").mkdir()
    result = new("--interactive", output="folder.yaml", input=lines("R"))
    assert result.exit_code == 2 and "expected a file name, found a folder" in result.stderr
    assert "Traceback" not in result.output
    with pytest.raises(DraftError):
        prompt.Request(tmp_path / "x.yaml", interactive=False).check()


def test_a_free_text_answer_is_asked_in_each_language_of_the_directive(new, tmp_path):
    result = new("--interactive", "--lang", "en,fr,es", "--in-each-language",
                 input=lines("the Republic of Ruritania", "la République de Ruritanie", "", "2026-11-22",
                             *ESSENTIALS_THEN_DEFAULTS[2:]))
    assert result.exit_code == 0, result.output
    assert "In French (Enter: the same text): " in result.output
    assert "In Spanish (Enter: the same text): " in result.output
    assert answers_in(tmp_path / "a.yaml")["name"] == {"en": "the Republic of Ruritania",
                                                       "fr": "la République de Ruritanie"}
    plain = new("--interactive", "--lang", "en,fr", "--force", input=lines(*ESSENTIALS_THEN_DEFAULTS))
    assert plain.exit_code == 0 and "In French" not in plain.output   # only when asked for


def test_the_review_shows_every_version_of_a_free_text_answer():
    from toolkit import interview
    from toolkit.localized import Localized
    from toolkit.wording import Wording

    wording = Wording(i18n.translator("fr"), api.questionnaire())
    value = Localized((("en", "the Republic of Ruritania"), ("fr", "la République de Ruritanie")))
    assert interview.words(wording, api.questionnaire().by_key["jurisdiction"], value) == \
        "la République de Ruritanie (en: the Republic of Ruritania)"
