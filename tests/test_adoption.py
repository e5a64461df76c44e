"""What makes a directive adoptable as it is: the enacting formula, the final provisions, the signature
block, annexes numbered and referred to by number, and the sections a jurisdiction leaves to other
instruments — in the tree every writer visits, and through the CLI."""
from __future__ import annotations

import re

import docx
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL

from toolkit import answers as answers_mod, api, i18n
from toolkit.api import BuildOptions
from toolkit.errors import LibraryError
from toolkit.render import md
from toolkit.render.compose import roman
from toolkit.render.tree import Bullets, Ref, plain


def answers(**changes):
    return answers_mod.validate(api.questionnaire(), {**yaml.safe_load(MINIMAL), **changes})


def tree(lang="en", options=BuildOptions(), **changes):
    return api.document(answers(**changes), lang, options)


def article(document, clause_id):
    return next(a for a in document.articles() if a.id == clause_id)


def text_of(item) -> str:
    return " ".join(plain(p.content) for p in item.paragraphs)


def test_the_enacting_formula_names_the_office_the_legal_basis_and_the_instruments_annex():
    document = tree(signing_office="Commissioner of Prisons", legal_basis="the Prisons Act 1998, section 41")
    preamble = document.preamble
    assert plain(preamble.office) == "Commissioner of Prisons,"
    instruments = next(annex for annex in document.annexes if annex.id == "instruments")
    assert [plain(r) for r in preamble.recitals] == [
        "Having regard to the Prisons Act 1998, section 41;",
        f"Having regard to the international instruments listed in Annex {instruments.number};"]
    assert Ref("annex-instruments", instruments.number) in preamble.recitals[1]
    assert plain(preamble.enacting) == "Issues this directive:"


def test_without_legal_basis_or_instruments_annex_the_formula_recites_the_standards():
    document = tree(options=BuildOptions(citations="none"))
    assert [plain(r) for r in document.preamble.recitals] == [
        "Having regard to the international standards on the treatment of prisoners and on the rights of the child;"]


@pytest.mark.parametrize("lang, office, enacting, recital", [
    ("fr", "Le directeur de l'administration pénitentiaire,", "Arrête\u00a0:", "Vu le code pénitentiaire\u00a0;"),
    ("es", "El Director General de Instituciones Penitenciarias,", "Dispone:",
     "En virtud de lo dispuesto en el código penitenciario;"),
])
def test_the_enacting_formula_reads_like_the_regulations_of_the_language(lang, office, enacting, recital):
    basis = {"fr": "le code pénitentiaire", "es": "el código penitenciario"}[lang]
    document = tree(lang, signing_office=office.rstrip(","), legal_basis=basis)
    assert plain(document.preamble.office) == office
    assert plain(document.preamble.enacting) == enacting
    assert plain(document.preamble.recitals[0]) == recital


def test_the_signature_block_has_place_date_name_and_office():
    signature = tree(signing_place="Valdora City", signatory_name="Ana Petrova",
                     signing_office="Commissioner of Prisons").signature
    assert plain(signature.done) == "Done at Valdora City on 22 November 2026."
    assert (plain(signature.name), plain(signature.office)) == ("Ana Petrova", "Commissioner of Prisons")
    unsigned = tree().signature
    assert plain(unsigned.done) == "Done on 22 November 2026." and unsigned.name == ()
    french = tree("fr", signing_place="Lyon").signature
    assert plain(french.done) == "Fait à Lyon, le 22 novembre 2026."


