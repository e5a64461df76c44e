"""Ages and durations in the unit the law uses: "3 years", "45 days", and numbers written in words."""
from __future__ import annotations

import pytest
import yaml
from conftest import MINIMAL

from toolkit import answers as answers_mod, api, questionnaire, spelling
from toolkit.api import BuildOptions
from toolkit.quantity import Quantity, parse, plain
from toolkit.wording import Wording

Q = questionnaire.load()


def test_a_quantity_compares_in_the_unit_of_its_question():
    three_years = parse("3 years", "months")
    assert three_years == 36 and three_years == Quantity(36, "months", "months")
    assert 24 < three_years < 48 and three_years > 35 and not three_years > 36
    assert parse("6 weeks", "days") == 42 and parse("45 days", "weeks") > 6
    assert parse("3 ANS", "months") == 36 and parse("1 año", "months") == 12 and parse("45 jours", "days") == 45
    assert parse("3", "months") is None and parse("three years", "months") is None
    assert parse("3 bananas", "days") is None
    assert str(three_years) == "3 years" and str(parse("1 day", "days")) == "1 day"
    assert plain(three_years) == "3 years" and plain(parse("18 months", "months")) == 18


def build(write, lang: str, **answers) -> str:
    text = MINIMAL + yaml.safe_dump(answers, allow_unicode=True)
    loaded = answers_mod.load(Q, write("units.yaml", text))
    return api.render_markdown(loaded, lang, BuildOptions(langs=(lang,))).replace("\\", "").replace("\u2019", "'")


@pytest.mark.parametrize("lang, expected", [("en", "the age of 3 years"), ("fr", "l'âge de 3 ans"),
                                            ("es", "la edad de 3 años")])
def test_an_age_written_in_years_reads_in_years(write, lang, expected):
    text = build(write, lang, max_age_months="3 years", age_extension=False, part_time_residence=False)
    assert expected in text
    assert "36 months" not in text and "36 mois" not in text and "36 meses" not in text


@pytest.mark.parametrize("lang, expected", [("en", "eighteen months"), ("fr", "dix-huit mois"),
                                            ("es", "dieciocho meses")])
def test_numbers_in_words(write, lang, expected):
    text = build(write, lang, numbers_in_words=True, max_age_months=18)
    assert expected in text


def test_spelled_numbers_agree_with_their_unit():
    t = api.i18n.translator("fr")
    assert Wording(t, Q, words=True).quantity(1, "weeks") == "une semaine"
    assert Wording(api.i18n.translator("es"), Q, words=True).quantity(21, "days") == "veintiún días"
    assert Wording(api.i18n.translator("es"), Q, words=True).quantity(1, "weeks") == "una semana"
    assert [spelling.spell(n, "fr") for n in (71, 80, 200, 201)] == ["soixante et onze", "quatre-vingts",
                                                                     "deux cents", "deux cent un"]
    assert spelling.spell(45, "es") == "cuarenta y cinco" and spelling.spell(2_000_000, "es") is None
    assert spelling.spell(3, "pt") is None   # no speller: digits stay


def test_a_quantity_out_of_bounds_is_refused_with_its_line(write, invoke, tmp_path):
    path = write("bad.yaml", MINIMAL + "max_age_months: 9 years\n")
    result = invoke("build", path, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "bad.yaml:5: max_age_months: expected from 1 to 96 months, found 9 years" in result.stderr
    assert not (tmp_path / "out").exists()


def test_draft_new_keeps_the_unit_typed(invoke, tmp_path):
    source = tmp_path / "from.yaml"
    source.write_text(MINIMAL + "max_age_months: 3 años\nprenatal_work_exemption_days: 45 days\n", encoding="utf-8")
    result = invoke("new", tmp_path / "out.yaml", "--from", source, "--no-build")
    assert result.exit_code == 0, result.output
    saved = yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))
    assert saved["max_age_months"] == "3 years" and saved["prenatal_work_exemption_days"] == 45


def test_draft_new_offers_the_special_answers_and_takes_a_unit_typed_in_the_interface_language():
    from test_prompt import Scripted

    from toolkit import i18n, interview, terminal

    i18n.set_ui_language("fr")
    q = Q.in_language(i18n.translator("fr"))
    console = Scripted(["not_regulated", "3 ans", "bananas", "does_not_apply"])
    session = terminal.TerminalInterview(q, console, i18n.translator("fr"), interview.State())
    assert session.ask(interview.Step(q.by_key["appeal_body"])) == "not_regulated"
    shown = "\n".join(console.shown)
    assert "not_regulated\u00a0: " in shown or "not_regulated: " in shown
    assert session.ask(interview.Step(q.by_key["max_age_months"])) == 36
    assert "3 ans" in terminal.prompt_line(q.by_key["max_age_months"])   # an example of a unit, in French
    assert session.ask(interview.Step(q.by_key["minor_parents"])) == "does_not_apply"
    assert any("non valable" in line or "non valide" in line for line in console.shown)   # "bananas"
