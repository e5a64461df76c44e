"""`draft clauses lint` and the held-out measure: the model library passes the lint over every example, the
falling-short answers of every rule and generated answers; an overlay that breaks a rule is reported as
file:line; the directive that takes every falling-short choice reads right."""
from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES, ROOT
from hypothesis import HealthCheck, given, settings
from test_properties import answers as generated_answers

from toolkit import api, check, i18n, lint
from toolkit.api import BuildOptions
from toolkit.assemble import assemble
from toolkit.library import Source
from toolkit.render.tree import ANNEX_TARGET, Citation, Emphasis, Ref, plain

FALLING_SHORT = ROOT / "tests" / "fixtures" / "falling-short.yaml"


@pytest.fixture(scope="module")
def model():
    return api.library(), api.questionnaire(), api.standards()


# -- the model library
def test_the_model_library_passes_the_lint(invoke):
    result = invoke("clauses", "lint")
    assert result.exit_code == 0, result.output
    assert "no findings in" in result.stdout
    named, total = map(int, re.search(r"in (\d+) of its (\d+) uses", result.stderr).groups())
    assert total > 500 and named / total >= 0.9


def test_the_lint_varies_every_example_over_every_rule(model):
    library, questionnaire, rules = model
    bases = lint.bases(questionnaire, [], EXAMPLES)
    assert len(bases) == len(EXAMPLES) + 1
    for base in bases:   # every base can be made to fall short of every rule it can be varied on
        falling = [rule.id for rule in rules if lint.rule_builds(questionnaire, rule, base)[0]]
        assert len(falling) >= len(rules) - 3, (base.label, sorted({r.id for r in rules} - set(falling)))
    report = lint.lint(library, questionnaire, rules, bases)
    assert report.findings == []
    assert report.builds > 20 * len(bases)


def test_the_falling_short_answers_pass_the_lint(model, invoke):
    library, questionnaire, rules = model
    base = lint.bases(questionnaire, [FALLING_SHORT], [])
    report = lint.lint(library, questionnaire, rules, base)
    assert report.findings == []
    assert invoke("clauses", "lint", "--answers", FALLING_SHORT).exit_code == 0


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_answers())
def test_generated_answers_pass_the_lint(values):
    library, questionnaire, rules = api.library(), api.questionnaire(), api.standards()
    report = lint.lint(library, questionnaire, rules, [lint.Build("generated", values)])
    assert [str(p) for p in report.findings] == []


# -- an overlay that breaks each rule
SECTION = "section: roles\nclauses:\n"


def clause(id, text, title="A ministry rule", sources="crc 3(1)", extra=""):
    """A clause of an overlay, in the library's YAML: each text a paragraph, a (when, text) pair a conditional one."""
    def quoted(line):
        return "'" + line.replace("'", "''") + "'"
    lines = "".join(f"      - {quoted(p)}\n" if isinstance(p, str) else
                    f"      - when: {p[0]}\n        text: {quoted(p[1])}\n" for p in text)
    return (f"  - id: {id}\n    title: {title}\n    topics: [1]\n    text:\n{lines}"
            f"    sources: [{sources}]\n    note: Ministry wording.\n{extra}")


OVERLAYS = {
    "departure": (SECTION.replace("roles", "pregnancy") + """\
  - id: pregnancy.restraints-risk
    variant_of: pregnancy.restraints
    when: restraints_pregnancy == "risk_based"
    title: Restraints of pregnant women on an individual risk assessment
    topics: [24]
    text:
      - The Director may allow instruments of restraint on a pregnant woman on an individual risk assessment.
    sources: [bangkok 24, mandela 47(2)]
    note: Ministry wording.
""", "cites bangkok 24, but this wording is kept when the answers fall short of the rule restraints-"),
    "reference": (SECTION + clause("roles.ministry", [
        "The Director shall apply article %(article:age-limit.extension)s."]),
        "refers to article age-limit.extension, which the build leaves out"),
    "unused term": (SECTION + clause("roles.ministry", [
        '"the play leader" means the member of staff who leads play in the unit.']),
        "defines 'the play leader', but nothing in the build uses it"),
    "undefined term": (SECTION + clause("roles.ministry", [
        "The Director shall appoint the play leader."]) + clause("roles.ministry-definition", [
            '"the play leader" means the member of staff who leads play in the unit.'],
        extra="    when: age_extension\n"),
        "uses 'the play leader', which the build does not define there"),
    "actor": (SECTION + clause("roles.ministry", ["Every child shall be fed at regular times."]),
              "\"shall\" does not name who acts: Every child shall be fed"),
    "unbound": (SECTION + clause("roles.ministry", ["The hospital shall admit the mother at once."]),
                "\"shall\" binds a body a prison directive cannot bind: The hospital shall admit"),
    "excludes": (SECTION + clause("roles.ministry", ["The Director shall designate a single officer."],
                                  extra="    excludes: [roles.liaison-officer]\n"),
                 "is selected together with roles.liaison-officer, which it excludes"),
    "overrides": (SECTION + clause("roles.ministry", [
        "The Director may designate another officer.",
        ("age_extension", "This is notwithstanding article %(article:roles.liaison-officer)s.")],
        extra="    overrides: [roles.liaison-officer]\n"),
        "makes an exception to article roles.liaison-officer but does not say so in the wording selected"),
}


