"""draft compare: two versions of a directive → the new one with tracked changes, and a summary by
article. LibreOffice lists the revisions, and accepting or rejecting them all gives the new or the old
version's very text."""
from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, ROOT

from toolkit import answers as answers_mod, api, compare, i18n
from toolkit.render import compose, redline, word
from toolkit.render.tree import Document, Ref, Text, plain

SMALL = ROOT / "examples" / "small-service.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def amended(write, name="amended.yaml", **changes) -> Path:
    """The small service's answers with a higher age limit and more facilities (an amendment)."""
    data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    data.update({"max_age_months": 36, "facilities": ["nursery", "outdoor_play", "indoor_play"], **changes})
    return write(name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def tree(path: Path, lang: str = "en") -> Document:
    return api.document(api.load_answers(path), lang, api.BuildOptions())


def number_of(document: Document, clause_id: str) -> int:
    return next(a.number for a in document.articles() if a.id == clause_id)


def body(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").decode()


# -- the comparison of trees
def test_words_are_compared_within_a_paragraph():
    pieces = compare.words((Text("until the age of 24 months."),), (Text("until the age of 36 months."),))
    assert [(p.op, plain(p.content)) for p in pieces] == [("equal", "until the age of "), ("delete", "24"),
                                                           ("insert", "36"), ("equal", " months.")]
    pieces = compare.words((Text("a b c"),), (Text("a x y c"),))
    assert [(p.op, plain(p.content)) for p in pieces] == [("equal", "a "), ("delete", "b"), ("insert", "x y"),
                                                           ("equal", " c")]


def test_the_summary_names_the_changed_articles(write):
    old, new = tree(SMALL), tree(amended(write))
    change = compare.compare(old, new)
    lines = compare.summary(change, i18n.translator("en"))
    age = number_of(new, "age-limit.maximum")
    assert f"Article {age} (Age limit): paragraph 1 changed" in lines
    nursery = next(a for a in change.articles() if a.status == "changed" and a.new.id == "facilities.childcare")
    added = [p.new.number for p in nursery.paragraphs if p.status == "added"]
    assert added and any(line.startswith(f"Article {nursery.new.number} (") and f"paragraph {added[0]} added" in line
                         for line in lines)
    changed_ids = {a.new.id for a in change.articles() if a.status != "same"}
    assert len([line for line in lines if line.startswith("Article ")]) == len(changed_ids)
    assert compare.summary(compare.compare(old, old), i18n.translator("en")) == ["No changes."]


def test_articles_added_removed_renumbered_and_moved_are_told_as_such():
    old = tree(SMALL)
    first = old.parts[0]
    articles = list(first.articles)
    moving = articles.pop(1)
    articles.append(moving)
    removed = articles.pop(0)
    new_parts = renumber((dataclasses.replace(first, articles=tuple(articles)), *old.parts[1:]))
    new = dataclasses.replace(old, parts=new_parts)
    change = compare.compare(old, new)
    statuses = {(a.status, (a.new or a.old).id) for a in change.articles() if a.status != "same"}
    assert ("removed", removed.id) in statuses
    assert {("moved_from", moving.id), ("moved_to", moving.id)} <= statuses
    lines = compare.summary(change, i18n.translator("en"))
    assert f"Former article 1 ({plain(removed.title)}) removed" in lines
    moved_to = number_of(new, moving.id)
    assert f"Article {moved_to} ({plain(moving.title)}) moved, formerly article 2" in lines
    assert any(re.fullmatch(r"Articles \d+–\d+ renumbered \(formerly \d+–\d+\)", line) for line in lines)


def renumber(parts):
    number, out = 0, []
    for part in parts:
        articles = []
        for article in part.articles:
            number += 1
            articles.append(dataclasses.replace(article, number=number))
        out.append(dataclasses.replace(part, articles=tuple(articles)))
    return tuple(out)


def relabel(node, labels: dict[str, str]):
    """The same tree with every reference to an article showing that article's number in `labels`."""
    if isinstance(node, Ref):
        return dataclasses.replace(node, label=labels.get(node.target, node.label))
    if isinstance(node, tuple):
        return tuple(relabel(child, labels) for child in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return dataclasses.replace(node, **{f.name: relabel(getattr(node, f.name), labels)
                                            for f in dataclasses.fields(node) if f.init})
    return node


def test_a_field_the_comparison_does_not_know_stops_it():
    old = tree(SMALL)

    @dataclasses.dataclass(frozen=True)
    class Longer(Document):
        recitals: tuple = ()

    longer = Longer(**{f.name: getattr(old, f.name) for f in dataclasses.fields(Document)})
    with pytest.raises(compare.UnknownField, match=r"no rule for Document\.recitals"):
        compare.compare(old, longer)
    odd = dataclasses.replace(old, title=(old.parts[0],))
    with pytest.raises(compare.UnknownField, match="no rule for inline Part"):
        compare.compare(old, odd)


# -- the tracked-changes Word file
def test_revisions_are_authored_by_the_authority_on_the_adoption_date_and_deterministic(write):
    old, new = tree(SMALL), tree(amended(write))
    labels = compose.labels(i18n.translator("en"))
    data = redline.write(compare.compare(old, new), labels)
    assert data == redline.write(compare.compare(old, new), labels)
    xml = body(data)
    revisions = re.findall(r"<w:(ins|del) w:id=\"\d+\" w:author=\"([^\"]+)\" w:date=\"([^\"]+)\"", xml)
    assert revisions and {(author, date) for _kind, author, date in revisions} == {
        (new.meta.author, f"{new.meta.date}T00:00:00Z")}
    assert "<w:delText>24</w:delText>" in xml and ">36</w:t>" in xml
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "<w:trackRevisions/>" in package.read("word/settings.xml").decode()
        custom = package.read("docProps/custom.xml").decode()
    assert f'name="ComparedWithReference"><vt:lpwstr>{old.meta.reference}</vt:lpwstr>' in custom


def test_moves_and_former_numbers_are_revisions_of_their_own():
    old = tree(SMALL)
    first = old.parts[0]
    articles = list(first.articles)
    articles.append(articles.pop(0))
    new = dataclasses.replace(old, parts=renumber((dataclasses.replace(first, articles=tuple(articles)),
                                                   *old.parts[1:])))
    xml = body(redline.write(compare.compare(old, new), compose.labels(i18n.translator("en"))))
    starts = re.findall(r'<w:(moveFrom|moveTo)RangeStart [^>]*w:name="(move\d+)"', xml)
    assert sorted(starts) == [("moveFrom", "move1"), ("moveTo", "move1")]
    assert xml.count("<w:moveFromRangeEnd ") == xml.count("<w:moveToRangeEnd ") == 1
    assert re.search(r"<w:moveFrom w:id=[^>]*><w:r><w:delText>", xml)
    # the second article is now the first: its heading and paragraphs keep their former numbers
    assert re.search(r'<w:ilvl w:val="0"/><w:numId w:val="\d+"/><w:numberingChange [^>]*w:original="%1:2:0:\."', xml)
    assert re.search(r'<w:ilvl w:val="1"/><w:numId w:val="\d+"/><w:numberingChange [^>]*w:original="%1:2:0:\.%2:1:0:"',
                     xml)


# -- LibreOffice: the revisions it lists, accepted or rejected
needs_uno = pytest.mark.skipif(shutil.which("soffice") is None or not Path("/usr/bin/python3").exists()
                               or subprocess.run(["/usr/bin/python3", "-c", "import uno"],
                                                 capture_output=True).returncode != 0,
                               reason="LibreOffice with python3-uno is not installed; .ci/run installs it")


def office(data: bytes, action: str, tmp_path: Path) -> tuple[list[dict], str]:
    """Open a .docx in LibreOffice, accept or reject every change (or keep them) and read its text."""
    source = tmp_path / f"in-{action}.docx"
    source.write_bytes(data)
    target = tmp_path / f"out-{action}.txt"
    done = subprocess.run(["/usr/bin/python3", str(ROOT / "tests" / "lo_redlines.py"), str(source), action,
                           str(target), str(tmp_path / "lo-profile")], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), target.read_text(encoding="utf-8-sig")


def accept_and_reject(old: Document, new: Document, tmp_path: Path, lang: str) -> list[dict]:
    labels = compose.labels(i18n.translator(lang))
    tracked = redline.write(compare.compare(old, new), labels)
    changes, accepted = office(tracked, "accept", tmp_path)
    _same, rejected = office(tracked, "reject", tmp_path)
    assert filled(accepted) == filled(office(word.write(new, labels), "keep", tmp_path)[1])
    assert filled(rejected) == filled(office(word.write(old, labels), "keep", tmp_path)[1])
    return changes


def filled(text: str) -> list[str]:
    """The lines of a text export that hold text. LibreOffice (7.4) leaves the rows of a table that a
    tracked change inserts or deletes whole (a form annexed by one version only) as empty rows once the
    change is rejected or accepted, where Word removes them: an empty line is all they leave."""
    return [line for line in text.splitlines() if line.strip()]


@needs_uno
def test_libreoffice_lists_the_revisions_and_accept_or_reject_all_gives_new_or_old(write, invoke, tmp_path):
    new_answers = amended(write)
    result = invoke("compare", SMALL, new_answers, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    tracked = (tmp_path / "out" / "amended.en.tracked.docx").read_bytes()
    changes, accepted = office(tracked, "accept", tmp_path)
    assert {change["type"] for change in changes} == {"Insert", "Delete"}
    meta = tree(new_answers).meta
    assert {(c["author"], c["date"]) for c in changes} == {(meta.author, meta.date)}
    _changes, rejected = office(tracked, "reject", tmp_path)
    for answers, text in ((new_answers, accepted), (SMALL, rejected)):
        built = api.render(api.load_answers(answers), "en", "docx", api.BuildOptions())
        assert text == office(built, "keep", tmp_path)[1]
    assert "age of 36 months" in accepted and "age of 24 months" in rejected


@needs_uno
def test_libreoffice_accepts_and_rejects_added_renumbered_and_moved_articles(tmp_path):
    # two very different services, in French: articles added, removed and renumbered throughout
    changes = accept_and_reject(tree(SMALL, "fr"), tree(EXAMPLES[0], "fr"), tmp_path, "fr")
    assert len(changes) > 100
    old = tree(SMALL)
    first = old.parts[0]
    articles = list(first.articles)
    articles.append(articles.pop(1))
    moved = dataclasses.replace(old, parts=renumber((dataclasses.replace(first, articles=tuple(articles)),
                                                     *old.parts[1:])))
    moved = relabel(moved, {a.id: str(a.number) for a in moved.articles()})   # as compose would number them
    (tmp_path / "moved").mkdir()
    accept_and_reject(old, moved, tmp_path / "moved", "en")


# -- the command
def test_compare_writes_the_tracked_copy_and_the_summary(invoke, write, tmp_path):
    result = invoke("compare", SMALL, amended(write), "--lang", "fr", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    summary = (tmp_path / "out" / "amended.fr.changes.md").read_text(encoding="utf-8")
    new = tree(amended(write), "fr")
    age = next(a for a in new.articles() if a.id == "age-limit.maximum")
    line = f"Article {age.number} ({plain(age.title)})\u00a0: paragraphe 1 modifié"
    assert line in result.stdout.splitlines() and f"- {line}" in summary
    assert summary.startswith("# ")
    again = invoke("compare", SMALL, amended(write), "--lang", "fr", "--out", tmp_path / "out")
    assert again.exit_code == 2 and "existe déjà\u00a0; utilisez --force" in again.stderr


def test_an_older_directive_s_markdown_compares_and_says_the_library_changed(invoke, write, tmp_path):
    assert invoke("build", SMALL, "--format", "md", "--out", tmp_path / "built").exit_code == 0
    built = tmp_path / "built" / "small-service.en.md"
    same = invoke("compare", built, SMALL, "--out", tmp_path / "same")
    assert same.exit_code == 0, same.output
    assert same.stdout.splitlines()[0] == "No changes."
    write("ours/general.yaml", "section: general\nclauses:\n  - id: general.purpose\n    title: Purpose\n"
                               "    text: [This directive governs every unit.]\n    sources: [bangkok 2(1)]\n")
    result = invoke("compare", built, SMALL, "--new-clauses", tmp_path / "ours", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Article 1 (Purpose): " in result.stdout
    assert "The model library changed between the two builds" in result.stdout
    unrecorded = write("unrecorded.en.md", re.sub(r"(?m)^library_version: .*\n", "",
                                                  built.read_text(encoding="utf-8")))
    result = invoke("compare", unrecorded, SMALL, "--out", tmp_path / "out2")
    assert "The old version does not record the library it was built with." in result.stdout


def test_bad_input_is_refused_with_exit_2_and_nothing_written(invoke, write, tmp_path):
    out = tmp_path / "out"
    bad = write("bad.yaml", SMALL.read_text(encoding="utf-8").replace("max_age_months: 24", "max_age_months: -3"))
    result = invoke("compare", bad, SMALL, "--out", out)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert re.search(r"bad\.yaml:\d+: max_age_months: expected a number of months from", result.stderr)
    assert invoke("build", SMALL, "--format", "md", "--lang", "fr", "--out", tmp_path / "built").exit_code == 0
    french = tmp_path / "built" / "small-service.fr.md"
    result = invoke("compare", french, SMALL, "--lang", "en", "--out", out)
    assert result.exit_code == 2
    assert "small-service.fr.md: --lang: the directive is in 'fr', but --lang asks for 'en'" in result.stderr
    result = invoke("compare", french, SMALL, "--lang", "fr", "--old-clauses", tmp_path, "--out", out)
    assert result.exit_code == 2
    assert "small-service.fr.md: --old-clauses: s'applique à un fichier de réponses" in result.stderr
    notes = write("notes.md", "# Some notes\n\nNot a directive.\n")
    result = invoke("compare", notes, SMALL, "--out", out)
    assert result.exit_code == 2 and "notes.md: expected a directive's Markdown" in result.stderr
    result = invoke("compare", tmp_path / "missing.yaml", SMALL, "--out", out)
    assert result.exit_code == 2 and "missing.yaml: no such file" in result.stderr
    result = invoke("compare", SMALL, SMALL, "--lang", "de", "--out", out)
    assert result.exit_code == 2 and "--lang" in result.stderr
    assert not out.exists()


# -- the same, without LibreOffice: accepting or rejecting in the XML itself
def resolve(data: bytes, action: str) -> list[tuple[str, str]]:
    """The (style, text) of each paragraph once every change is accepted or rejected: paragraphs whose
    mark goes go whole, the runs that go are dropped and the runs that stay are unwrapped."""
    import docx

    document = docx.Document(io.BytesIO(_with_deleted_text_shown(data)))
    gone, kept = (("del", "moveFrom"), ("ins", "moveTo")) if action == "accept" else (("ins", "moveTo"),
                                                                                      ("del", "moveFrom"))
    body = document.element.body
    for p in list(body.iter(f"{W}p")):
        mark = p.find(f"{W}pPr/{W}rPr")
        if mark is not None and any(mark.find(f"{W}{tag}") is not None for tag in gone):
            p.getparent().remove(p)
    for tag in gone:
        for element in list(body.iter(f"{W}{tag}")):
            element.getparent().remove(element)
    for tag in kept:
        for element in list(body.iter(f"{W}{tag}")):
            parent = element.getparent()
            if parent.tag == f"{W}rPr":
                parent.remove(element)
                continue
            index = parent.index(element)
            for offset, child in enumerate(list(element)):
                parent.insert(index + offset, child)
            parent.remove(element)
    return [(p.style.name, p.text) for p in document.paragraphs]


def _with_deleted_text_shown(data: bytes) -> bytes:
    """The package with deleted text as plain text (w:delText → w:t), for python-docx to read it."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            part = source.read(name)
            if name == "word/document.xml":
                part = part.replace(b"<w:delText", b"<w:t").replace(b"</w:delText>", b"</w:t>")
            target.writestr(name, part)
    return out.getvalue()


def paragraphs_of(data: bytes) -> list[tuple[str, str]]:
    import docx

    return [(p.style.name, p.text) for p in docx.Document(io.BytesIO(data)).paragraphs]


@pytest.mark.parametrize("case", ["amendment", "two services", "moved", "same"])
def test_accepting_all_gives_the_word_file_of_the_new_version_and_rejecting_all_the_old(write, case):
    """Also the guard of the tracked-changes writer against a change of the Word writer's layout: the
    two must write the same paragraphs."""
    lang = "fr" if case == "two services" else "en"
    old = tree(SMALL, lang)
    if case == "amendment":
        new = tree(amended(write), lang)
    elif case == "two services":
        new = tree(EXAMPLES[0], lang)
    elif case == "moved":
        first = old.parts[0]
        articles = list(first.articles)
        articles.append(articles.pop(1))
        new = dataclasses.replace(old, parts=renumber((dataclasses.replace(first, articles=tuple(articles)),
                                                       *old.parts[1:])))
    else:
        new = old
    labels = compose.labels(i18n.translator(lang))
    tracked = redline.write(compare.compare(old, new), labels)
    assert resolve(tracked, "accept") == paragraphs_of(word.write(new, labels))
    assert resolve(tracked, "reject") == paragraphs_of(word.write(old, labels))
    if case == "same":
        assert "<w:ins " not in body(tracked) and "<w:del " not in body(tracked)


def test_user_text_in_a_compare_stays_literal():
    from test_hardening import HOSTILE

    base = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    old_answers = answers_mod.validate(api.questionnaire(), {**base, "jurisdiction": HOSTILE[4]})
    new_answers = answers_mod.validate(api.questionnaire(), {**base, "jurisdiction": HOSTILE[7]})
    old = api.document(old_answers, "en", api.BuildOptions())
    new = api.document(new_answers, "en", api.BuildOptions())
    tracked = redline.write(compare.compare(old, new), compose.labels(i18n.translator("en")))
    assert "&lt;w:p&gt;" in body(tracked) and "<w:p>x" not in body(tracked)
    assert resolve(tracked, "accept")[2] == ("Normal", f"Jurisdiction: {HOSTILE[7]}")
    assert resolve(tracked, "reject")[2] == ("Normal", f"Jurisdiction: {HOSTILE[4]}")


def test_the_page_header_is_compared_too():
    import docx

    old = tree(SMALL)
    new = dataclasses.replace(old, meta=dataclasses.replace(old.meta, reference="VPS Standing Order 5/2027",
                                                            running="VPS Standing Order 5/2027"))
    data = redline.write(compare.compare(old, new), compose.labels(i18n.translator("en")))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        header = next(package.read(n).decode() for n in package.namelist() if n.startswith("word/header"))
    deleted = re.findall(r"<w:del [^>]*><w:r><w:delText>([^<]*)</w:delText>", header)
    inserted = re.findall(r"<w:ins [^>]*><w:r><w:t>([^<]*)</w:t>", header)
    assert (deleted, inserted) == (["4", "2026"], ["5", "2027"])
    assert docx.Document(io.BytesIO(data)).sections[0].header.paragraphs[0].text == "VPS Standing Order /"
