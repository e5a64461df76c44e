"""`draft check`: every rule has answers that fall short of it and answers that meet it."""
from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT

from toolkit import answers as answers_mod, api, check, i18n, questionnaire
from toolkit.api import BuildOptions

BASE = ROOT / "examples" / "comprehensive-unit.yaml"

# For each rule: answers that fall short of it, and answers that meet it (over the comprehensive example).
CASES = {
    "restraints-labour": ({"restraints_pregnancy": "risk_based"}, {"restraints_pregnancy": "labour"}),
    "restraints-pregnancy": ({"restraints_pregnancy": "labour"}, {"restraints_pregnancy": "pregnancy"}),
    "segregation": ({"disciplinary_segregation": "exceptional"}, {"disciplinary_segregation": "never"}),
    "contact-ban": ({"contact_ban_sanction": True}, {"contact_ban_sanction": False}),
    "separation-assessment": ({"separation_automatic_at_age_limit": True},
                              {"separation_automatic_at_age_limit": False}),
    "alternative-care-first": ({"alternative_care_before_removal": False}, {"alternative_care_before_removal": True}),
    "contact-after-separation": ({"post_separation_contact": False}, {"post_separation_contact": True}),
    "child-screening": ({"child_screening_on_admission": False}, {"child_screening_on_admission": True}),
    "child-health-care": ({"paediatric_care": "prison_general"}, {"paediatric_care": "community"}),
    "not-a-prisoner": ({"child_search_rule": "as_prisoners"}, {"child_search_rule": "clothed_search"}),
    "birth-certificate": ({"birth_certificate_mentions_prison": True}, {"birth_certificate_mentions_prison": False}),
    "admission-appeal": ({"appeal_body": "none"}, {"appeal_body": "court"}),
    "separation-review": ({"separation_decision_by": "board", "separation_review_by": "none"},
                          {"separation_decision_by": "court"}),
    "staff-training": ({"staff_child_training": False}, {"staff_child_training": True}),
    "independent-monitoring": ({"inspection_bodies": []}, {"inspection_bodies": ["npm"]}),
    "age-limit-individual": ({"age_extension": False}, {"age_extension": True}),
    "non-custodial": ({"deferral_in_law": False, "community_programmes": False}, {"deferral_in_law": True}),
    "childcare": ({"facilities": ["outdoor_play"], "community_childcare": False}, {"community_childcare": True}),
    "outdoor-play": ({"facilities": ["nursery"]}, {"facilities": ["nursery", "outdoor_play"]}),
    "use-of-force": ({"force_weapons": "exceptional"}, {"force_weapons": "never"}),
    "young-mothers": ({"minor_parents": False}, {"minor_parents": True}),
    "primary-carers": ({"eligible_carers": ["mothers"]}, {"eligible_carers": ["mothers", "fathers"]}),
    "offence-exclusion": ({"offence_exclusion": "excluded", "excluded_offences": "serious"},
                          {"offence_exclusion": "risk_assessment", "excluded_offences": "serious"}),
}


