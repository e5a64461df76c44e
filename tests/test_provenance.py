"""Every output records what built it: the toolkit's version and the library's content hash."""
from __future__ import annotations

import io
import zipfile

import pytest
import yaml
from conftest import EXAMPLES, MINIMAL

from toolkit import answers as answers_mod, api, provenance
from toolkit.api import BuildOptions
from toolkit.errors import AnswersError


def test_the_library_version_is_a_content_hash_of_clauses_templates_and_catalogs(write, tmp_path):
    model = provenance.library_version()
    assert len(model) == 16 and model == provenance.library_version()
    write("ours/general.yaml", "section: general\nclauses: []\n")
    assert provenance.library_version(tmp_path / "ours") != model
    write("ours/general.yaml", "section: general\nclauses: [] # edited\n")
    edited = provenance.library_version(tmp_path / "ours")
    assert edited not in (model, provenance.library_version(tmp_path / "nothing-here"))
    write("ours/notes.txt", "not a clause file")
    assert provenance.library_version(tmp_path / "ours") == edited


def test_markdown_word_and_html_record_the_versions():
    answers = api.load_answers(EXAMPLES[0])
    built = api.versions()
    assert built.toolkit == provenance.toolkit_version() != "unknown"
    markdown = api.render(answers, "en", "md", BuildOptions()).decode()
    front = yaml.safe_load(markdown.split("---")[1])
    assert (front["toolkit_version"], front["library_version"]) == (built.toolkit, built.library)
    with zipfile.ZipFile(io.BytesIO(api.render(answers, "en", "docx", BuildOptions()))) as package:
        custom = package.read("docProps/custom.xml").decode()
        assert "docProps/custom.xml" in package.read("_rels/.rels").decode()
    assert f'name="ToolkitVersion"><vt:lpwstr>{built.toolkit}</vt:lpwstr>' in custom
    assert f'name="LibraryVersion"><vt:lpwstr>{built.library}</vt:lpwstr>' in custom
    page = api.render(answers, "en", "html", BuildOptions()).decode()
    assert f'<meta name="library-version" content="{built.library}">' in page


@pytest.mark.parametrize("code", ["ke", "us-ca", "xa-ag"])
def test_a_country_code_is_iso_3166(code):
    data = {**yaml.safe_load(MINIMAL), "country_code": code}
    assert answers_mod.validate(api.questionnaire(), data).values["country_code"] == code


@pytest.mark.parametrize("code", ["Kenya", "KE", "k", "ke_nb", {"en": "ke", "fr": "ke"}])
def test_a_country_code_that_is_not_iso_3166_is_refused_with_an_example(code):
    data = {**yaml.safe_load(MINIMAL), "country_code": code}
    with pytest.raises(AnswersError, match=r"country_code: expected text such as ke, us-ca, found ('|a mapping)"):
        answers_mod.validate(api.questionnaire(), data)