def test_the_final_provisions_close_the_body_from_the_answers():
    document = tree(entry_into_force="2027-01-01", repealed_instruments="Standing Order 12/2009",
                    review_date="2029-06-30", transitional_review_months=2)
    final = document.parts[-1]
    assert (final.id, plain(final.title)) == ("final", "Final provisions")
    assert [a.id for a in final.articles] == ["final.annexes", "final.transitional", "final.repeal", "final.review",
                                              "final.entry-into-force"]
    assert "repeals and replaces Standing Order 12/2009." in text_of(article(document, "final.repeal"))
    assert "no later than 30 June 2029" in text_of(article(document, "final.review"))
    assert "enters into force on 1 January 2027." in text_of(article(document, "final.entry-into-force"))
    transitional = text_of(article(document, "final.transitional"))
    plan = article(document, "separation.plan")
    assert "Within 2 months of that date" in transitional and f"article {plan.number}," in transitional
    defaults = tree()
    assert "cease to apply to the extent" in text_of(article(defaults, "final.repeal"))
    assert "within 3 years of its entry into force" in text_of(article(defaults, "final.review"))
    assert "on the date of its adoption" in text_of(article(defaults, "final.entry-into-force"))


def test_annexes_are_numbered_in_order_and_referred_to_by_number():
    document = tree()
    assert [a.id for a in document.annexes] == ["application", "assessment", "care-plan", "separation-plan", "decision",
                                                "sources", "instruments"]
    assert [a.number for a in document.annexes] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert plain(document.annexes[0].title) == "Annex I – Application for a child to live in prison with a parent"
    forms = article(document, "final.annexes")
    refs = [node for p in forms.paragraphs for node in p.content if isinstance(node, Ref)]
    annex_refs = [ref for ref in refs if ref.target.startswith("annex-")]
    assert [(r.target, r.label) for r in annex_refs] == [("annex-" + a.id, a.number) for a in document.annexes[:5]]
    assert plain(forms.paragraphs[0].content).startswith("An application for admission may be made on the form in "
                                                         "Annex I.")


def test_a_form_left_out_renumbers_the_annexes_and_its_paragraph_goes():
    document = tree(annexed_forms=["application", "decision"])
    assert [(a.id, a.number) for a in document.annexes][:3] == [("application", "I"), ("decision", "II"),
                                                                 ("sources", "III")]
    text = text_of(article(document, "final.annexes"))
    assert "Annex II, which states the reasons" in text and "care plan" not in text
    none = tree(annexed_forms=[])
    assert "final.annexes" not in [a.id for a in none.articles()]
    assert [a.id for a in none.annexes] == ["sources", "instruments"]


def test_roman_numerals():
    assert [roman(n) for n in (1, 4, 9, 14, 40, 90, 2026)] == ["I", "IV", "IX", "XIV", "XL", "XC", "MMXXVI"]


def test_sections_left_to_other_instruments_are_left_out_and_the_rest_renumbered():
    full = tree()
    document = tree(sections_elsewhere=["staff", "monitoring"], other_instruments="the Staff Regulations 2019")
    assert "staff" in [p.id for p in full.parts]
    assert not {"staff", "monitoring"} & {p.id for p in document.parts}
    numbers = [a.number for a in document.articles()]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == len(list(full.articles())) - sum(len(p.articles) for p in full.parts
                                                            if p.id in ("staff", "monitoring")) + 1
    sources = next(a for a in document.annexes if a.id == "sources")
    listed = {node.target for block in sources.blocks if isinstance(block, Bullets) for entry in block.entries
              for node in entry if isinstance(node, Ref)}
    assert not {i for i in listed if i.startswith(("staff.", "monitoring."))}
    other = text_of(article(document, "final.other-instruments"))
    best = article(document, "general.best-interests")
    assert other.startswith("This directive leaves the selection, training and conduct of staff and inspection, "
                            "internal review and complaints to the Staff Regulations 2019.")
    assert f"in particular with article {best.number}." in other


