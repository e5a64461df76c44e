"""The `draft` command: parse options, call the API, map a DraftError to its exit code.

Command bodies import what they need when they run, so `draft --help` starts fast.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Optional

import typer

from .errors import DraftError

app = typer.Typer(
    name="draft",
    help="Draft a prison directive on babies and small children living in prison with a parent, "
         "from a questionnaire and a library of model clauses that implement international standards.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
)


@app.callback()
def draft() -> None:
    """Draft a prison directive on babies and small children living in prison with a parent.

    Start with `draft new` (a questionnaire) or edit an example answers file, then `draft build`.
    """


def handled(command):
    """Show a user mistake as a short message and exit with its code; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DraftError as error:
            typer.echo(f"draft: {error}", err=True)
            raise typer.Exit(error.exit_code) from None

    return wrapper


def split(values: list[str] | None) -> tuple[str, ...]:
    """`--lang en,fr --lang es` → ("en", "fr", "es")."""
    out: list[str] = []
    for value in values or []:
        out += [v.strip() for v in value.split(",") if v.strip()]
    return tuple(dict.fromkeys(out))


LangOption = typer.Option(None, "--lang", "-l", help="Languages of the directive, comma-separated: en, fr, es. "
                                                       "[default: en]")
FormatOption = typer.Option(None, "--format", "-f", help="Output formats, comma-separated: md, docx. [default: md,docx]")
ClausesOption = typer.Option(None, "--clauses", help="A folder of your own clause files, merged over the model "
                                                     "library (same id replaces, new id adds).")


@app.command()
@handled
def build(
    answers: list[Path] = typer.Argument(..., help="Answers files (YAML), e.g. examples/*.yaml.", show_default=False),
    lang: Optional[list[str]] = LangOption,
    fmt: Optional[list[str]] = FormatOption,
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Folder to write to; created if missing. Files are "
                                                               "named ANSWERS.LANG.FORMAT."),
    force: bool = typer.Option(False, "--force", help="Replace files that already exist."),
    clauses: Optional[Path] = ClausesOption,
    citations: str = typer.Option("footnotes", "--citations", help="Where citations go: footnotes (and the Sources "
                                                                    "annex), annex (annex only) or none."),
    notes: bool = typer.Option(False, "--notes", help="Add each clause's drafting note: Word comments in .docx, "
                                                      "quoted notes in Markdown (a review copy)."),
    reference_docx: Optional[Path] = typer.Option(None, "--reference-docx", help="A Word file whose styles, page "
                                                  "setup, header and footer the .docx takes (your letterhead)."),
    compliance_annex: bool = typer.Option(False, "--compliance-annex", help="Add an annex: how the answers measure "
                                                                            "against the standards."),
) -> None:
    """Build the directive from answers files, in each language and format."""
    from . import api

    options = api.BuildOptions(langs=split(lang) or ("en",), formats=split(fmt) or ("md", "docx"),
                               citations=citations, notes=notes, clauses=clauses, reference_docx=reference_docx,
                               compliance_annex=compliance_annex)
    report = api.build(list(answers), out, options, force=force)
    for path in report.written:
        typer.echo(f"wrote {path}")
    for lang, count in sorted(report.fallbacks.items()):
        typer.echo(f"note: {count} strings have no {lang} translation and are shown in English", err=True)
    for problem in report.refused:
        typer.echo(f"note: translation refused, English used instead: {problem}", err=True)


def main() -> None:
    try:
        app()
    except DraftError as error:  # raised outside a command body, e.g. while loading
        typer.echo(f"draft: {error}", err=True)
        sys.exit(error.exit_code)