def variant(write, name, changes):
    import yaml

    data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    data.update(changes)
    return write(f"{name}.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def statuses(path):
    loaded = answers_mod.load(questionnaire.load(), path)
    return {f.rule.id: f.status for f in check.evaluate(api.standards(), loaded)}


def test_every_rule_has_cases():
    assert set(CASES) == {r.id for r in api.standards()}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_falls_short_and_meets(write, rule):
    short, meets = CASES[rule]
    assert statuses(variant(write, "short", short))[rule] == check.FALLS_SHORT
    assert statuses(variant(write, "meets", meets))[rule] == check.MEETS


def test_defaults_meet_every_standard():
    q = questionnaire.load()
    values = q.defaults()
    findings = check.evaluate(api.standards(), answers_mod.Answers(values))
    assert [f.rule.id for f in findings if f.status == check.FALLS_SHORT] == []


def test_rule_is_not_addressed_when_its_questions_do_not_apply(write):
    path = variant(write, "court", {"separation_decision_by": "court"})
    loaded = answers_mod.load(questionnaire.load(), path)
    findings = {f.rule.id: f for f in check.evaluate(api.standards(), loaded)}
    assert findings["separation-review"].status == check.MEETS
    empty = answers_mod.Answers(dict.fromkeys(questionnaire.load().keys()))
    assert {f.status for f in check.evaluate(api.standards(), empty)} == {check.NOT_ADDRESSED}


def test_cli_exit_codes_and_reasons(invoke, write):
    good = variant(write, "good", {"eligible_carers": ["mothers", "fathers"]})
    result = invoke("check", good)
    assert result.exit_code == 0, result.output
    assert "falls short" not in result.output.lower()
    bad = variant(write, "bad", {"restraints_pregnancy": "risk_based"})
    result = invoke("check", bad)
    assert result.exit_code == 1
    assert "FALLS SHORT     Bangkok Rules, rule 24" in result.output
    assert "restraints_pregnancy:" in result.output and "bad.yaml:" in result.output
    assert invoke("check", write("broken.yaml", "jurisdiction: [")).exit_code == 2
    assert invoke("check", good, "--format", "pdf").exit_code == 2


def test_json_is_stable(invoke, write):
    bad = variant(write, "bad", {"appeal_body": "none"})
    first = invoke("check", bad, "--format", "json")
    second = invoke("check", bad, "--format", "json")
    assert first.exit_code == 1 and first.stdout == second.stdout
    data = json.loads(first.stdout)
    appeal = next(p for p in data["provisions"] if p["provision"] == "crc 9(1)")
    assert appeal["status"] == "falls_short"
    rule = next(r for r in appeal["rules"] if r["id"] == "admission-appeal")
    assert rule["answers"] == {"appeal_body": "none"} and rule["lines"]["appeal_body"] > 0
    assert data["summary"]["crc"]["falls_short"] >= 1


def test_markdown_report_is_the_document_for_the_ministry(invoke, write):
    from toolkit.render import md
    from toolkit.render.tree import REPORT, Table, plain

    result = invoke("check", variant(write, "bad", {"contact_ban_sanction": True}), "--format", "md")
    assert result.exit_code == 1
    tree = md.read(result.stdout)
    assert tree.meta.kind == REPORT and plain(tree.title).startswith("How the answers measure")
    findings = next(block for block in tree.annexes[0].blocks if isinstance(block, Table))
    assert [plain(c) for c in findings.columns] == ["Provision", "Requirement", "Finding", "Reasons"]
    row = next(r for r in findings.rows if plain(r[0]) == "Bangkok Rules, rule 23")
    assert plain(row[2]) == "falls short" and "contact_ban_sanction: yes" in plain(row[3])
    assert "bad.yaml" not in result.stdout   # the ministry's reader has no answers file


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_compliance_annex_in_every_language(write, tmp_path, lang):
    if lang not in i18n.languages():
        pytest.skip(f"no {lang} catalog")
    path = variant(write, "annex", {"contact_ban_sanction": True})
    text = api.render_markdown(api.load_answers(path), lang, BuildOptions(langs=(lang,), compliance_annex=True))
    t = i18n.translator(lang)
    title = t.pgettext("check", "Compliance with international standards")
    heading = next(line for line in text.splitlines() if line.startswith("## ") and title in line)
    assert re.fullmatch(r"## \S+ [IVX]+ – " + re.escape(title), heading)
    because = next(r for r in api.standards() if r.id == "contact-ban").because
    assert t.lookup("standard:contact-ban:because", because) in text.replace("\\", "")
    assert not re.search(r"annex\.yaml:\d+", text)   # no answers-file lines inside the text to be adopted
    if lang != "en":
        assert title != "Compliance with international standards"


def test_the_report_for_the_ministry_is_a_word_document_with_its_findings_in_a_table(invoke, write, tmp_path):
    import docx

    bad = variant(write, "bad", {"contact_ban_sanction": True})
    target = tmp_path / "reports" / "compliance.fr.docx"
    result = invoke("check", bad, "--lang", "fr", "--format", "docx", "--out", target)
    assert result.exit_code == 1 and f"{target}" in result.stdout   # written, and something falls short
    document = docx.Document(str(target))
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Conformité des réponses aux normes internationales"
    findings, summary = document.tables
    rows = [[cell.text for cell in row.cells] for row in findings.rows]
    assert rows[0] == ["Disposition", "Exigence", "Constat", "Motifs"]
    short = [row for row in rows if row[2] == "non conforme"]
    assert short and all(row[3] for row in short) and not any("bad.yaml" in cell for row in rows for cell in row)
    assert summary.rows[0].cells[0].text == "Instrument"
    assert document.sections[0].footer.paragraphs[0].text == "Page 1 sur 1"
    again = invoke("check", bad, "--format", "docx", "--out", target)
    assert again.exit_code == 2 and "already exists; use --force" in again.stderr
    assert invoke("check", bad, "--format", "docx", "--out", target, "--force").exit_code == 1


def test_a_word_report_needs_a_file_name(invoke, write):
    result = invoke("check", variant(write, "good", {}), "--format", "docx")
    assert result.exit_code == 2 and "--out: a Word report is a file: give its name with --out" in result.stderr


def test_the_markdown_report_can_be_written_to_a_file(invoke, write, tmp_path):
    from conftest import reads_back

    target = tmp_path / "report.md"
    result = invoke("check", variant(write, "good", {"eligible_carers": ["mothers", "fathers"]}), "--format", "md",
                    "--out", target)
    assert result.exit_code == 0 and reads_back(target.read_text(encoding="utf-8"))


def test_a_matter_left_to_other_law_is_not_addressed_and_the_finding_names_the_answer(invoke, write):
    path = variant(write, "silent", {"appeal_body": "not_regulated", "separation_review_by": "not_regulated"})
    assert statuses(path)["admission-appeal"] == check.NOT_ADDRESSED
    assert statuses(path)["separation-review"] == check.NOT_ADDRESSED
    result = invoke("check", path)
    entries = " ".join(result.output.split()).split("NOT ADDRESSED CRC, art. 9(1)")
    assert "appeal_body: not regulated here (left to other law) (silent.yaml:" in entries[1].split(" NOT ")[0]
    data = json.loads(invoke("check", path, "--format", "json").stdout)
    crc = next(p for p in data["provisions"] if p["provision"] == "crc 9(1)")
    assert crc["status"] == "not_addressed"
    rule = next(r for r in crc["rules"] if r["id"] == "admission-appeal")
    assert rule["answers"] == {"appeal_body": "not_regulated"} and rule["lines"]["appeal_body"] > 0


def test_a_rule_that_does_not_apply_says_so(invoke, write):
    path = variant(write, "juvenile", {"minor_parents": "does_not_apply"})
    assert statuses(path)["young-mothers"] == check.NOT_APPLICABLE
    result = invoke("check", path)
    assert "minor_parents: does not apply in this jurisdiction (juvenile.yaml:" in result.output
    assert "do not apply" in result.output   # the summary counts them
    text = api.render_markdown(api.load_answers(path), "en", BuildOptions(langs=("en",)))
    assert "held under the law on juvenile justice" in text.replace("\\", "")


def test_a_silent_answer_never_makes_a_rule_meet(write):
    """Left to other law, the matter is not addressed even where the other answers the rule reads are
    given: only answers that address it can meet it."""
    path = variant(write, "half", {"separation_decision_by": "board", "separation_review_by": "not_regulated"})
    assert statuses(path)["separation-review"] == check.NOT_ADDRESSED
