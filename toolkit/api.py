"""The whole story, top to bottom: load answers → select clauses → assemble → render → write.

Everything a document needs (questionnaire, library, standards, catalogs) is loaded here, once per
process, and passed down to the stages; every document of a batch shares it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

from . import (
    answers as answers_mod,
    i18n,
    library as library_mod,
    output,
    provenance,
    questionnaire as questionnaire_mod,
    workers,
)
from .answers import Answers
from .assemble import assemble
from .errors import AnswersError, OptionError, Problem, ReadError
from .i18n import _
from .library import Library
from .localized import missing_versions
from .questionnaire import Questionnaire
from .render import compose, md
from .render.tree import Document
from .wording import Wording

FORMATS = ("md", "docx", "html", "akn")
EXTENSIONS = {"akn": "akn.xml"}   # a format whose files end otherwise than in its name (XML editors know .xml)
CITATIONS = ("footnotes", "annex", "none")


@dataclass(frozen=True)
class BuildOptions:
    langs: tuple[str, ...] = ("en",)
    formats: tuple[str, ...] = ("md", "docx")
    citations: str = "footnotes"
    notes: bool = False
    clauses: Path | None = None
    reference_docx: Path | None = None
    compliance_annex: bool = False
    accept_fallback: bool = False   # a free-text answer with no version in a language shows another one
    mark_departures: bool = False   # each article that departs from a standard says so, naming the provisions

    def check(self) -> BuildOptions:
        problems = []
        for fmt in self.formats:
            if fmt not in FORMATS:
                problems.append(Problem(_("expected a format from %(allowed)s, found %(found)r",
                                          allowed=", ".join(FORMATS), found=fmt), field="--format"))
        problems += filter(None, map(i18n.unknown_language, self.langs))
        if self.citations not in CITATIONS:
            problems.append(Problem(_("expected one of %(allowed)s, found %(found)r",
                                      allowed=", ".join(CITATIONS), found=self.citations), field="--citations"))
        if "akn" in self.formats:
            from .render import akn

            for lang in self.langs:
                try:
                    akn.language_code(lang)
                except OptionError as error:
                    problems += error.problems
        if not self.formats or not self.langs:
            problems.append(Problem(_("expected at least one language and one format"), field="--lang/--format"))
        if self.reference_docx is not None and "docx" not in self.formats:
            problems.append(Problem(_("--reference-docx applies to Word output; add docx to --format"),
                                    field="--reference-docx"))
        if problems:
            raise OptionError(problems, _("The options are not valid:"))
        return self


@dataclass
class BuildReport:
    """What a build wrote, and what the reader should know about it."""

    written: list[Path] = field(default_factory=list)
    fallbacks: dict[str, int] = field(default_factory=dict)     # language → strings shown in English
    refused: list[Problem] = field(default_factory=list)        # translations refused as unsafe
    notes: list[str] = field(default_factory=list)              # what else the reader should know, said once
    answer_fallbacks: dict[str, list[str]] = field(default_factory=dict)  # language → answers shown in another


def versions_missing(loaded: dict[Path, Answers], options: BuildOptions) -> dict[str, list[str]]:
    """Language → the answers given by language that have no version in it. Without --accept-fallback
    they stop the build before anything is written: a directive would show another language's words."""
    missing: dict[str, list[str]] = {}
    problems = []
    for path, answers in loaded.items():
        for lang in options.langs:
            keys = missing_versions(answers.values, lang)
            if keys:
                missing.setdefault(lang, []).extend(keys)
                example = "%s: {%s: …}" % (keys[0], lang)
                problems.append(Problem(_("%(keys)s: no %(lang)s version; add one (%(example)s) or build with "
                                          "--accept-fallback", keys=", ".join(keys), lang=lang, example=example),
                                        path, answers.lines.get(keys[0])))
    if problems and not options.accept_fallback:
        raise AnswersError(problems, _("Some answers are not given in every language of the build:"))
    return {lang: sorted(set(keys)) for lang, keys in missing.items()}


# -- what the commands read, loaded once per process
@cache
def questionnaire() -> Questionnaire:
    return questionnaire_mod.load()


@cache
def library(clauses: Path | None = None) -> Library:
    """The model library, merged with a ministry's folder of clauses when given."""
    return library_mod.load(questionnaire(), clauses)


@cache
def versions(clauses: Path | None = None) -> provenance.Versions:
    """What a document is built with: the toolkit's version and the library's content hash (the model
    library, a ministry's clauses over it, the templates and the catalogs)."""
    return provenance.Versions(provenance.toolkit_version(), provenance.library_version(clauses, i18n.locales_dir()))


@cache
def standards():
    """The rules of `draft check`, against the model library's instruments."""
    from . import check

    return check.load(questionnaire(), library().instruments)


def compliance(answers: Answers, lang: str):
    """How the answers measure against the standards, in words of one language."""
    from .check import ComplianceReport

    return ComplianceReport(answers, Wording(i18n.translator(lang), questionnaire()), standards(),
                            library().instruments)