def test_the_omit_option_adds_to_the_answers(write, tmp_path, invoke):
    path = write("r.yaml", MINIMAL + "sections_elsewhere: [staff]\n")
    result = invoke("build", path, "--omit", "monitoring", "--format", "md", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    document = md.read((tmp_path / "out" / "r.en.md").read_text(encoding="utf-8"))
    assert not {"staff", "monitoring"} & {p.id for p in document.parts}
    assert "other instruments of the prison administration" in text_of(article(document, "final.other-instruments"))


REFERRING = """\
section: general
clauses:
  - id: general.refers-to-training
    title: Training
    text:
      - Staff shall be trained as article %(article:staff.training)s provides.
    sources: [bangkok 33(3)]
"""


def test_a_reference_into_a_section_left_out_is_refused_with_the_condition_to_add(write, tmp_path, invoke):
    write("ours/general.yaml", REFERRING)
    path = write("r.yaml", MINIMAL + "sections_elsewhere: [staff]\n")
    result = invoke("build", path, "--clauses", tmp_path / "ours", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert ("general.refers-to-training: the text refers to staff.training, in the section staff that these answers "
            "leave to other instruments; make the referring text conditional "
            "(when: '\"staff\" not in sections_elsewhere')") in result.stderr
    assert not list((tmp_path / "out").glob("*"))   # nothing written
    write("guarded/general.yaml", REFERRING.replace("    title:", "    when: '\"staff\" not in sections_elsewhere'\n"
                                                                    "    title:"))
    result = invoke("build", path, "--clauses", tmp_path / "guarded", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output


def test_a_reference_to_an_annex_the_build_leaves_out_is_refused(write, tmp_path):
    from toolkit import library
    from toolkit.assemble import assemble
    from toolkit.render import compose
    from toolkit.wording import Wording

    write("ours/general.yaml", REFERRING.replace("article %(article:staff.training)s", "the form in Annex "
                                                                                      "%(annex:care-plan)s"))
    lib = library.load(api.questionnaire(), tmp_path / "ours", annexes=api.annex_ids())
    directive = assemble(lib, answers(annexed_forms=["application"]))
    with pytest.raises(LibraryError, match="refers to annex care-plan, which this directive does not annex; add a "
                                           "condition \\(for a form, on annexed_forms\\)"):
        compose.compose(directive, Wording(i18n.translator("en"), api.questionnaire()),
                        compose.Options(forms=api.forms()))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_omittable_section_can_be_left_out_of_every_example(example):
    """The model library refers into no section a jurisdiction may leave out, unless the text says so."""
    choices = [c.value for c in api.questionnaire().by_key["sections_elsewhere"].choices]
    loaded = api.load_answers(example)
    for lang in ("en", "fr"):
        document = api.document(loaded, lang, BuildOptions(omit=tuple(choices)))
        assert not set(choices) & {p.id for p in document.parts}
        assert md.read(md.write(document, api_labels(lang))) == document


def api_labels(lang):
    from toolkit.render import compose

    return compose.labels(i18n.translator(lang))


def test_paper_size_and_running_header_come_from_the_answers(tmp_path):
    from docx.shared import Mm

    data = api.render(answers(paper_size="letter", short_title="Children in prison"), "en", "docx",
                      BuildOptions())
    section = docx.Document(_io(data)).sections[0]
    assert (section.page_width.inches, section.page_height.inches) == (8.5, 11)
    assert [p.text for p in section.header.paragraphs] == ["Children in prison — PSI 1/2026"]
    a4 = docx.Document(_io(api.render(answers(), "en", "docx", BuildOptions()))).sections[0]
    assert (round(a4.page_width / Mm(1)), round(a4.page_height / Mm(1))) == (210, 297)
    assert round(a4.left_margin / Mm(1)) == 25


def _io(data: bytes):
    import io

    return io.BytesIO(data)


def test_user_text_in_the_adoption_answers_stays_literal():
    hostile = "**Done** [at](#x) {.office} ___ 1. <b>"
    document = tree(signing_place=hostile, signatory_name=hostile, short_title=hostile, repealed_instruments=hostile)
    text = md.write(document, api_labels("en"))
    read = md.read(text)
    assert read == document
    assert plain(read.signature.name) == hostile and hostile in plain(read.signature.done)
    assert read.meta.running == f"{hostile} — PSI 1/2026"
    assert re.search(r"^\{\.office\}$", text, flags=re.M).start() < text.index("## ")   # only the preamble's
