"""A ministry's clause folders that are wrong in the ways people and attackers get them wrong
(tests/corpus/overlays/): each gives exit 2 naming the file, line, clause and field, with nothing
written — and a literal percent sign, written %%, reaches every format as one."""
from __future__ import annotations

import time

import docx
import pytest
from conftest import MINIMAL, ROOT

CORPUS = ROOT / "tests" / "corpus" / "overlays"
EXPECTED = {
    "sources-a-number": ":5: extra.training: expected sources to be a list, found 5",
    "params-a-number": ":5: extra.training: expected params to be a list, found 7",
    "topics-a-number": ":5: extra.training: expected topics to be a list, found 38",
    "items-a-number": ":8: extra.training: expected items to be a list, found 3",
    "title-a-mapping": ":5: extra.training: expected title to be text, found a mapping",
    "lone-percent": ":5: extra.training: a parameter must be written %(key)s and a percent sign %%",
    "chained-not": ":5: extra.training: expected a condition of at most 1000 characters, found 12004",
    "nested-not": ":5: extra.training: expected a condition nested at most 50 levels deep",
    "pinpoint-of-5000-digits": ":5: extra.training: expected a pinpoint such as 52(2) or 26-28, found '777",
    "literal-percent": "",
}


def test_corpus_is_complete():
    assert {p.name for p in CORPUS.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(name for name, fragment in EXPECTED.items() if fragment))
def test_broken_overlays(invoke, write, tmp_path, name):
    out = tmp_path / "out"
    started = time.monotonic()
    result = invoke("build", write("r.yaml", MINIMAL), "--clauses", CORPUS / name, "--out", out)
    assert time.monotonic() - started < 10
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert f"{CORPUS / name / 'extra.yaml'}{EXPECTED[name]}" in result.stderr
    assert len(result.stderr.splitlines()) <= 12 and all(len(line) < 500 for line in result.stderr.splitlines())
    assert not out.exists()


def test_a_literal_percent_sign_reaches_every_format(invoke, write, tmp_path):
    out = tmp_path / "out"
    result = invoke("build", write("r.yaml", MINIMAL), "--clauses", CORPUS / "literal-percent", "--format",
                    "md,docx,html", "--out", out)
    assert result.exit_code == 0, result.output
    sentence = "At least 100% of the staff of the unit shall be trained in the care of young children."
    assert sentence in (out / "r.en.md").read_text(encoding="utf-8")
    assert sentence in (out / "r.en.html").read_text(encoding="utf-8")
    assert any(p.text.startswith(sentence) for p in docx.Document(str(out / "r.en.docx")).paragraphs)


def test_a_folder_of_too_many_clause_files_is_refused_before_any_is_read(invoke, write, tmp_path):
    folder = tmp_path / "clauses"
    folder.mkdir()
    for n in range(1001):
        (folder / f"s{n}.yaml").write_text("not: [valid", encoding="utf-8")
    result = invoke("build", write("r.yaml", MINIMAL), "--clauses", folder, "--out", tmp_path / "out")
    assert result.exit_code == 2
    expected = f"draft: {folder}: --clauses: expected at most 1000 clause files in the folder, found 1001\n"
    assert result.stderr == expected
