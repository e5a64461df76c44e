"""Letterheads (`--reference-docx`) from the corpus (tests/corpus/letterheads): bounded before anything is
inflated or parsed, malformed parts refused with the part and line, styles found by name or id in any
case, and what could reach outside the document or run removed — said once, never in the output."""
from __future__ import annotations

import io
import os
import time
import zipfile

import docx
import pytest
from conftest import MINIMAL
from corpus.letterheads import BUILT, CASES, reaches_outside

from toolkit.render import letterhead


@pytest.fixture
def build(invoke, write, tmp_path):
    answers = write("r.yaml", MINIMAL)

    def run(data: bytes | None = None, path=None, *args):
        if path is None:
            path = tmp_path / "letterhead.docx"
            path.write_bytes(data)
        started = time.monotonic()
        result = invoke("build", answers, "--format", "docx", "--out", tmp_path / "out", "--reference-docx", path,
                        *args)
        result.seconds = time.monotonic() - started
        return result

    return run


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_letterhead_is_built_or_refused_clearly_and_quickly(build, tmp_path, name):
    make, expected, fragment = CASES[name]
    result = build(make())
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.seconds < 10
    if expected == BUILT:
        assert result.exit_code == 0, result.output
        assert fragment in result.stderr
        document = docx.Document(str(tmp_path / "out" / "r.en.docx"))
        assert document.paragraphs[0].style.name == "Title"
    else:
        assert result.exit_code == 2, result.output
        assert f"{tmp_path / 'letterhead.docx'}: --reference-docx: " in result.stderr and fragment in result.stderr
        assert len(result.stderr.splitlines()) == 1 and len(result.stderr) < 400
        assert not (tmp_path / "out").exists()


def test_a_letterhead_saved_by_libreoffice_gets_its_header_and_footer_styles(build, tmp_path):
    result = build(CASES["libreoffice-style-names"][0]())
    assert result.exit_code == 0, result.output
    package = zipfile.ZipFile(tmp_path / "out" / "r.en.docx")
    footer = next(n for n in package.namelist() if n.startswith("word/footer"))
    header = next(n for n in package.namelist() if n.startswith("word/header"))
    assert b'<w:pStyle w:val="Footer"/>' in package.read(footer)
    assert b'<w:pStyle w:val="Header"/>' in package.read(header)
    styles = package.read("word/styles.xml")
    assert styles.count(b'w:styleId="Footer"') == 1 and styles.count(b'w:styleId="Header"') == 1


def test_what_reaches_outside_or_runs_is_removed_and_said_once(build, tmp_path):
    result = build(reaches_outside(), None, "--lang", "en,fr")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "letterhead" in line]
    assert len(notes) == 1, result.stderr
    for what in ("a remote image", "an attached template", "macros (vbaProject.bin)",
                 "fields that include or link other files (INCLUDEPICTURE, INCLUDETEXT)"):
        assert what in notes[0]
    for lang in ("en", "fr"):
        package = zipfile.ZipFile(tmp_path / "out" / f"r.{lang}.docx")
        everything = b"".join(package.read(name) for name in package.namelist())
        for trace in (b"attacker", b"TargetMode=\"External\"", b"INCLUDETEXT", b"INCLUDEPICTURE", b"attachedTemplate",
                      b"vbaProject"):
            assert trace not in everything, (lang, trace)
        assert not any("vba" in name.lower() for name in package.namelist())
        header = package.read(next(n for n in package.namelist() if n.startswith("word/header")))
        assert b"MINISTRY OF JUSTICE" in header and b"included" in header and b"picture" in header
        assert b"w:dirty" not in header  # no field of the letterhead asks to be updated
        settings = package.read("word/settings.xml")
        assert settings.count(b"updateFields") == 1  # the writer's own, for its table of contents


def test_the_letterhead_body_and_what_only_it_used_are_left_out(tmp_path):
    cleaned = letterhead.load(_saved(tmp_path, CASES["with-footnotes"][0]()))
    package = zipfile.ZipFile(io.BytesIO(cleaned.data))
    assert b"The body of a letterhead" not in package.read("word/document.xml")
    assert "word/footnotes.xml" not in package.namelist()
    assert cleaned.removed == ()


def test_a_template_is_read_as_a_document(tmp_path):
    cleaned = letterhead.load(_saved(tmp_path, CASES["macro-enabled-template"][0]()))
    types = zipfile.ZipFile(io.BytesIO(cleaned.data)).read("[Content_Types].xml")
    assert b"wordprocessingml.document.main+xml" in types and b"template.main" not in types


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "missing"])
def test_a_letterhead_that_is_not_a_file_is_refused_at_once(build, tmp_path, kind):
    path = tmp_path / "letterhead.docx"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    result = build(None, path)
    found = {"fifo": "found a named pipe", "dev-zero": "found a device", "folder": "found a folder",
             "missing": "no such file"}[kind]
    assert result.exit_code == 2 and found in result.stderr and "Word (.docx) file" in result.stderr, result.output
    assert not (tmp_path / "out").exists()


def _saved(tmp_path, data: bytes):
    path = tmp_path / "letterhead.docx"
    path.write_bytes(data)
    return path