def load_answers(path: Path) -> Answers:
    return answers_mod.load(questionnaire(), path)


def document(answers: Answers, lang: str, options: BuildOptions) -> Document:
    """One directive in one language, as the tree every writer visits."""
    wording = Wording(i18n.translator(lang), questionnaire(), words=answers.values.get("numbers_in_words") is True)
    annexes = ()
    if options.compliance_annex:
        from .check import annex

        annexes = (annex(compliance(answers, lang)),)
    built = versions(options.clauses)
    return compose.compose(assemble(library(options.clauses), answers), wording,
                           compose.Options(citations=options.citations, notes=options.notes, annexes=annexes,
                                           toolkit=built.toolkit, library=built.library,
                                           departures=options.mark_departures))


def render(answers: Answers, lang: str, fmt: str, options: BuildOptions, tree: Document | None = None) -> bytes:
    """One directive in one language and one format. `tree` is its document when already composed: a
    batch composes it once for every format."""
    tree = tree or document(answers, lang, options)
    labels = compose.labels(i18n.translator(lang))
    if fmt == "md":
        return md.write(tree, labels).encode("utf-8")
    if fmt == "html":
        from .render import html

        return html.write(tree, labels).encode("utf-8")
    if fmt == "akn":
        from .render import akn

        return akn.write(tree)
    from .render import word

    return word.write(tree, labels, word.WordOptions(lang=lang, reference=options.reference_docx))


def render_markdown(answers: Answers, lang: str, options: BuildOptions) -> str:
    return render(answers, lang, "md", options).decode("utf-8")


def targets(paths: list[Path], out: Path, options: BuildOptions) -> list[tuple[Path, str, str, Path]]:
    """(answers file, language, format, target) for every document of a build, in order."""
    return [(path, lang, fmt, out / f"{path.stem}.{lang}.{EXTENSIONS.get(fmt, fmt)}")
            for path in paths for lang in options.langs for fmt in options.formats]


class Task(NamedTuple):
    """One answers file in one language, in each of its formats: its document is composed once."""

    answers: Answers
    lang: str
    outputs: tuple[tuple[str, Path], ...]   # (format, target)
    options: BuildOptions


def _make(task: Task) -> tuple[list[tuple[Path, bytes]], frozenset]:
    """Every document of a task; also the strings that had no translation (a worker process has its own
    record)."""
    tree = document(task.answers, task.lang, task.options)
    documents = [(target, render(task.answers, task.lang, fmt, task.options, tree)) for fmt, target in task.outputs]
    return documents, frozenset(i18n.translator(task.lang).fell_back)


def _tasks(plan: list[tuple[Path, str, str, Path]], loaded: dict[Path, Answers], options: BuildOptions) -> list[Task]:
    """The plan grouped by answers file and language, in its order: one task composes the document once."""
    outputs: dict[tuple[Path, str], list[tuple[str, Path]]] = {}
    for path, lang, fmt, target in plan:
        outputs.setdefault((path, lang), []).append((fmt, target))
    return [Task(loaded[path], lang, tuple(group), options) for (path, lang), group in outputs.items()]


def preload(options: BuildOptions) -> list[str]:
    """Load what every document of a build shares — questionnaire, library, catalogs, letterhead — before
    the first one, so that a process entry point can then freeze it out of the garbage collector's reach
    and a mistake in any of it is reported before anything is made. Returns the notes the build owes its
    reader about what it read (what was stripped from the letterhead)."""
    library(options.clauses)
    versions(options.clauses)
    for lang in options.langs:
        i18n.translator(lang)
    if options.compliance_annex:
        standards()
    if options.reference_docx is not None and "docx" in options.formats:
        from .render import letterhead

        return letterhead.notes(letterhead.load(options.reference_docx), options.reference_docx)
    return []


def _worker_start(options: BuildOptions) -> None:
    """The entry point of a worker process: the shared data, loaded once, lives as long as the process,
    and every full collection would walk it again."""
    import gc

    preload(options)
    gc.freeze()


