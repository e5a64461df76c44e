"""The examples that encode real directives: each output states the jurisdiction's key parameters, in its
own terms and units and in the directive's language, and every example builds in all three languages."""
from __future__ import annotations

import re
import unicodedata
from functools import cache

import pytest
from conftest import ROOT

from toolkit import api, check
from toolkit.api import BuildOptions

# The phrases a directive built from each example must contain (several forms: any one will do).
STATES = {
    ("england-and-wales", "en"): [
        "18 months", "24 months", "the Governor", "Pregnancy and Mother and Baby Liaison Officer",
        "every women's prison", "independent chair", "MBU Admission Board", "written recommendation",
        "Secretary of State", "local authority children's services", "within 4 weeks", "parental responsibility",
        "drug-free", "nursery nurses", "remand", "offence type", "sentence length", "Child Benefit",
        "rule 9(3) of the Prison Rules 1999", "separated from a child under the age of 24 months", "pregnant"],
    ("new-zealand", "en"): [
        "24 months", "Prison Director", "Chief Executive", "Oranga Tamariki", "child development specialist",
        "social worker", "parenting agreement", "primary caregiver", "any security classification", "remand",
        "sexual or violent offending against children", "mental health and substance abuse", "emergency reception",
        "14 days", "2 alternative caregivers", "every 3 months", "Mothers with Babies Unit", "feeding and bonding",
        "whānau", "section 81A", "An appeal does not suspend the decision"],
    ("canada", "en"): [
        "Institutional Head", "Mother-Child Coordinator", "Deputy Commissioner for Women", "5 years", "7 years",
        "private family visit", "age of majority", "child welfare agency", "parenting program", "first aid",
        "review board", "suspension", "termination", "re-application", "transition plan", "rebuttal", "searched",
        "sexual nature", "serious violent", "inmate mothers", "Corrections and Conditional Release Act"],
    ("italy", "en"): [
        "3 years", "6 years", "10 years", "1 year", "ICAM", "attenuated custody", "prison nursery",
        "protected family home", "exceptional precautionary needs", "precautionary custody", "supervisory court",
        "supervisory judge", "special home detention", "deferral of execution", "the prison director",
        "the mother is deceased or unable", "without uniforms", "local social services",
        "Law No. 62 of 21 April 2011"],
    ("spain", "es"): [
        "tres años", "Unidad de Madres", "unidades dependientes", "Dirección del establecimiento",
        "Consejo de Dirección", "Ministerio Fiscal", "Junta de Tratamiento", "Centro Directivo", "filiación",
        "no entraña riesgo", "tercer grado", "guardería", "especialista en educación infantil", "pediatría",
        "Juez de Vigilancia Penitenciaria", "diez años", "artículo 38", "carezcan de recursos",
        "interés superior del menor", "material de obstetricia", "seis semanas", "ocho semanas"],
    ("france", "fr"): [
        "dix-huit mois", "commission consultative", "directeur interrégional des services pénitentiaires",
        "à la demande de la mère", "chef d'établissement", "autorité parentale", "locaux spécialement aménagés",
        "professionnels de la petite enfance", "avocat", "service pénitentiaire d'insertion et de probation",
        "juge aux affaires familiales", "magistrat saisi du dossier", "prévenue", "service hospitalier",
        "acte de l'état civil", "la rue et le numéro", "douze mois", "séjours de courte durée",
        "protection maternelle et infantile", "entretien de l'enfant", "aucun âge maximal n'est fixé"],
    ("mexico", "es"): [
        "tres años", "discapacidad", "prórroga", "Autoridad Penitenciaria",
        "Procuraduría Federal de Protección de Niñas, Niños y Adolescentes", "interés superior de la niñez",
        "guarda y custodia", "institución de asistencia social", "veinticuatro horas", "educación inicial",
        "atención pediátrica", "alimentación adecuada", "vestimenta", "lactancia", "Juez de Ejecución",
        "Centro Penitenciario", "separación", "gradual", "Ley Nacional de Ejecución Penal",
        "no se fija una edad máxima"],
    ("argentina", "es"): [
        "cuatro años", "jardín maternal", "personal calificado", "cuarenta y cinco días antes y después del parto",
        "obligación de trabajar", "servicio de maternidad", "dependencias especiales",
        "autoridad judicial o administrativa", "administración penitenciaria", "corrección disciplinaria",
        "en gestación o lactante", "autoridad médica", "personal femenino", "detención domiciliaria", "cinco años",
        "juez de ejecución", "Ley 24.660"],
}
# What each of them must not say, because the jurisdiction decided otherwise.
NEVER = {
    ("new-zealand", "en"): ["as in itself a ground for separation", "extension of the stay", "part-time"],
    ("canada", "en"): ["60 months", "84 months", "any security classification", "the parent bears no cost"],
    ("england-and-wales", "en"): ["the parent bears no cost", "a new application may be made"],
    ("france", "fr"): ["au plus tard jusqu'à ce que l'enfant atteigne", "commission d'admission"],
    ("spain", "es"): ["36 meses", "3 años"],
    ("mexico", "es"): ["36 meses", "como máximo hasta"],
    ("argentina", "es"): ["48 meses", "comisión de admisión"],
    ("italy", "en"): ["36 months", "72 months", "120 months"],
}


def normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\\", "").replace("’", "'")
    return re.sub(r"\s+", " ", text).casefold()


@cache
def directive(stem: str, lang: str) -> str:
    answers = api.load_answers(ROOT / "examples" / f"{stem}.yaml")
    return normal(api.render_markdown(answers, lang, BuildOptions(langs=(lang,))))


@pytest.mark.parametrize("case", list(STATES), ids=lambda c: f"{c[0]}.{c[1]}")
def test_the_directive_states_what_the_jurisdiction_decided(case):
    text = directive(*case)
    assert [p for p in STATES[case] if normal(p) not in text] == []
    assert [p for p in NEVER.get(case, []) if normal(p) in text] == []


@pytest.mark.parametrize("stem", sorted({stem for stem, _ in STATES}))
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_real_directive_builds_in_every_language(stem, lang):
    text = directive(stem, lang)
    assert text.count("### ") >= 50


def test_check_stays_fair_on_real_directives():
    """Matters a jurisdiction leaves to other law are not addressed, rules that do not apply say so, and a
    shortfall names the answer behind it."""
    spain = check.evaluate(api.standards(), api.load_answers(ROOT / "examples" / "spain.yaml"))
    statuses = {f.rule.id: f.status for f in spain}
    assert statuses["young-mothers"] == check.NOT_APPLICABLE      # minors are held under juvenile justice law
    report = api.compliance(api.load_answers(ROOT / "examples" / "spain.yaml"), "es")
    assert any("minor_parents" in why and "spain.yaml:" in why for _s, _c, _r, why in report.lines())
    report = api.compliance(api.load_answers(ROOT / "examples" / "new-zealand.yaml"), "en")
    lines = {citation: (status, why) for status, citation, _requirement, why in report.lines()}
    status, why = lines["QUNO Guidelines, IV(a) Establishing an age-limit"]
    assert status == check.FALLS_SHORT and "age_extension: no (new-zealand.yaml:" in why
    status, why = lines["CRC, art. 2(1)"]
    assert status == check.FALLS_SHORT and "eligible_carers: mothers (new-zealand.yaml:" in why
    england = api.compliance(api.load_answers(ROOT / "examples" / "england-and-wales.yaml"), "en")
    assert not [f for f in england.findings if f.rule.id == "admission-appeal" and f.status != check.MEETS]
