"""The `draft` command: parse options, call the API, map a DraftError to its exit code.

Command bodies import what they need when they run, so `draft --help` starts fast.
"""
from __future__ import annotations

import sys
from pathlib import Path

import typer
from typer.core import TyperGroup

from .errors import DraftError
from .i18n import _, n_


class _Handled(TyperGroup):
    """The one error handler of the CLI: a user mistake shows as a short message and exits with its
    code, whatever the command; never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DraftError as error:
            typer.echo(f"draft: {error}", err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("draft: " + _("interrupted; no file was written or replaced"), err=True)
            raise typer.Exit(130) from None


app = typer.Typer(
    name="draft", cls=_Handled,
    help="Draft a prison directive on babies and small children living in prison with a parent, "
         "from a questionnaire and a library of model clauses that implement international standards.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
)


@app.callback()
def draft() -> None:
    """Draft a prison directive on babies and small children living in prison with a parent.

    Start with `draft new` (a questionnaire) or edit an example answers file, then `draft build`.
    """


def split(values: list[str] | None) -> tuple[str, ...]:
    """`--lang en,fr --lang es` → ("en", "fr", "es")."""
    out: list[str] = []
    for value in values or []:
        out += [v.strip() for v in value.split(",") if v.strip()]
    return tuple(dict.fromkeys(out))


LangOption = typer.Option(None, "--lang", "-l", help="Languages of the directive, comma-separated: en, fr, es. "
                                                       "[default: en]")
FormatOption = typer.Option(None, "--format", "-f", help="Output formats, comma-separated: md, docx, html, akn "
                                                         "(Akoma Ntoso XML, NAME.LANG.akn.xml). [default: md,docx]")
ClausesOption = typer.Option(None, "--clauses", help="A folder of your own clause files, merged over the model "
                                                     "library (same id replaces, new id adds).")


@app.command()
def build(
    answers: list[Path] = typer.Argument(..., help="Answers files (YAML), e.g. examples/*.yaml.", show_default=False),
    lang: list[str] | None = LangOption,
    fmt: list[str] | None = FormatOption,
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Folder to write to; created if missing. Files are "
                                                               "named ANSWERS.LANG.FORMAT."),
    force: bool = typer.Option(False, "--force", help="Replace files that already exist."),
    clauses: Path | None = ClausesOption,
    citations: str = typer.Option("footnotes", "--citations", help="Where citations go: footnotes (and the Sources "
                                                                    "annex), annex (annex only) or none."),
    notes: bool = typer.Option(False, "--notes", help="Add each clause's drafting note: Word comments in .docx, "
                                                      "quoted notes in Markdown (a review copy)."),
    reference_docx: Path | None = typer.Option(None, "--reference-docx", help="A Word file whose styles, page "
                                                  "setup, header and footer the .docx takes (your letterhead)."),
    compliance_annex: bool = typer.Option(False, "--compliance-annex", help="Add an annex: how the answers measure "
                                                                            "against the standards."),
    jobs: int = typer.Option(1, "--jobs", "-j", help="Worker processes for large batches."),
    accept_fallback: bool = typer.Option(False, "--accept-fallback", help="Build a language even where an answer "
                                         "given by language has no version in it: another version is shown, "
                                         "and the build says which answers."),
    mark_departures: bool = typer.Option(False, "--mark-departures", help="End each article whose wording departs "
                                         "from an international standard with a paragraph naming the provisions "
                                         "it departs from (without it, only the drafting note says so)."),
) -> None:
    """Build the directive from answers files, in each language and format."""
    from . import api

    options = api.BuildOptions(langs=split(lang) or ("en",), formats=split(fmt) or ("md", "docx"),
                               citations=citations, notes=notes, clauses=clauses, reference_docx=reference_docx,
                               compliance_annex=compliance_annex, accept_fallback=accept_fallback,
                               mark_departures=mark_departures)
    from . import i18n

    i18n.set_ui_language(options.langs[0])
    _preload(options)
    total = len(answers) * len(options.langs) * len(options.formats)
    if progress_wanted(sys.stderr, total):
        with typer.progressbar(length=total, label=_("building"), file=sys.stderr) as bar:
            report = api.build(list(answers), out, options, force=force, jobs=jobs, progress=lambda _: bar.update(1))
    else:
        report = api.build(list(answers), out, options, force=force, jobs=jobs)
    show_report(report)


def progress_wanted(stream, total: int) -> bool:
    """A progress bar only for someone watching a terminal, and only when there is more than one file."""
    return stream.isatty() and total > 1


def show_report(report) -> None:
    """What a build wrote, and what the reader should know about its translations."""
    for path in report.written:
        typer.echo(_("wrote %(path)s", path=path))
    for lang, count in sorted(report.fallbacks.items()):
        typer.echo(n_("note: %(n)s string has no %(lang)s translation and is shown in English",
                      "note: %(n)s strings have no %(lang)s translation and are shown in English", count, lang=lang),
                   err=True)
    for lang, keys in sorted(report.answer_fallbacks.items()):
        typer.echo(n_("note: %(n)s answer has no %(lang)s version and is shown in another language: %(keys)s",
                      "note: %(n)s answers have no %(lang)s version and are shown in another language: %(keys)s",
                      len(keys), lang=lang, keys=", ".join(keys)), err=True)
    for problem in report.refused:
        typer.echo(_("note: translation refused, English used instead: %(problem)s", problem=problem), err=True)


@app.command()
def compare(
    old: Path = typer.Argument(..., help="The old version: an answers file, or the Markdown of a directive built "
                                         "before (NAME.LANG.md).", show_default=False),
    new: Path = typer.Argument(..., help="The new version: an answers file, or a directive's Markdown.",
                               show_default=False),
    lang: str = typer.Option("en", "--lang", "-l", help="The language of the two versions: en, fr, es."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Folder to write to; created if missing. Writes "
                                                               "NEW.LANG.tracked.docx and NEW.LANG.changes.md."),
    force: bool = typer.Option(False, "--force", help="Replace files that already exist."),
    clauses: Path | None = typer.Option(None, "--clauses", help="A folder of your own clauses, merged over the "
                                                                 "model library for both versions."),
    old_clauses: Path | None = typer.Option(None, "--old-clauses", help="Your clauses for the old version only "
                                                                         "(e.g. last year's folder)."),
    new_clauses: Path | None = typer.Option(None, "--new-clauses", help="Your clauses for the new version only."),
    citations: str = typer.Option("footnotes", "--citations", help="Where citations go: footnotes, annex or none."),
    reference_docx: Path | None = typer.Option(None, "--reference-docx", help="A Word file whose styles, page "
                                                  "setup, header and footer the .docx takes (your letterhead)."),
) -> None:
    """Write the new version of a directive as a Word file with tracked changes against the old, and a
    summary of the changes by article.

    Give two answers files (an amendment: a new age limit, a new facility), or one answers file twice with
    --old-clauses and --new-clauses (your clauses revised), or the Markdown of a directive built before and
    an answers file (what changed since, the model library's changes too). Accept or reject the changes
    in Word or LibreOffice: accepting all gives the new version, rejecting all the old.
    """
    from . import api, i18n

    i18n.set_ui_language(i18n.check_language(lang))
    options = api.CompareOptions(lang=lang, citations=citations, clauses=clauses, old_clauses=old_clauses,
                                 new_clauses=new_clauses, reference_docx=reference_docx)
    report = api.compare(old, new, out, options, force=force)
    for line in report.summary:
        typer.echo(line)
    for path in report.written:
        typer.echo(_("wrote %(path)s", path=path))


@app.command()
def new(
    output: Path | None = typer.Argument(None, help="The answers file to write. [default: answers.yaml; with "
                                                       "--from, that file]", show_default=False),
    lang: list[str] | None = LangOption,
    fmt: list[str] | None = FormatOption,
    prefill: Path | None = typer.Option(None, "--from", help="An answers file to start from: its valid answers "
                                           "are kept and only what is missing or invalid is asked. Resumes an "
                                           "interrupted questionnaire."),
    defaults: bool = typer.Option(False, "--defaults", help="Take every default (the answer that best meets the "
                                                            "standards) without asking; ask only what has none."),
    force: bool = typer.Option(False, "--force", help="Replace the answers file and the documents if they exist."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Folder for the directive; created if missing."),
    build: bool = typer.Option(True, "--build/--no-build", help="Build the directive once the answers are written."),
    clauses: Path | None = ClausesOption,
    interactive: bool | None = typer.Option(None, "--interactive/--no-interactive", help="Ask even when standard "
                                               "input is not a terminal (one answer per line, e.g. from a pipe), or "
                                               "never ask. [default: ask on a terminal]"),
) -> None:
    """Answer the questionnaire one question at a time, write the answers file, build the directive.

    Questions and messages are in the first --lang language. Enter alone takes the proposed answer.
    Ctrl-C or the end of input saves the answers so far: `draft new --from FILE` goes on from there.
    With no terminal, give --defaults or --from: questions left unanswered then take their default.
    """
    from . import api, i18n, prompt
    from .output import prepare

    langs = split(lang) or ("en",)
    options = api.BuildOptions(langs=langs, formats=split(fmt) or ("md", "docx"), clauses=clauses).check()
    i18n.set_ui_language(langs[0])
    request = prompt.Request(output, prefill, defaults, force,
                             interactive=sys.stdin.isatty() if interactive is None else interactive)
    answers_file = request.check()
    if build:  # refuse existing documents before the first question, not after the last
        prepare(out, [target for *_, target in api.targets([answers_file], out, options)], force)
    path = prompt.new(request, api.questionnaire())
    typer.echo(i18n._("wrote %(path)s", path=path))
    if build:
        show_report(api.build([path], out, options, force=force))


@app.command()
def questions(
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the questions: en, fr, es."),
    json_schema: bool = typer.Option(False, "--json-schema", help="Write a JSON Schema (draft 2020-12) of the "
                                     "answers file instead, for editors: `draft questions --json-schema > "
                                     "answers.schema.json`, then start an answers file with the line "
                                     "`# yaml-language-server: $schema=answers.schema.json`."),
) -> None:
    """List the questions by group: key, what each takes, its default or condition, and its text."""
    from . import api, i18n, schema

    i18n.set_ui_language(i18n.check_language(lang))
    t = i18n.translator(lang)
    if json_schema:
        return echo_json(schema.json_schema(api.questionnaire(), t))
    typer.echo(schema.listing(api.questionnaire(), t), nl=False)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="The address to listen on. Only this computer can reach "
                                                         "127.0.0.1; 0.0.0.0 listens on every network."),
    port: int = typer.Option(8000, "--port", "-p", help="The port to listen on (0: any free port)."),
    open_browser: bool = typer.Option(False, "--open", help="Open the questionnaire in the web browser."),
    threads: int = typer.Option(4, "--threads", help="Requests answered at once by this process."),
    behind_proxy: bool = typer.Option(False, "--behind-proxy", help="Trust the X-Forwarded-For, -Proto and -Host "
                                                                     "headers of one reverse proxy in front."),
) -> None:
    """The questionnaire in a web browser: answer it, see the directive and how it measures against the
    standards as you go, download it (.docx, .md …) and the answers file. Nothing is kept on the server."""
    from .web import serve as web_serve

    web_serve.run(web_serve.ServeOptions(host, port, open_browser, threads, behind_proxy), typer.echo)


clauses_app = typer.Typer(help="Browse and check the clause library: list, show, coverage, lint.",
                          no_args_is_help=True)
locales_app = typer.Typer(help="Translators' tools: extract, update, check, stats, init.", no_args_is_help=True)
app.add_typer(clauses_app, name="clauses")
app.add_typer(locales_app, name="locales")
JsonOption = typer.Option(False, "--json", help="Write JSON instead of text.")


def echo_json(data) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@clauses_app.command("list")
def clauses_list(
    section: str | None = typer.Option(None, "--section", "-s", help="Only the clauses of this section."),
    instrument: str | None = typer.Option(None, "--instrument", "-i", help="Only clauses citing this "
                                                                              "instrument (a key: bangkok, crc …)."),
    clauses: Path | None = ClausesOption,
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the titles and citations: en, fr, es."),
    as_json: bool = JsonOption,
) -> None:
    """List the clauses of the library, with the provisions each implements."""
    from . import api, browse

    wording = _wording(lang)
    library = api.library(clauses)
    rows = browse.clause_rows(library, section, instrument)
    if as_json:
        return echo_json(rows)
    typer.echo(browse.listing(library, rows, wording, terminal_width()))


@clauses_app.command("show")
def clauses_show(
    clause_id: str = typer.Argument(..., help="The clause id, e.g. admission.application.", show_default=False),
    clauses: Path | None = ClausesOption,
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the text: en, fr, es."),
    as_json: bool = JsonOption,
) -> None:
    """Show one clause in full: text (each parameter by the question it answers), conditions, sources and
    drafting note."""
    from . import api, browse

    wording = _wording(lang)
    library = api.library(clauses)
    if as_json:
        return echo_json(browse.clause_detail(library, clause_id))
    typer.echo(browse.shown(library, clause_id, wording, terminal_width()))


@clauses_app.command("coverage")
def clauses_coverage(clauses: Path | None = ClausesOption, as_json: bool = JsonOption) -> None:
    """The concordance: every provision cited with the clauses that implement it, and the topics covered."""
    from . import api, browse

    lib = api.library(clauses)
    data = browse.coverage(lib)
    typer.echo(browse.format_coverage(data, lib)) if not as_json else echo_json(data)


@clauses_app.command("lint")
def clauses_lint(
    clauses: Path | None = ClausesOption,
    answers: list[Path] | None = typer.Option(None, "--answers", "-a", help="Answers files to build (repeat the "
                                              "option); by default the questionnaire's defaults and the examples."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the messages: en, fr, es."),
) -> None:
    """Find what a careful reader would find wrong in the directives the clauses can build, as file:line:
    a wording that cites a provision its answers fall short of, a reference to an article a build leaves
    out, a term used without its definition or defined and never used, a "shall" that names no one who
    acts, clauses selected together with one they exclude. Exit code 1 when something is found."""
    from . import api, i18n, lint

    i18n.set_ui_language(i18n.check_language(lang))
    library = api.library(clauses)
    bases = lint.bases(api.questionnaire(), list(answers or []), examples())
    report = lint.lint(library, api.questionnaire(), api.standards(), bases)
    for problem in report.findings:
        typer.echo(str(relative(problem)))
    percent = format(report.share, ".1f")
    typer.echo(_("\"shall\" names who acts in %(named)s of %(total)s sentences (%(percent)s%%)",
                 named=report.shall_named, total=report.shall, percent=percent), err=True)
    if report.findings:
        typer.echo(n_("%(n)s finding in %(builds)s builds", "%(n)s findings in %(builds)s builds",
                      len(report.findings), builds=report.builds), err=True)
        raise typer.Exit(1)
    typer.echo(_("no findings in %(builds)s builds", builds=report.builds))


def examples() -> list[Path]:
    """The example answers files shipped with the toolkit, when it runs from a checkout."""
    from . import resources

    folder = resources.path("clauses").parent / "examples"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def relative(problem):
    """A problem whose file is named from the current folder when it lies inside it."""
    import dataclasses

    if problem.file is None:
        return problem
    try:
        return dataclasses.replace(problem, file=Path(problem.file).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return problem


@app.command()
def check(
    answers: Path = typer.Argument(..., help="An answers file (YAML).", show_default=False),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the report: en, fr, es."),
    fmt: str = typer.Option("text", "--format", "-f", help="text, md or json."),
) -> None:
    """How the answers measure against each provision of the standards: meets, falls short (and why), or not
    addressed; then a summary per instrument. Exit code 1 when something falls short."""
    from . import api, i18n
    from .errors import OptionError, Problem

    if fmt not in ("text", "md", "json"):
        raise OptionError(Problem(_("expected text, md or json, found %(found)r", found=fmt), field="--format"))
    i18n.set_ui_language(i18n.check_language(lang))
    report = api.compliance(api.load_answers(answers), lang)
    if fmt == "json":
        echo_json(report.as_json())
    else:
        typer.echo(report.text(markdown=fmt == "md", width=terminal_width()), nl=False)
    raise typer.Exit(1 if report.falls_short else 0)


@app.command()
def instruments(as_json: bool = JsonOption) -> None:
    """The instruments the clauses cite: official titles in English, French and Spanish, adoption, year."""
    from . import api, browse

    rows = browse.instruments(api.library())
    if as_json:
        return echo_json(rows)
    for row in rows:
        typer.echo(f"{row['key']:<16} {row['short']['en']} ({row['year']})")
        for lang in ("en", "fr", "es"):
            typer.echo(f"{'':<16} {lang}: {row['title'].get(lang, '')}")
        typer.echo(f"{'':<16} {row['adoption']}")


@locales_app.command("extract")
def locales_extract() -> None:
    """Refresh locales/messages.pot from the code, templates, questionnaire and clause library."""
    from . import catalog

    template = _template()
    typer.echo(_("wrote %(path)s (%(n)s messages)", path=catalog.write_template(template), n=len(template)))


@locales_app.command("update")
def locales_update() -> None:
    """Merge the template into every .po: keep translations, mark changed ones fuzzy, add new ones."""
    from . import catalog

    for path, fuzzy, untranslated in catalog.update(_template()):
        typer.echo(_("updated %(path)s: %(fuzzy)s fuzzy, %(untranslated)s untranslated", path=path, fuzzy=fuzzy,
                     untranslated=untranslated))


@locales_app.command("check")
def locales_check(lang: str | None = typer.Argument(None, help="Only this language (default: all).")) -> None:
    """List every problem as file:line (untranslated, fuzzy, placeholders, syntax, msgfmt); exit 1 if any."""
    from . import locale_check

    problems = locale_check.check(lang)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        typer.echo(n_("%(n)s problem", "%(n)s problems", len(problems)), err=True)
        raise typer.Exit(1)
    typer.echo(_("no problems"))


@locales_app.command("stats")
def locales_stats(as_json: bool = JsonOption) -> None:
    """How much of each language is translated, per section."""
    from . import locale_check

    table = locale_check.stats()
    if as_json:
        return echo_json({lang: {k: {"total": v.total, "translated": v.translated, "percent": round(v.percent, 1)}
                                 for k, v in rows.items()} for lang, rows in table.items()})
    for lang, rows in table.items():
        total = rows["total"]
        percent = format(total.percent, ".1f")
        typer.echo(_("%(lang)s: %(percent)s%% translated (%(done)s/%(total)s)", lang=lang,
                     percent=percent, done=total.translated, total=total.total))
        for key, stat in rows.items():
            if key != "total":
                typer.echo(f"  {key:<20} {stat.percent:6.1f}%  {stat.translated}/{stat.total}")


@locales_app.command("init")
def locales_init(lang: str = typer.Argument(..., help="Language code, e.g. pt or pt_BR.", show_default=False),
                 force: bool = typer.Option(False, "--force", help="Start again over an existing catalog.")) -> None:
    """Start a new language: create locales/LANG/LC_MESSAGES/messages.po from the template."""
    from . import catalog

    typer.echo(_("wrote %(path)s", path=catalog.init(lang, _template, force=force)))


def _wording(lang: str):
    """The words of a language, for what a command shows; the interface speaks it too."""
    from . import api, i18n
    from .wording import Wording

    i18n.set_ui_language(i18n.check_language(lang))
    return Wording(i18n.translator(lang), api.questionnaire())


def terminal_width() -> int:
    import shutil

    return max(40, min(shutil.get_terminal_size((100, 24)).columns, 120))


def _template():
    """The translators' template: every string of the code, templates, questionnaire, library and standards."""
    from . import api, catalog

    return catalog.extract(api.questionnaire(), api.library(), api.standards())


def _preload(options) -> None:
    """Load what every document shares, then freeze it out of the garbage collector's reach: it lives as
    long as this process, and every full collection would walk it again."""
    import gc

    from . import api

    api.preload(options)
    gc.freeze()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