@pytest.mark.parametrize("kind", list(OVERLAYS))
def test_an_overlay_that_breaks_a_rule_is_reported_at_its_line(kind, write, tmp_path, invoke):
    text, expected = OVERLAYS[kind]
    path = write("ours/ministry.yaml", text)
    result = invoke("clauses", "lint", "--clauses", tmp_path / "ours", "--answers", FALLING_SHORT)
    assert result.exit_code == 1, result.output
    assert expected in result.stdout, result.stdout
    found = [line for line in result.stdout.splitlines() if expected in line]
    where = re.match(rf"{re.escape(str(path))}:(\d+): ", found[0])
    assert where, found[0]
    assert text.splitlines()[int(where.group(1)) - 1].strip(), "the line named is not blank"
    assert "finding" in result.stderr


def test_the_lint_speaks_the_language_asked(write, tmp_path, invoke):
    write("ours/ministry.yaml", OVERLAYS["actor"][0])
    result = invoke("clauses", "lint", "--clauses", tmp_path / "ours", "--lang", "fr", "--answers", FALLING_SHORT)
    assert result.exit_code == 1
    assert "does not name" not in result.stdout and "«\u00a0shall\u00a0»" in result.stdout
    assert "constatation" in result.stderr
    clean = invoke("clauses", "lint", "--lang", "es")
    assert clean.exit_code == 0 and "ninguna observación" in clean.stdout


@pytest.mark.parametrize("args", [
    ("--answers", "/nonexistent/answers.yaml"),
    ("--clauses", "/nonexistent/clauses"),
    ("--lang", "xx"),
])
def test_bad_input_exits_2(args, invoke):
    assert invoke("clauses", "lint", *args).exit_code == 2


def test_an_invalid_overlay_exits_2(write, tmp_path, invoke):
    write("bad/ours.yaml", SECTION + clause("roles.ministry", ["The Director shall act."],
                                            extra="    variant_of: roles.nowhere\n    when: true\n"))
    result = invoke("clauses", "lint", "--clauses", tmp_path / "bad")
    assert result.exit_code == 2
    assert "variant_of names an unknown clause 'roles.nowhere'" in result.output


@pytest.mark.parametrize("sentence, verdict", [
    ("The Director shall ensure that the child is fed.", ""),
    ("The liaison officer shall inform the parent and shall record the reasons.", ""),
    ("Staff shall record every use of force.", ""),
    ("The child shall be fed.", "none"),
    ("The parent shall receive the decision in writing.", "none"),
    ("The decision shall be taken by the Director.", ""),
    ("The decision shall be taken by the court.", "unbound"),
    ("The child-welfare authority shall assess the caregiver.", "unbound"),
    ("The assessment, which the Director shall have recorded, is given to the parent.", ""),
])
def test_a_shall_names_who_acts(sentence, verdict):
    assert {v for v, _words in lint.shall_findings(sentence)} == {verdict}


# -- the held-out measure: the directive that takes every falling-short choice
@pytest.fixture(scope="module")
def falling_short(model):
    library = model[0]
    answers = api.load_answers(FALLING_SHORT)
    return answers, assemble(library, answers), api.document(answers, "en", BuildOptions())


def test_the_falling_short_answers_fall_short_of_every_rule(model, falling_short):
    _library, _questionnaire, rules = model
    answers = falling_short[0]
    assert {f.rule.id for f in check.evaluate(rules, answers) if f.status != check.FALLS_SHORT} == set()


def _inlines(content):
    for node in content:
        yield node
        if isinstance(node, (Emphasis, Citation)):
            yield from _inlines(node.children)


def _articles(document):
    return [article for part in document.parts for article in part.articles]


def _pinpoint(wording, instrument, pinpoint: str) -> str:
    """A provision as a footnote writes it, without the instrument's name and the word "rule", "art."…"""
    alone = wording.cite(instrument, pinpoint).split(", ", 1)[1]
    return re.sub(r"^(?:rules?|arts?\.?|paras?\.|principles?)\s+", "", alone)


