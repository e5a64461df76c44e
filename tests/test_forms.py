"""The forms a directive annexes: data filled from the answers, translated, checked when they load, and
built alone as Word forms for daily use."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL

from toolkit import answers as answers_mod, api, forms as forms_mod, i18n
from toolkit.api import BuildOptions
from toolkit.errors import DefinitionError
from toolkit.render import compose, word
from toolkit.render.tree import ANNEX, Fields, Heading, Note, Table, plain

FORM_IDS = ["application", "assessment", "care-plan", "separation-plan", "decision"]


def answers(**changes):
    return answers_mod.validate(api.questionnaire(), {**yaml.safe_load(MINIMAL), **changes})


def annex(annex_id, lang="en", **changes):
    document = api.document(answers(**changes), lang, BuildOptions())
    return next(a for a in document.annexes if a.id == annex_id)


def typed(content) -> str:
    """Content as a reader searches it: typographic apostrophes read as typed ones."""
    return plain(content).replace("\u2019", "'")


def notes(item) -> list[str]:
    return [typed(b.content) for b in item.blocks if isinstance(b, Note)]


def fields(item) -> dict[str, list[str]]:
    return {typed(f.label): [typed(o) for o in f.options] for b in item.blocks if isinstance(b, Fields)
            for f in b.fields}


def tables(item) -> list[Table]:
    return [b for b in item.blocks if isinstance(b, Table)]


def test_the_five_forms_load_in_order_and_each_is_a_choice_of_the_answers():
    loaded = api.forms()
    assert [f.id for f in loaded] == FORM_IDS
    chooser = api.questionnaire().by_key[forms_mod.CHOOSER]
    assert [f.choice for f in loaded] == [c.value for c in chooser.choices] == chooser.default


def test_the_decision_states_the_decision_maker_the_appeal_route_and_its_time_limit():
    decision = annex("decision", appeal_body="independent_panel", appeal_days=21, appeal_decision_days=10,
                     reapplication_months=6, decision_body="board")
    text = " ".join(notes(decision))
    assert "Decided by a multidisciplinary admission board, in accordance with article" in text
    assert "to an independent review panel, within 21 days of being notified of this decision" in text
    assert "The appeal is decided within 10 days." in text
    assert "once 6 months have passed since this decision" in text
    assert fields(decision)["Decision"] == ["Admission granted", "Admission granted subject to conditions",
                                            "Admission refused"]
    assert "Last day for an appeal" in fields(decision)
    court = " ".join(notes(annex("decision", appeal_body="court", appeal_days=30)))
    assert "to a court, within 30 days" in court and "The appeal is decided within" not in court
    none = annex("decision", appeal_body="none")
    assert any("provides no appeal within the prison administration" in n for n in notes(none))
    assert "Last day for an appeal" not in fields(none)


def test_the_separation_plan_has_a_row_for_each_week_of_the_transition():
    gradual = annex("separation-plan", separation_mode="gradual", separation_transition_weeks=6)
    transition = next(t for t in tables(gradual) if plain(t.columns[0]) == "Week")
    assert len(transition.rows) == 6 and all(cell == () for row in transition.rows for cell in row)
    assert any("gradually, over 6 weeks" in n for n in notes(gradual))
    fixed = annex("separation-plan", separation_mode="fixed_date", separation_notice_days=21)
    assert not any(plain(t.columns[0]) == "Week" for t in tables(fixed))
    assert any("at least 21 days in advance" in n for n in notes(fixed))
    assert "Date on which the parent was told the date of the separation" in fields(fixed)


def test_the_assessment_report_lists_the_reports_the_answers_require():
    report = annex("assessment", assessment_reports=["health", "security"])
    received = tables(report)[0]
    assert [typed(row[0]) for row in received.rows] == [
        "The report of the child-welfare authority on the child's situation and best interests",
        "A report of the health professionals who follow the parent and the child",
        "A report on any risk that the parent's conduct in prison presents for the child"]
    assert "The specialist assessment of the risk that the parent presents to the child" not in fields(report)
    risky = annex("assessment", offence_exclusion="risk_assessment", excluded_offences="serious")
    assert "The specialist assessment of the risk that the parent presents to the child" in fields(risky)


def test_the_application_offers_the_carers_and_applicants_the_answers_admit():
    application = fields(annex("application", eligible_carers=["mothers"], application_by=["child_welfare"],
                               remand_eligible=False))
    assert application["Relationship to the child"] == ["Mother, or expectant mother"]
    assert application["The application is made by"] == ["The parent", "The child-welfare authority"]
    assert "Legal situation" not in application
    everyone = fields(annex("application"))["Relationship to the child"]
    assert len(everyone) == 3


def test_the_care_plan_is_filled_with_the_time_limits_and_the_age_limit():
    plan = annex("care-plan", care_plan_weeks=3, max_age_months=18, outings_allowed=False)
    assert any("agreed within 3 weeks of the child's admission" in n for n in notes(plan))
    assert "Date on which the child reaches the age of 18 months" in fields(plan)
    matters = [typed(row[0]) for row in tables(plan)[0].rows]
    assert "Outings in the community" not in matters and len(matters) == 8


@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_form_is_translated(example, lang):
    t = i18n.translator(lang)
    t.fell_back.clear()
    document = api.document(api.load_answers(example), lang, BuildOptions())
    untranslated = {key for key in t.fell_back if key[0] and key[0].startswith("form:")}
    assert not untranslated
    english = {text for form in api.forms() for _context, text in form.texts() if len(text) > 30}
    shown = {plain(b.content) for a in document.annexes for b in a.blocks if isinstance(b, Heading | Note)}
    assert not english & shown


@pytest.mark.parametrize("text, expected", [
    ("form: x\nchoice: application\norder: 1\ntitle: T\nblocks:\n  - note: 'Within %(nowhere)s.'\n",
     "unknown parameter 'nowhere': not a question of the questionnaire"),
    ("form: x\nchoice: application\norder: 1\ntitle: T\nblocks:\n  - table:\n      columns: [A]\n"
     "      rows: jurisdiction\n", "expected a question of type int, found 'jurisdiction'"),
    ("form: x\nchoice: application\norder: 1\ntitle: T\nblocks:\n  - picture: logo.png\n",
     "expected a block with one of heading, note, fields, table"),
    ("form: x\nchoice: nothing\norder: 1\ntitle: T\nblocks: []\n",
     "expected a choice of annexed_forms, found 'nothing'"),
    ("form: x\nchoice: application\norder: 1\ntitle: T\nblocks:\n  - fields:\n      - label: L\n"
     "        lines: 99\n", "expected lines from 1 to 20, found 99"),
    ("form: x\nchoice: application\norder: 1\ntitle: T\nblocks:\n  - note: N\n    when: 'nursery in'\n",
     "expected a condition such as"),
    ("form: X Y\nblocks: []\n", "expected a form id such as care-plan, found 'X Y'"),
])
def test_a_broken_form_is_reported_with_its_file_and_line(write, tmp_path, text, expected):
    path = write("forms/x.yaml", text)
    with pytest.raises(DefinitionError) as error:
        forms_mod.load(api.questionnaire(), tmp_path / "forms")
    assert expected in str(error.value) and str(path) in str(error.value)


def test_forms_are_built_alone_as_word_forms_for_daily_use(invoke, write, tmp_path):
    path = write("r.yaml", MINIMAL + "annexed_forms: [application, decision]\n")
    result = invoke("build", path, "--forms", "--format", "docx,md", "--lang", "en,fr", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(f"r.{lang}.{form}.{fmt}" for lang in ("en", "fr") for form in ("application", "decision")
                           for fmt in ("docx", "md"))
    assert "page numbers" not in result.stderr   # a form has no table of contents to fill
    data = (tmp_path / "out" / "r.en.decision.docx").read_bytes()
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert not section.different_first_page_header_footer
    assert [p.text for p in section.header.paragraphs] == ["PSI 1/2026, Annex II"]
    assert section.footer.paragraphs[0].text == "Page 1 of 1"
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "Annex II – Decision on an application for admission"]
    assert not [p for p in document.paragraphs if p.style.name.startswith("toc")]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b"updateFields" not in package.read("word/settings.xml")
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["Decision", f"{word.BOX} Admission granted\n{word.BOX} Admission granted subject to conditions\n"
                        f"{word.BOX} Admission refused"] in rows
    french = docx.Document(str(tmp_path / "out" / "r.fr.decision.docx"))
    assert french.sections[0].header.paragraphs[0].text == "PSI 1/2026, annexe II"


def test_one_annex_alone_and_an_annex_the_directive_lacks(invoke, write, tmp_path):
    path = write("r.yaml", MINIMAL + "annexed_forms: [decision]\n")
    result = invoke("build", path, "--annex-only", "decision,sources", "--format", "md", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["r.en.decision.md", "r.en.sources.md"]
    from toolkit.render import md

    alone = md.read((tmp_path / "out" / "r.en.decision.md").read_text(encoding="utf-8"))
    assert alone.meta.kind == ANNEX and alone.parts == () and [a.id for a in alone.annexes] == ["decision"]
    assert plain(alone.block[0]) == "Annex I to PSI 1/2026, Children living in prison with a parent"
    missing = invoke("build", path, "--annex-only", "care-plan", "--out", tmp_path / "other")
    assert missing.exit_code == 2
    assert "--annex-only: expected an annex of this directive (decision, sources, instruments), found 'care-plan'" \
        in missing.stderr
    assert not (tmp_path / "other").exists()


def test_the_html_page_shows_forms_as_tables_to_fill_in():
    from lxml import html as lxml_html

    page = api.render(answers(), "en", "html", BuildOptions()).decode("utf-8")
    root = lxml_html.document_fromstring(page)
    decision = root.get_element_by_id("annex-decision")
    labels = [td.text_content().strip().replace("\u2019", "'")
              for td in decision.xpath(".//table[@class='fields']//td[@class='label']")]
    assert "Reasons for the decision, with reference to the child's best interests" in labels
    boxes = decision.xpath(".//ul[@class='options']/li/text()")
    assert boxes[:3] == ["Admission granted", "Admission granted subject to conditions", "Admission refused"]


def test_labels_of_a_standalone_annex_come_from_its_language():
    document = api.document(answers(), "es", BuildOptions())
    alone = compose.alone(document, "decision", i18n.translator("es"))
    assert alone.meta.running == "PSI 1/2026, anexo V"
    assert plain(alone.annexes[0].title).startswith("Anexo V – ")