def build(paths: list[Path], out: Path, options: BuildOptions | None = None, force: bool = False,
          jobs: int = 1, progress=None) -> BuildReport:
    """Build every answers file in every language and format into `out`.

    All inputs are validated and all targets checked before anything is made; every document is made
    before the first file is staged, so that nothing the renderer could fail on comes after writing
    began; then the files go into place together (output.Batch), or none does.
    """
    options = (options or BuildOptions()).check()
    workers.check(jobs)
    report = BuildReport()
    report.notes += preload(options)
    loaded = {path: load_answers(path) for path in paths}
    if "akn" in options.formats:
        from .render import akn

        lacking = [akn.country_problem(answers.values.get("country_code"), path) for path, answers in loaded.items()]
        if any(lacking):
            raise AnswersError([p for p in lacking if p], _("Nothing was written:"))
    answer_fallbacks = versions_missing(loaded, options)
    plan = targets(paths, out, options)
    names = [t for *_, t in plan]
    if len(set(names)) != len(names):
        raise OptionError(Problem(_("two answers files have the same name; their outputs would overwrite each other"),
                                  field="ANSWERS"))
    output.prepare(out, names, force)
    tasks = _tasks(plan, loaded, options)
    documents: list[tuple[Path, bytes]] = []
    fell_back: dict[str, set] = {lang: set() for lang in options.langs}
    for (made, missing), task in zip(workers.run(_make, tasks, jobs, _worker_start, (options,)), tasks, strict=True):
        fell_back[task.lang] |= missing
        documents += made
        if progress:
            for _target, _data in made:
                progress(_target)
    output.commit(out, documents, force)
    report.written = names
    report.fallbacks = {lang: len(keys) for lang, keys in fell_back.items() if keys}
    report.answer_fallbacks = answer_fallbacks
    for lang in options.langs:
        report.refused += i18n.translator(lang).refused
    return report


# -- comparing two versions of a directive
@dataclass(frozen=True)
class CompareOptions:
    """How the two versions are built: one language; clauses over the model library for both sides
    (`clauses`) or for each (`old_clauses`, `new_clauses`, which take precedence)."""

    lang: str = "en"
    citations: str = "footnotes"
    clauses: Path | None = None
    old_clauses: Path | None = None
    new_clauses: Path | None = None
    reference_docx: Path | None = None

    def build_options(self, side: str) -> BuildOptions:
        clauses = (self.old_clauses if side == "old" else self.new_clauses) or self.clauses
        return BuildOptions(langs=(self.lang,), formats=("docx",), citations=self.citations, clauses=clauses,
                            reference_docx=self.reference_docx).check()


@dataclass
class CompareReport:
    written: list[Path] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


DIRECTIVE_SUFFIXES = (".md", ".markdown")


def read_directive(path: Path) -> Document:
    """A directive's Markdown, as `draft build` wrote it, back into its document tree."""
    import yaml

    from .yamlfile import read_text

    what = _("a directive's Markdown (.md) as draft build writes it")
    text = read_text(path, what)
    try:
        tree = md.read(text)
    except md.FormatError as error:
        raise ReadError(Problem(_("expected %(what)s: %(why)s", what=what, why=error), path, error.line)) from None
    except (ValueError, LookupError, TypeError, AttributeError, yaml.YAMLError):
        raise ReadError(Problem(_("expected %(what)s, found other Markdown", what=what), path)) from None
    if not tree.meta.lang or not tree.parts:
        raise ReadError(Problem(_("expected %(what)s, with its front matter and articles; found neither", what=what),
                                path))
    return tree


def version_of(path: Path, side: str, options: CompareOptions) -> Document:
    """One side of a comparison: an answers file built now, or a directive built before (its Markdown)."""
    flag = f"--{side}-clauses"
    if path.suffix.lower() in DIRECTIVE_SUFFIXES:
        if (options.old_clauses if side == "old" else options.new_clauses) is not None:
            raise OptionError(Problem(_("applies to an answers file; this is a directive already built"), path,
                                      field=flag))
        tree = read_directive(path)
        if tree.meta.lang != options.lang:
            raise OptionError(Problem(_("the directive is in %(found)r, but --lang asks for %(lang)r; compare "
                                        "versions in one language", found=tree.meta.lang, lang=options.lang),
                                      path, field="--lang"))
        return tree
    return document(load_answers(path), options.lang, options.build_options(side))


def compare_targets(new: Path, out: Path, lang: str) -> tuple[Path, Path]:
    """The tracked-changes copy and the summary, named after the new version."""
    stem = new.stem.removesuffix(f".{lang}")
    return out / f"{stem}.{lang}.tracked.docx", out / f"{stem}.{lang}.changes.md"


def compare(old: Path, new: Path, out: Path, options: CompareOptions | None = None,
            force: bool = False) -> CompareReport:
    """Write the new version as a .docx with tracked changes against the old, and the summary of the
    changes by article as Markdown; both versions are read and checked before anything is written."""
    from . import compare as compare_mod
    from .render import redline, word

    options = options or CompareOptions()
    i18n.check_language(options.lang)
    old_tree, new_tree = version_of(old, "old", options), version_of(new, "new", options)
    change = compare_mod.compare(old_tree, new_tree)
    t = i18n.translator(options.lang)
    docx_target, md_target = compare_targets(new, out, options.lang)
    output.prepare(out, [docx_target, md_target], force)
    data = redline.write(change, compose.labels(t), word.WordOptions(lang=options.lang,
                                                                      reference=options.reference_docx))
    summary = compare_mod.markdown(change, t, old.name, new.name)
    output.commit(out, [(docx_target, data), (md_target, summary.encode("utf-8"))], force)
    return CompareReport([docx_target, md_target], compare_mod.summary(change, t))
