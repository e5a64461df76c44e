"""The clause library: it loads, cites what exists, uses only real questions, and covers the standards."""
from __future__ import annotations

import itertools
import re

import pytest
from conftest import EXAMPLES

from toolkit import answers, api, assemble, library, questionnaire
from toolkit.errors import LibraryError

# Provisions the library must implement (each cited by at least one clause).
REQUIRED = {
    "bangkok": [2, 3, 4, 5, 9, 19, 21, 22, 23, 24, 25, 26, 28, 33, 42, 48, 49, 50, 51, 52, 53, 57, 58, 59, 60, 61,
                62, 63, 64, 65],
    "mandela": [7, 28, 29, 48],
    "crc": [2, 3, 6, 7, 9, 12, 18, 19, 20, 24, 31, 37],
    "acrwc": [30],
    "body-principles": [31],
    "alt-care": [48, 67],
}
QUNO_HEADINGS = ["IV.purpose", "IV.standards", "IV.rights", "IV.age-limit", "IV.decision", "IV.application",
                 "IV.awareness", "IV.responsibility", "IV.records", "IV.birth-registration", "IV.facilities",
                 "IV.food", "IV.health", "IV.work", "IV.treatment", "IV.safety", "IV.family-contact",
                 "III.monitoring"]


@pytest.fixture(scope="module")
def lib():
    return api.library()


@pytest.fixture(scope="module")
def q():
    return questionnaire.load()


def test_library_is_large_and_sectioned(lib):
    clauses = list(lib.clauses())
    assert len(clauses) >= 80
    assert len(lib.sections) >= 15
    assert len({c.id for c in clauses}) == len(clauses)


def test_every_clause_is_complete(lib):
    for section in lib.sections:
        for clause in section.clauses:
            assert clause.title and clause.text and (clause.sources or section.formal), clause.id
            assert len(clause.note.split()) >= 15, f"{clause.id}: the drafting note is too thin"
            assert clause.topics or section.formal, f"{clause.id}: names no topic"


def test_only_the_final_provisions_are_formalities(lib):
    """The sections whose clauses may cite nothing: formalities of adoption, not norms of the directive."""
    assert [s.key for s in lib.sections if s.formal] == ["final"]
    assert [c.id for c in lib.section("final").clauses if not c.sources] == [
        "final.other-instruments", "final.repeal", "final.entry-into-force"]


def cited(lib):
    return {(s.instrument, s.pinpoint) for c in lib.clauses() for s in c.sources}


@pytest.mark.parametrize("instrument, numbers", REQUIRED.items())
def test_required_provisions_are_implemented(lib, instrument, numbers):
    present = {int(re.match(r"\d+", pin).group()) for key, pin in cited(lib) if key == instrument}
    assert not set(numbers) - present, f"{instrument}: not cited: {sorted(set(numbers) - present)}"


def test_quno_headings_and_alternative_care_are_implemented(lib):
    present = {pin for key, pin in cited(lib) if key == "quno"}
    assert not set(QUNO_HEADINGS) - present
    assert any(key == "alt-care" for key, _ in cited(lib))


def test_every_topic_is_covered_or_out_of_scope_with_reason(lib):
    covered = {t for c in lib.clauses() for t in c.topics}
    assert len(lib.topics) == 50
    for number in lib.topics:
        assert number in covered or lib.out_of_scope.get(number), f"topic {number} is neither covered nor excused"


def test_every_pinpoint_exists_in_its_instrument(lib):
    for clause in lib.clauses():
        for source in clause.sources:
            inst = lib.instruments[source.instrument]
            assert inst.pinpoint_problem(source.pinpoint) is None, (clause.id, str(source))


def test_every_parameter_is_a_question(lib, q):
    for clause in lib.clauses():
        assert set(clause.params) <= set(q.by_key), clause.id


def test_instrument_catalogue_is_complete(lib):
    for inst in lib.instruments.values():
        for lang in ("en", "fr", "es"):
            assert inst.title.get(lang) and inst.short.get(lang), (inst.key, lang)
        assert inst.adoption and 1940 < inst.year < 2030


def _variants(q):
    """Answers that vary each question over its values, around every example and the defaults."""
    bases = [answers.load(q, path).values for path in EXAMPLES]
    for base in bases:
        yield base
        for question in q:
            if question.type == "bool":
                options = [True, False]
            elif question.type == "choice":
                options = [c.value for c in question.choices]
            elif question.type == "multi":
                options = [[], [c.value for c in question.choices]]
            elif question.type == "int":
                options = [v for v in (question.min, question.max) if v is not None]
            else:
                continue
            for value in options + list(question.allow):
                given = {k: answers.as_data(v) for k, v in base.items() if v is not None}   # as a file gives them
                given[question.key] = value
                try:
                    yield answers.validate(q, given).values
                except Exception:
                    continue