def test_no_footnote_cites_a_provision_its_article_departs_from(model, falling_short):
    from toolkit.wording import Wording

    library, questionnaire, _rules = model
    _answers, directive, document = falling_short
    wording = Wording(i18n.translator("en"), questionnaire)
    clauses = {a.id: a.clause for a in directive.articles()}
    departing = 0
    for article in _articles(document):
        clause = clauses[article.id]
        if not clause.sources:   # a formality of adoption (entry into force, repeal) cites nothing
            continue
        footnote = plain(next(n for n in _inlines(article.paragraphs[0].content) if isinstance(n, Citation)).children)
        assert footnote == wording.citations(clause, library.instruments)
        for departed in clause.departs_from:
            departing += 1
            assert not any(s.overlaps(departed) for s in clause.sources), (clause.id, departed)
            instrument = library.instruments[departed.instrument]
            groups = [g for g in footnote.rstrip(".").split("; ") if g.startswith(wording.instrument_short(instrument))]
            pinpoint = re.escape(_pinpoint(wording, instrument, departed.pinpoint))
            assert not any(re.search(rf"(?<![\w(]){pinpoint}(?![\w(])", g.split(", ", 1)[1]) for g in groups), \
                (clause.id, departed, footnote)
    assert departing >= 20


def test_no_heading_contradicts_its_text(model, falling_short):
    library, _questionnaire, _rules = model
    _answers, directive, document = falling_short
    variants = [a.clause for a in directive.articles() if a.clause.variant_of]
    assert len(variants) >= 10
    titles = {article.id: plain(article.title) for article in _articles(document)}
    for variant in variants:
        base = library.clause(variant.variant_of)
        assert titles[variant.place].replace("’", "'") == variant.title != base.title
        assert not re.match(r"(?:No|Never|Prohibition)\b", variant.title), variant.id
    # a heading that promises "never" or "no …" heads a text that allows no exception to it
    for article in _articles(document):
        title = plain(article.title)
        if re.match(r"(?:No|Never)\b", title):
            body = " ".join(plain(p.content) for p in article.paragraphs)
            assert not re.search(r"\b(?:only exceptionally|on an individual risk assessment|as a sanction)\b", body), \
                title


def test_every_cross_reference_is_resolved_to_an_article_of_the_build(falling_short):
    answers, _directive, document = falling_short
    ids = {article.id: str(article.number) for article in _articles(document)}
    refs = [node for article in _articles(document) for paragraph in article.paragraphs
            for content in (paragraph.content, *(i.content for i in paragraph.items))
            for node in _inlines(content) if isinstance(node, Ref) and not node.target.startswith(ANNEX_TARGET)]
    assert len(refs) >= 30
    assert all(ids.get(ref.target) == ref.label for ref in refs)
    text = api.render_markdown(answers, "en", BuildOptions())
    body = text.split("\n## Annex")[0]
    assert "%(" not in text
    assert not re.search(r"provisions? of this directive on|in accordance with (?:the provisions of )?this "
                         r"directive\b", text, re.I)
    plain_numbers = [m.group(0) for m in re.finditer(r"\barticles? \d+(?!\]\(#)", body)]
    assert plain_numbers == []   # every "article N" is a link to the article


@pytest.mark.parametrize("instrument, pinpoint", [
    ("bangkok", "59"), ("bangkok", "60"), ("bangkok", "61"), ("bangkok", "62"), ("crc", "20"),
    ("crc", "37(b)"), ("crc", "37(c)"), ("crc", "37(d)"), ("acrwc", "30(1)(d)"), ("alt-care", "67"),
])
def test_the_missing_pinpoints_are_cited(falling_short, instrument, pinpoint):
    _answers, directive, _document = falling_short
    wanted = Source(instrument, pinpoint)
    assert any(s.overlaps(wanted) for a in directive.articles() for s in a.clause.sources)


def test_young_parents_are_kept_apart_from_adults_under_crc_37c(model):
    library = model[0]
    cited = library.clause("scope.young-parents").sources
    assert Source("crc", "37(c)") in cited


def test_a_build_can_mark_its_departures(falling_short):
    answers = falling_short[0]
    marked = api.render_markdown(answers, "en", BuildOptions(mark_departures=True))
    plain_build = api.render_markdown(answers, "en", BuildOptions())
    assert "This article departs from" not in plain_build
    assert marked.count("This article departs from") >= 10
    assert "This article departs from Bangkok Rules, rule 24; Nelson Mandela Rules, rule 48(2)" in marked
    for lang, words in (("fr", "Le présent article s’écarte des dispositions suivantes"),
                        ("es", "El presente artículo se aparta de las disposiciones siguientes")):
        text = api.render_markdown(answers, lang, BuildOptions(langs=(lang,), mark_departures=True))
        assert text.count(words) >= 10, lang


def test_the_defaults_meet_the_standards_without_departing(model):
    library, questionnaire, _rules = model
    directive = assemble(library, lint.defaults(questionnaire))
    assert [a.clause.id for a in directive.articles() if a.clause.departs_from] == []
