"""One term, one rendering, over the whole output: every example built in French and Spanish — the
directive, its drafting notes and its annexes, in Markdown and in Word — uses the renderings of
locales/glossary.yaml and none of the paraphrases it rejects, and its articles keep one form per
modality (an obligation in the French present and the Spanish future, a permission as « peut » and
"podrá"), paragraph by paragraph against the English build of the same answers."""
from __future__ import annotations

import pytest
from conftest import EXAMPLES, PROOF_LANGS, reader_prose, word_text
from glossary import GLOSSARY, modality_problems, rejected

from toolkit.render import md
from toolkit.render.tree import plain

CASES = [(example, lang) for example in EXAMPLES for lang in PROOF_LANGS]
IDS = [f"{example.stem}-{lang}" for example, lang in CASES]


def markdown(out, example, lang) -> str:
    return (out / f"{example.stem}.{lang}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("example, lang", CASES, ids=IDS)
def test_no_rejected_rendering_of_a_term_in_a_build(proof_builds, example, lang):
    for text in (markdown(proof_builds, example, lang), word_text(proof_builds / f"{example.stem}.{lang}.docx")):
        assert rejected(reader_prose(text, example, lang), lang) == []


@pytest.mark.parametrize("example, lang", CASES, ids=IDS)
def test_articles_keep_one_form_per_modality(proof_builds, example, lang):
    english = md.read(markdown(proof_builds, example, "en"))
    translated = md.read(markdown(proof_builds, example, lang))
    by_id = {article.id: article for article in translated.articles()}
    assert list(by_id) == [article.id for article in english.articles()]
    problems, paragraphs = [], 0
    for source in english.articles():
        target = by_id[source.id]
        assert len(target.paragraphs) == len(source.paragraphs), source.id
        for a, b in zip(source.paragraphs, target.paragraphs, strict=True):
            paragraphs += 1
            said = " ".join([plain(a.content), *(plain(item.content) for item in a.items)])
            written = " ".join([plain(b.content), *(plain(item.content) for item in b.items)])
            problems += [f"{source.id}: {p}" for p in modality_problems(said, reader_prose(written, example, lang),
                                                                        lang)]
    assert paragraphs > 300 and problems == []


def test_the_glossary_names_a_rendering_and_rejected_variants_for_the_terms_of_the_directive():
    """The defined terms and the words that varied between translators each have one rendering and the
    paraphrases to refuse, in both languages."""
    by_term = {term["en"]: term for term in GLOSSARY["terms"]}
    for key in ("child-welfare authorit", "care plan", "separation plans?\\b", "admission board", "decision-maker",
                "(?<!primary )caregivers?", "liaison officer", "parenting agreement", "\\bthe Director\\b",
                "\\bunits?\\b", "nursery|nurseries", "\\bvisit(?:s|ed|ing)?\\b", "\\bremand\\b|\\buntried\\b",
                "(?<!in a )(?<!last )\\bsentenc", "\\bprisoners?\\b"):
        term = by_term[key]
        for lang in PROOF_LANGS:
            assert term[lang] and term["reject"][lang], (key, lang)
    shall = next(rule for rule in GLOSSARY["modality"] if rule["en"] == "\\bshall\\b")
    assert shall["require"]["es"] and shall["reject"]["es"]
