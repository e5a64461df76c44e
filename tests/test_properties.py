"""Properties that hold for any answers: they build, user text comes out literally, output is stable."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date

import docx
from conftest import EXAMPLES, ROOT, reads_back
from hypothesis import HealthCheck, given, settings, strategies as st

from toolkit import answers as answers_mod, api, i18n, questionnaire, text
from toolkit.api import BuildOptions

Q = questionnaire.load()
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60).filter(
    lambda s: s.strip() and text.FORBIDDEN.search(s) is None)   # what the one rule for every text accepts


def strategy(question):
    if question.type == "bool":
        return st.booleans()
    if question.type == "int":
        return st.integers(question.min if question.min is not None else 0,
                           question.max if question.max is not None else 1000)
    if question.type == "choice":
        return st.sampled_from([c.value for c in question.choices])
    if question.type == "multi":
        return st.lists(st.sampled_from([c.value for c in question.choices]), unique=True)
    if question.type == "date":
        return st.dates(date(1990, 1, 1), date(2100, 12, 31))
    if question.pattern is not None:
        return st.from_regex(f"^(?:{question.pattern})$", fullmatch=True).filter(lambda s: "\n" not in s)
    return TEXT


@st.composite
def answers(draw):
    given = {}
    for question in Q:
        if question.required or draw(st.booleans()):
            given[question.key] = draw(strategy(question))
    try:
        return answers_mod.validate(Q, given)
    except answers_mod.AnswersError:
        # an extended age drawn below the limit, say: the questionnaire refuses it, as it should; left out,
        # such an answer takes its proposed value, which keeps to its relations
        for question in Q:
            if question.relations():
                given.pop(question.key, None)
        return answers_mod.validate(Q, given)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_random_valid_answers_build_in_every_language_and_format(tmp_path_factory, values):
    for lang in i18n.languages():
        options = BuildOptions(langs=(lang,))
        text = api.render_markdown(values, lang, options)
        assert text.count("\n### ") >= 50
        assert reads_back(text)
        data = api.render(values, lang, "docx", options)
        assert data[:2] == b"PK"
        if values["country_code"]:
            from test_akn import validate

            validate(api.render(values, lang, "akn", options))


TEXT_KEYS = [q.key for q in Q if q.type == "text" and q.pattern is None]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries(dict.fromkeys(TEXT_KEYS, TEXT)))
def test_free_text_always_comes_out_literally(texts):
    given = {"adoption_date": date(2026, 11, 22), **texts}
    values = answers_mod.validate(Q, given)
    options = BuildOptions(formats=("docx",))
    assert reads_back(api.render_markdown(values, "en", options))
    document = docx.Document(__import__("io").BytesIO(api.render(values, "en", "docx", options)))
    body = "\n".join(p.text for p in document.paragraphs)
    for key in ("jurisdiction", "issuing_authority", "directive_reference", "signing_office"):
        assert values[key] in body, key
    assert values["directive_title"] == document.core_properties.title


def _build_hash(tmp_path, env_extra, name):
    out = tmp_path / name
    env = dict(os.environ, **env_extra)
    subprocess.run([sys.executable, "-m", "toolkit.cli", "build", str(EXAMPLES[0]), "--lang", "en,fr",
                    "--format", "md,docx", "--out", str(out)], check=True, env=env, capture_output=True, cwd=ROOT)
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}


def test_builds_are_byte_identical_across_time_zones_and_locales(tmp_path):
    first = _build_hash(tmp_path, {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}, "a")
    second = _build_hash(tmp_path, {"TZ": "America/Adak", "LC_ALL": "POSIX", "LANG": "fr_FR.UTF-8"}, "b")
    assert first == second and len(first) == 4


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=TEXT, bad=st.characters(whitelist_categories=("Cc", "Cs", "Cn", "Co")), after=TEXT)
def test_a_character_the_rule_refuses_is_refused_wherever_it_stands(before, bad, after):
    """Any text holding a control character or a non-character is refused with its field, never written
    into a document; the rest of what Unicode holds comes out literally (above)."""
    value = before + bad + after
    data = {"jurisdiction": value, "issuing_authority": "A", "directive_reference": "R", "adoption_date": "2026-11-22"}
    if text.FORBIDDEN.search(value) is None:
        answers_mod.validate(Q, data)
        return
    try:
        answers_mod.validate(Q, data)
    except answers_mod.AnswersError as error:
        assert "jurisdiction" in str(error) and "U+" in str(error)
    else:
        raise AssertionError(f"accepted {value!r}")
