"""Ordinary mistakes and hostile input: a clear message, exit code 2, no traceback, nothing written,
nothing lost. The corpus of broken answers files lives in tests/corpus/answers/."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL, ROOT, reads_back

from toolkit import api, output
from toolkit.api import BuildOptions

CORPUS = ROOT / "tests" / "corpus" / "answers"
# corpus file → fragments its message must contain (each names the file; line numbers where there is one)
EXPECTED = {
    "not-yaml.yaml": [":2: expected valid YAML"],
    "tabs.yaml": [":3: expected valid YAML", "tabs cannot indent YAML"],
    "empty.yaml": ["expected a mapping of question keys to answers, found an empty file"],
    "list.yaml": ["expected a mapping of question keys to answers, found a list"],
    "wrong-types.yaml": [":4: adoption_date: expected a date written YYYY-MM-DD, found '2026-13-45'",
                         ":5: max_age_months: expected a whole number of months, or a number with its unit such as "
                         "\"3 years\" or \"45 days\", found 'eighteen'",
                         ":6: age_extension: expected yes or no (true or false), found 'maybe'",
                         ":7: facilities: expected a list of values from nursery",
                         ":8: signing_office: expected language codes such as en, fr or es as keys, found 'name'"],
    "out-of-range.yaml": [":5: max_age_months: expected a number from 1 to 96, found -5",
                          ":6: separation_planning_weeks: expected a number from 2 to 52, found 100000"],
    "unknown-keys.yaml": [":5: max_age_month: unknown question key (did you mean 'max_age_months'?)",
                          ":6: favourite_colour: unknown question key"],
    "missing-required.yaml": ["issuing_authority: expected an answer to", "adoption_date: expected an answer to"],
    "duplicate-keys.yaml": [":3: expected valid YAML, found duplicate key 'jurisdiction' (first at line 1)"],
    "alias-bomb.yaml": [":2: expected valid YAML, found aliases (*name) are not allowed"],
    "latin-1.yaml": [":2: expected UTF-8 text, found the byte 0xe9"],
    "utf-16.yaml": ["expected UTF-8 text, found UTF-16"],
    "binary.yaml": ["expected UTF-8 text, found binary data"],
    "control-character.yaml": [":1: expected text, found the control character U+0007"],
}


def test_corpus_is_complete():
    assert {p.name for p in CORPUS.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_answers_files(invoke, tmp_path, name):
    out = tmp_path / "out"
    result = invoke("build", CORPUS / name, "--out", out)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for fragment in EXPECTED[name]:
        assert fragment in result.stderr, (fragment, result.stderr)
    assert str(CORPUS / name) in result.stderr
    assert len(result.stderr.splitlines()) <= 12
    assert not out.exists()


def test_relation_between_answers_is_checked(invoke, tmp_path):
    result = invoke("build", CORPUS / "out-of-range.yaml", "--out", tmp_path / "out")
    assert "max_age_extended_months: expected more than" not in result.stderr  # max_age_months itself is invalid
    good = tmp_path / "rel.yaml"
    good.write_text(MINIMAL + "max_age_months: 24\nage_extension: true\nmax_age_extended_months: 12\n",
                    encoding="utf-8")
    result = invoke("build", good, "--out", tmp_path / "out")
    assert result.exit_code == 2
    expected = ":7: max_age_extended_months: expected more than 24 (the answer to max_age_months), found 12"
    assert expected in result.stderr


def test_huge_file_is_refused_without_reading_it(invoke, tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = invoke("build", big, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "at most 2 MB, found 52.4 MB" in result.stderr


def test_very_long_text_is_refused(invoke, write, tmp_path):
    path = write("long.yaml", MINIMAL.replace("Ruritania\n", "R" * 5000 + "\n", 1))
    result = invoke("build", path, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "jurisdiction: expected at most 2000 characters, found 5000" in result.stderr


HOSTILE = ["*bold* _under_ `code`", "# not a heading", "1. not a list", "- not a bullet", "<w:p>x</w:p> <b>",
           "{{ 7*7 }}", "{% raw %}x{% endraw %}", "A & B &amp; C", "%(jurisdiction)s 100%", "\\ back\\slash",
           "مصلحة السجون", "שירות בתי הסוהר", "Prison Service 👶🏽🍼", "[link](http://x) ![img](y)", "> quote"]


@pytest.mark.parametrize("value", HOSTILE)
def test_user_text_appears_literally(tmp_path, value):
    data = yaml.safe_load(MINIMAL)
    data["issuing_authority"] = value
    data["jurisdiction"] = value
    path = tmp_path / "h.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    api.build([path], tmp_path, BuildOptions(formats=("md", "docx")))
    import docx
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": False}).parse((tmp_path / "h.en.md").read_text(encoding="utf-8"))
    texts = [c.content for t in tokens if t.type == "inline" for c in t.children if c.type == "text"]
    assert any(value in "".join(texts[i:i + 3]) for i in range(len(texts))), value
    assert not any(t.type in ("html_inline", "html_block") for t in tokens)
    assert reads_back((tmp_path / "h.en.md").read_text(encoding="utf-8"))
    document = docx.Document(str(tmp_path / "h.en.docx"))
    assert any(value in p.text for p in document.paragraphs)
    assert value in document.core_properties.author


def _existing(tmp_path) -> tuple[Path, Path]:
    answers = tmp_path / "r.yaml"
    answers.write_text(MINIMAL, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.en.md").write_text("precious", encoding="utf-8")
    return answers, out


def _no_leftovers(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == ["r.en.md"]
    assert (out / "r.en.md").read_text(encoding="utf-8") == "precious"


def test_write_error_midway_loses_nothing(invoke, tmp_path, monkeypatch):
    answers, out = _existing(tmp_path)
    monkeypatch.setattr(output, "_stage", _raising_on(3, output._stage))
    result = invoke("build", answers, "--out", out, "--force", "--lang", "en,fr", "--format", "md,docx")
    assert result.exit_code == 2, result.output
    assert "cannot write the file: No space left on device" in result.stderr
    _no_leftovers(out)


def _raising_on(n, real):
    count = {"calls": 0}

    def stage(target, data):
        count["calls"] += 1
        if count["calls"] == n:
            raise output.OutputError(output.Problem("cannot write the file: No space left on device", target))
        return real(target, data)

    return stage


def test_interruption_midway_loses_nothing(invoke, tmp_path, monkeypatch):
    answers, out = _existing(tmp_path)
    real, count = api.render, {"n": 0}

    def interrupted(*args):
        count["n"] += 1
        if count["n"] == 2:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(api, "render", interrupted)
    result = invoke("build", answers, "--out", out, "--force")
    assert result.exit_code == 130 and "interrupted; no file was written or replaced" in result.stderr
    _no_leftovers(out)


def test_unwritable_output_folder(invoke, tmp_path, monkeypatch):
    answers = tmp_path / "r.yaml"
    answers.write_text(MINIMAL, encoding="utf-8")
    monkeypatch.setattr(output, "writable", lambda folder: False)  # permissions do not bind root
    result = invoke("build", answers, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "the output folder is not writable" in result.stderr


def test_same_answers_name_twice_is_a_conflict(invoke, write, tmp_path):
    first = write("a/r.yaml", MINIMAL)
    second = write("b/r.yaml", MINIMAL)
    result = invoke("build", first, second, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "two answers files have the same name" in result.stderr