def test_every_clause_is_included_by_some_answers(lib, q):
    assert EXAMPLES, "no examples"
    included: set[str] = set()
    for values in itertools.islice(_variants(q), 5000):
        directive = assemble.assemble(lib, answers.Answers(values))
        included |= {a.clause.id for a in directive.articles()}
    missing = {c.id for c in lib.clauses()} - included
    assert not missing, f"never included: {sorted(missing)}"


OVERLAY = """\
section: admission
clauses:
  - id: {id}
    title: Our own rule
    text:
      - The Director shall record every application in %(jurisdiction)s.
    params: [jurisdiction]
    sources: [bangkok 2(1)]
    topics: [11]
    note: Ministry wording.
"""


def test_overlay_replaces_and_adds(lib, write, tmp_path):
    first = next(lib.clauses())
    write("ours/a.yaml", OVERLAY.replace("section: admission", f"section: {first.section}").format(id=first.id))
    write("ours/b.yaml", OVERLAY.format(id="admission.ministry-register"))
    merged = library.load(api.questionnaire(), tmp_path / "ours")
    assert merged.clause(first.id).title == "Our own rule"
    assert [c.id for c in merged.section(first.section).clauses].index(first.id) == \
           [c.id for c in lib.section(first.section).clauses].index(first.id)
    assert merged.clause("admission.ministry-register").section == "admission"
    assert len(list(merged.clauses())) == len(list(lib.clauses())) + 1


@pytest.mark.parametrize("text, expected", [
    (OVERLAY.format(id="admission.x").replace("bangkok 2(1)", "bangkok 99"),
     "expected a number from 1 to 70 (a rule of bangkok)"),
    (OVERLAY.format(id="admission.x").replace("bangkok 2(1)", "nowhere 1"), "unknown instrument 'nowhere'"),
    (OVERLAY.format(id="admission.x").replace("%(jurisdiction)s", "%(prison_name)s"),
     "the text uses %(prison_name)s but params does not list it"),
    (OVERLAY.format(id="admission.x").replace("[jurisdiction]", "[jurisdiction, nonsense]"),
     "unknown parameter 'nonsense'"),
    (OVERLAY.format(id="admission.x") + "  - id: admission.x\n    title: t\n    text: [a]\n    sources: [crc 3]\n",
     "duplicate clause id"),
    (OVERLAY.format(id="admission.x").replace("    sources: [bangkok 2(1)]\n", ""), "expected the field sources"),
    (OVERLAY.format(id="admission.x").replace("%(jurisdiction)s", "%(jurisdiction)s (Annex %(annex:forms)s)"),
     "the text refers to an unknown annex 'forms'; expected one of application, assessment, care-plan, compliance"),
    (OVERLAY.format(id="admission.x").replace("%(jurisdiction)s", "%(jurisdiction)s %(page:application)s"),
     "expected a reference such as %(article:separation.plan)s or %(annex:application)s, found %(page:application)s"),
    ("section: admission\nclauses:\n  - id: admission.x\n    title: [unclosed\n", "expected valid YAML"),
    (OVERLAY.format(id="admission.x") + "    variant_of: admission.nowhere\n    when: minor_parents\n",
     "variant_of names an unknown clause 'admission.nowhere'"),
    (OVERLAY.format(id="admission.x") + "    variant_of: pregnancy.restraints-risk\n    when: minor_parents\n",
     "which is itself a variant of 'pregnancy.restraints'"),
    (OVERLAY.format(id="admission.x") + "    variant_of: pregnancy.restraints\n",
     "a variant needs a condition (when) under which it takes the place of 'pregnancy.restraints'"),
    (OVERLAY.format(id="admission.x") + "    departs_from: [bangkok 2]\n", "cites bangkok 2(1), but departs from"),
    (OVERLAY.format(id="admission.x") + "    excludes: [admission.nowhere]\n",
     "excludes names an unknown clause 'admission.nowhere'"),
    (OVERLAY.format(id="admission.x") + "    overrides: [admission.application]\n",
     "overrides admission.application but never refers to it"),
    (OVERLAY.format(id="admission.x").replace("in %(jurisdiction)s",
                                              "under article %(article:pregnancy.restraints-risk)s"),
     "the text refers to 'pregnancy.restraints-risk', a variant"),
])
def test_bad_overlays_name_file_and_line(write, tmp_path, text, expected):
    path = write("bad/ours.yaml", text)
    with pytest.raises(LibraryError) as error:
        library.load(api.questionnaire(), tmp_path / "bad", annexes=api.annex_ids())
    assert expected in str(error.value)
    assert str(path) in str(error.value)
