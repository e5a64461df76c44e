"""The library as people browse it: `draft clauses list|show|coverage` and `draft instruments`."""
from __future__ import annotations

import json

from toolkit import api, i18n
from toolkit.wording import Wording

OVERLAY = """\
section: admission
clauses:
  - id: admission.ministry-extra
    title: Ministry's own rule on applications
    text:
      - The Director shall acknowledge every application within two working days.
    sources: [bangkok 2(1)]
"""


def flat(text: str) -> str:
    """Text as one line: what a reader reads, however the terminal wrapped it."""
    return " ".join(text.split())


def test_clauses_list_shows_every_clause_with_its_provisions(invoke):
    result = invoke("clauses", "list")
    assert result.exit_code == 0, result.output
    library = api.library()
    headings = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert len(headings) == len(list(library.clauses()))
    clause = library.clause("separation.assessment")
    wording = Wording(i18n.translator("en"), api.questionnaire())
    assert flat(f"separation.assessment {clause.title} {wording.citations(clause, library.instruments)}") \
        in flat(result.stdout)


def test_clauses_list_filters_by_section_and_instrument(invoke):
    by_section = json.loads(invoke("clauses", "list", "--section", "separation", "--json").stdout)
    assert by_section and {row["section"] for row in by_section} == {"separation"}
    by_instrument = json.loads(invoke("clauses", "list", "--instrument", "mandela", "--json").stdout)
    assert by_instrument and all(any(s.startswith("mandela ") for s in row["sources"]) for row in by_instrument)
    everything = json.loads(invoke("clauses", "list", "--json").stdout)
    assert len(by_instrument) < len(everything)


def test_clauses_list_refuses_an_unknown_section_or_instrument(invoke):
    section = invoke("clauses", "list", "--section", "nowhere")
    assert section.exit_code == 2 and "--section: expected a section from" in section.stderr
    instrument = invoke("clauses", "list", "--instrument", "magna-carta")
    assert instrument.exit_code == 2 and "--instrument: expected an instrument from" in instrument.stderr


def test_clauses_list_takes_a_ministrys_overlay(invoke, write, tmp_path):
    write("ours/admission.yaml", OVERLAY)
    rows = json.loads(invoke("clauses", "list", "--clauses", tmp_path / "ours", "--json").stdout)
    assert {"id": "admission.ministry-extra", "section": "admission"}.items() <= next(
        row for row in rows if row["id"] == "admission.ministry-extra").items()


def test_clauses_show_prints_text_conditions_sources_and_note(invoke):
    clause = api.library().clause("separation.assessment")
    result = invoke("clauses", "show", "separation.assessment")
    assert result.exit_code == 0, result.output
    shown = flat(result.stdout)
    assert result.stdout.startswith(f"separation.assessment — {clause.title}")
    assert flat(f"1. {clause.text[0].text}") in shown
    item = next(i for p in clause.text for i in p.items if i.when)
    assert flat(f"{item.text} [when {item.when}]") in shown
    wording = Wording(i18n.translator("en"), api.questionnaire())
    assert flat(f"sources: {wording.citations(clause, api.library().instruments)}") in shown
    assert flat(f"Drafting note: {clause.note}") in shown
    assert f"{clause.file}:{clause.line}" in result.stdout
    detail = json.loads(invoke("clauses", "show", "separation.assessment", "--json").stdout)
    assert detail["text"][0]["text"] == clause.text[0].text and detail["note"] == clause.note


def test_clauses_show_suggests_the_closest_ids(invoke):
    result = invoke("clauses", "show", "separation.asessment")
    assert result.exit_code == 2
    assert "no clause with this id" in result.stderr and "separation.assessment" in result.stderr


def test_coverage_lists_each_provision_with_its_clauses_and_every_topic(invoke):
    data = json.loads(invoke("clauses", "coverage", "--json").stdout)
    library = api.library()
    implementing = {c.id for c in library.clauses() if any(str(s) == "bangkok 52(2)" for s in c.sources)}
    assert set(data["provisions"]["bangkok"]["52(2)"]) == implementing and implementing
    assert [t["number"] for t in data["topics"]] == sorted(library.topics)
    assert all(t["clauses"] or t["out_of_scope"] for t in data["topics"])
    text = invoke("clauses", "coverage").stdout
    assert "Provisions cited, and the clauses that implement them:" in text and "NOT COVERED" not in text


def test_instruments_lists_official_titles_in_three_languages(invoke):
    result = invoke("instruments")
    assert result.exit_code == 0, result.output
    bangkok = api.library().instruments["bangkok"]
    for lang in ("en", "fr", "es"):
        assert f"{lang}: {bangkok.title[lang]}" in result.stdout
    rows = json.loads(invoke("instruments", "--json").stdout)
    assert [row["key"] for row in rows] == list(api.library().instruments)
    crc = next(row for row in rows if row["key"] == "crc")
    assert crc["short"]["fr"] == api.library().instruments["crc"].short["fr"]
