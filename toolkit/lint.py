"""`draft clauses lint`: what a careful reader would find wrong in the directives a library can build.

Five checks, each reported as `file:line` of the clause text concerned:

* **departures** — an article that the answers falling short of a standard keep, in a wording that differs
  from every wording the answers meeting it give, must not cite the provisions the standard's rule names
  (`toolkit/standards.yaml`): that wording departs from them and says so in `departs_from`;
* **references** — `%(article:ID)s` to an article that a build leaves out;
* **terms** — a term defined in some build (`"the nursery" means …`) used in a build that does not define
  it, or defined in a build that never uses it;
* **actors** — a "shall" that does not name who acts (a passive, a thing or a beneficiary as subject), or that
  binds a body a prison directive cannot bind (a court, a hospital, the child-welfare authority);
* **contradictions** — clauses selected together with a clause they declare they exclude, or that override
  a clause (an exception to it) without naming it in their text.

The builds examined are the answers given (or the defaults and the examples), each of them changed to fall
short of each rule in turn, and any further answers a caller adds (the tests add generated ones).
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import answers as answers_mod, check
from .answers import Answers
from .assemble import Directive, assemble
from .errors import AnswersError, Problem
from .i18n import _
from .library import REFERENCE, Clause, Library
from .questionnaire import Questionnaire

_PLACEHOLDER = re.compile(r"%\(([^()\s]+)\)s")


@dataclass(frozen=True)
class Build:
    """One set of answers the lint builds, with the words that say where it comes from."""

    label: str
    answers: Answers


@dataclass
class Report:
    findings: list[Problem] = field(default_factory=list)
    builds: int = 0
    shall: int = 0            # "shall" in the English texts of the library
    shall_named: int = 0      # of them, those that name who acts

    @property
    def share(self) -> float:
        return 100.0 * self.shall_named / self.shall if self.shall else 100.0


# -- the builds
def domain(question) -> list[Any]:
    """The values the lint tries for a question: every choice, yes and no, no value, one value, all values,
    all but one, and the special answers it allows. Numbers and texts keep their answer."""
    if question.type == "bool":
        values: list[Any] = [True, False]
    elif question.type == "choice":
        values = [c.value for c in question.choices]
    elif question.type == "multi":
        every = [c.value for c in question.choices]
        values = [[], every, *([v] for v in every), *([w for w in every if w != v] for v in every)]
    else:
        return []
    return values + list(question.allow)


def _given(answers: Answers) -> dict[str, Any]:
    """Answers as they would be given again: the values of the questions that apply."""
    return {k: answers_mod.as_data(v) for k, v in answers.values.items() if v is not None}


def _validate(questionnaire: Questionnaire, given: dict[str, Any]) -> Answers | None:
    try:
        return answers_mod.validate(questionnaire, given)
    except AnswersError:
        return None


def _describe(assignment: dict[str, Any]) -> str:
    return ", ".join(f"{key}: {value!r}" for key, value in assignment.items())


def rule_builds(questionnaire: Questionnaire, rule: check.Rule, base: Build) -> tuple[list[Build], list[Build]]:
    """The base changed in the rule's answers only: the builds that fall short of the rule, and those that
    meet it."""
    keys = [k for k in rule.questions if k in questionnaire.by_key]
    domains = [domain(questionnaire.by_key[k]) for k in keys]
    short, meets = [], []
    if not all(domains):
        return short, meets
    given = _given(base.answers)
    for values in itertools.product(*domains):
        assignment = dict(zip(keys, values, strict=True))
        answers = _validate(questionnaire, {**given, **assignment})
        if answers is None:
            continue
        status = check.evaluate((rule,), answers)[0].status
        label = _("%(base)s, falling short of the rule %(rule)s (%(answers)s)", base=base.label, rule=rule.id,
                  answers=_describe(assignment))
        if status == check.FALLS_SHORT:
            short.append(Build(label, answers))
        elif status == check.MEETS:
            meets.append(Build(label, answers))
    return short, meets


# -- what an article says, for comparing two wordings
def wording(article, answers: Answers) -> tuple:
    """An article as these answers word it: its clause, paragraphs and items, and the answers filling them
    (not the numbers of the articles it refers to, which move with the others)."""
    texts = [p.paragraph for p in article.paragraphs] + [i for p in article.paragraphs for i in p.items]
    names = sorted({name for text in texts for name in _names(text) if ":" not in name})
    return (article.clause.id, tuple((p.paragraph, p.items) for p in article.paragraphs),
            tuple(repr(answers.values.get(name)) for name in names))


_LINES: dict[int, tuple[Clause, dict[str, int | None]]] = {}


def _lines(clause: Clause) -> dict[str, int | None]:
    """Each text of a clause with its line (remembered by the clause's identity: hashing a clause is slow)."""
    known = _LINES.get(id(clause))
    if known is not None and known[0] is clause:
        return known[1]
    lines: dict[str, int | None] = {}
    for paragraph in clause.text:
        lines.setdefault(paragraph.text, paragraph.line)
        for item in paragraph.items:
            lines.setdefault(item.text, item.line)
    _LINES[id(clause)] = (clause, lines)
    return lines


@cache
def _names(text: str) -> tuple[str, ...]:
    """The placeholders of a text."""
    return tuple(m.group(1) for m in _PLACEHOLDER.finditer(text))


def _texts(article) -> list[tuple[str, int | None]]:
    """The texts an article holds in a build, each with its line in the clause file."""
    lines = _lines(article.clause)
    out = []
    for paragraph in article.paragraphs:
        out.append((paragraph.paragraph, lines.get(paragraph.paragraph, article.clause.line)))
        out += [(item, lines.get(item, article.clause.line)) for item in paragraph.items]
    return out


class _Findings:
    """Findings, each told once, at the place it concerns."""

    def __init__(self):
        self.seen: set[tuple] = set()
        self.problems: list[Problem] = []

    def add(self, key: tuple, message: str, clause: Clause, line: int | None = None) -> None:
        if key in self.seen:
            return
        self.seen.add(key)
        self.problems.append(Problem(message, clause.file, line or clause.line, clause.id))


# -- departures
def _departures(variations: list[tuple[check.Rule, list[Build], list[Build]]], built, findings: _Findings) -> None:
    for rule, short, meets in variations:
        if short and meets:
            met = [(b, built(b)) for b in meets]
            worded = [{a.id: wording(a, b.answers) for a in d.articles()} for b, d in met]
            for build in short:
                directive = built(build)
                for article in directive.articles():
                    own = wording(article, build.answers)
                    if any(w.get(article.id) == own for w in worded):
                        continue
                    for source in article.clause.sources:
                        for provision in rule.provisions:
                            if source.overlaps(provision):
                                findings.add(("departs", article.clause.id, rule.id, str(source)), _(
                                    "cites %(source)s, but this wording is kept when the answers fall short of the "
                                    "rule %(rule)s on %(provision)s, e.g. %(answers)s: it departs from that "
                                    "provision, so it must not cite it (make it a variant with departs_from)",
                                    source=str(source), rule=rule.id, provision=str(provision), answers=build.label),
                                    article.clause, article.clause.sources_line)


# -- references, contradictions, terms: in each build
def _references(directive: Directive, texts: dict, build: Build, findings: _Findings) -> None:
    present = {a.id for a in directive.articles()}
    for article in directive.articles():
        for text, line in texts[article.id]:
            for name in _names(text):
                kind, _sep, target = name.partition(":")
                if kind == REFERENCE and target not in present:
                    findings.add(("ref", article.clause.id, target, line), _(
                        "refers to article %(id)s, which the build leaves out, e.g. %(answers)s; add a condition or "
                        "another wording", id=target, answers=build.label), article.clause, line)


def _contradictions(directive: Directive, texts: dict, build: Build, findings: _Findings) -> None:
    present = {a.id: a for a in directive.articles()}
    for article in directive.articles():
        clause = article.clause
        for target in clause.excludes:
            if target in present:
                findings.add(("excludes", clause.id, target), _(
                    "is selected together with %(id)s, which it excludes, e.g. %(answers)s", id=target,
                    answers=build.label), clause)
        if not clause.overrides:
            continue
        named = {name.partition(":")[2] for text, _line in texts[article.id] for name in _names(text)}
        for target in clause.overrides:
            if target in present and target not in named:
                findings.add(("overrides", clause.id, target), _(
                    "makes an exception to article %(id)s but does not say so in the wording selected, e.g. "
                    "%(answers)s; write \"notwithstanding article %(reference)s\"", id=target, answers=build.label,
                    reference="%%(article:%s)s" % target), clause)


_DEFINITION = re.compile(r'^\s*(in this article,\s*)?(?:the |an? )?"([^"]+)"\s+(?:means|has the meaning)', re.I)
_ARTICLES = re.compile(r"^(?:the|an?)\s+", re.I)


@dataclass(frozen=True)
class Term:
    words: str            # as defined, with its article: "the admission board"
    local: bool           # defined "in this article" only

    @property
    def core(self) -> str:
        return _ARTICLES.sub("", self.words)

    def pattern(self) -> re.Pattern:
        core = re.escape(self.core)
        last = self.core.rsplit(" ", 1)[-1]
        plural = {"child": "children", "person": "persons"}.get(last)
        forms = f"(?:{core}|{re.escape(self.core[: -len(last)] + plural)})" if plural else f"{core}(?:e?s)?"
        flags = 0 if any(c.isupper() for c in self.core) else re.I
        return re.compile(rf"(?<![\w-]){forms}(?![\w-])", flags)


def definitions(library: Library) -> dict[str, Term]:
    """Every term the library defines, anywhere."""
    found = {}
    for clause in library.clauses():
        for paragraph in clause.text:
            for text in (paragraph.text, *(i.text for i in paragraph.items)):
                m = _DEFINITION.match(text)
                if m:
                    term = Term(m.group(2), bool(m.group(1)))
                    found.setdefault(term.core.casefold(), term)
    return found


class _Uses(dict):
    """The terms each text uses, worked out once per text."""

    def __init__(self, patterns: dict[str, re.Pattern]):
        super().__init__()
        self.patterns = patterns

    def __missing__(self, text: str) -> frozenset[str]:
        self[text] = found = frozenset(_uses(text, self.patterns))
        return found


def _uses(text: str, patterns: dict[str, re.Pattern]) -> set[str]:
    """The terms a text uses: the longest match wins where terms overlap ("the other parent", not "the
    parent"); placeholders and a definition's own quoted term are not uses."""
    text = _PLACEHOLDER.sub(" ", text)
    text = re.sub(r'"[^"]*"', " ", text)
    spans = []
    for key, pattern in patterns.items():
        spans += [(m.start(), m.end(), key) for m in pattern.finditer(text)]
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    used, end = set(), -1
    for start, stop, key in spans:
        if start >= end:
            used.add(key)
            end = stop
        elif stop > end:
            end = stop
    return used


def _terms(directive: Directive, texts: dict, build: Build, terms: dict[str, Term], used_by: _Uses,
           findings: _Findings) -> None:
    defined: dict[str, tuple[Clause, int | None]] = {}
    uses: dict[str, list[tuple[Clause, int | None, str]]] = {}
    for article in directive.articles():
        for text, line in texts[article.id]:
            m = _DEFINITION.match(text)
            if m:
                defined.setdefault(_ARTICLES.sub("", m.group(2)).casefold(), (article.clause, line))
            for key in used_by[text]:
                uses.setdefault(key, []).append((article.clause, line, article.id))
    for key, term in terms.items():
        where = defined.get(key)
        used = uses.get(key, [])
        if where is not None:
            home, line = where
            if term.local:
                relevant = [u for u in used if u[2] == home.place and u[1] != line]
                stray = [u for u in used if u[2] != home.place]
            else:
                relevant = [u for u in used if not (u[0] is home and u[1] == line)]
                stray = []
            if not relevant:
                findings.add(("unused", home.id, key, line), _(
                    "defines %(term)r, but nothing in the build uses it, e.g. %(answers)s", term=term.words,
                    answers=build.label), home, line)
        else:
            stray = used
        for clause, line, _place in stray[:1]:
            findings.add(("undefined", clause.id, key), _(
                "uses %(term)r, which the build does not define there, e.g. %(answers)s", term=term.words,
                answers=build.label), clause, line)


# -- actors
# Who a prison directive can give a duty to, and the bodies it cannot bind (it can only ask them).
ACTORS = re.compile(r"\b(director|officer|staff|administration|board|decision-maker|coordinator|health-care service|"
                    r"professional|practitioner|midwife|doctor|nurse|paediatrician|specialist|chair|panel|parent|"
                    r"prisoner|person|contractor|volunteer|escort|member|woman|women|mother|father|applicant|worker|"
                    r"official)s?\b", re.I)
UNBOUND = re.compile(r"\b(child-welfare authority|court|judge|hospital|inspectors?|inspection teams?|caregivers?|"
                     r"consular|prosecutor|registrar|ombudsperson|other parent|relatives?|famil(?:y|ies)|"
                     r"competent authority|authorities|bodies|body|minister)\b", re.I)
_ADVERBIAL = re.compile(r"^(where|when|whenever|wherever|if|unless|before|after|once|until|while|except|"
                        r"notwithstanding|in|within|for|during|at|on|by|without|subject|apart|throughout|under|from|"
                        r"as|to|with|save|also|then|otherwise|failing|between)\b", re.I)
_PRISONERS = re.compile(r"\b(parent|prisoner|woman|women|mother|father|applicant)s?\b", re.I)
_BENEFICIARY = {"receive", "have", "enjoy", "benefit", "keep", "get", "be", "remain", "continue", "suffer", "go",
                "return", "travel", "live", "stay", "leave", "attend", "follow"}
_OPENERS = re.compile(r"^(?:\s|not|never|also|only|in particular|then|always|at once|still|no longer|thereafter|"
                      r"immediately|without delay|,)+", re.I)


def shall_findings(text: str) -> list[tuple[str, str]]:
    """For each "shall" of a text: (what is wrong, the words around it); an empty text when it names who
    acts."""
    results = []
    for sentence in re.split(r"(?<=[.;:])\s+", text):
        verdict = "none"
        previous = 0
        for m in re.finditer(r"\bshall\b", sentence):
            before = sentence[previous:m.start()]
            tail = sentence[m.end():]
            verb = _OPENERS.sub("", tail).split(" ", 1)[0].strip(",").lower()
            if previous and _CONTINUES.search(before) and not _NEW_SUBJECT.search(before):
                pass   # "X shall A, shall B and shall C": the same subject
            else:
                verdict = _judge(_subject(before, first=not previous), verb, tail)
            if verdict and verb == "be":
                agent = _AGENT.match(tail)
                if agent:
                    who = _head(agent.group(1))
                    verdict = "unbound" if UNBOUND.search(who) and not ACTORS.search(who) \
                        else "" if ACTORS.search(who) else verdict
            results.append((verdict, sentence[max(0, m.start() - 60):m.end() + 40].strip()))
            previous = m.end()
    return results


_CONTINUES = re.compile(r"(?:\b(?:and|or|but)|,)\s*(?:then\s+|also\s+)?$", re.I)
_NEW_SUBJECT = re.compile(r",\s*(?:and|or|but)\s+(?:the|a|an|no|every|each|staff)\b[^,]*$", re.I)
_AGENT = re.compile(r"^\s*(?:not\s+|never\s+|also\s+|only\s+)?be\s+[\w-]+(?:\s+[\w-]+)?\s+by\s+([^,;.]*)")
_OBJECT_RELATIVE = re.compile(r"\b(?:which|whom|that|whose\s+[\w-]+)\s+((?:the|a|an|every|each|no)\s+[\w-]+"
                              r"(?:\s+[\w-]+){0,4}|staff)\s*$", re.I)
_SUBJECT_RELATIVE = re.compile(r"(\S+(?:\s+\S+){0,3}),?\s+(?:who|which)\s*$", re.I)
_DETERMINED = re.compile(r"^(?:the|a|an|no|every|each|any|all|staff|escorting|its|their|his|her)\b", re.I)
_POSSESSIVE = re.compile(r"\b[\w-]+['’]s\b")
_NOUN_PHRASE_END = re.compile(r"\s(?:who|whom|whose|which|that|where|when|by|to|in|for|with|from|at|on|under|during|"
                              r"between|within|issued|concerning|about|after|before|as|than|if|unless|is|are|has|have|"
                              r"may|must|can)\s", re.I)
_OF_KEEPS = {"member", "members", "head", "director", "directors", "staff", "officer", "officers", "chair"}


def _subject(before: str, first: bool) -> str:
    """The words that name the subject of a "shall": the antecedent of "who shall", the subject of an
    object clause ("which the Director shall"), or the noun phrase that opens the clause, after an opening
    "where …," — the last such phrase when clauses are joined ("…, and the Director shall")."""
    found = _OBJECT_RELATIVE.search(before)
    if found:
        return found.group(1)
    found = _SUBJECT_RELATIVE.search(before)
    if found:   # the antecedent: the noun phrase just before "who"
        antecedent = found.group(1).rstrip(",").split(",")[-1]
        last = re.split(r"\b(?:to|of|by|with|from|for|on|in|at)\s+", antecedent)[-1]
        return last if ACTORS.search(last) or UNBOUND.search(last) else antecedent
    if not first:
        before = re.split(r"\b(?:that|which|who)\s", before)[-1]
    chunks = [re.sub(r"^(?:and|or|but|then)\s+", "", c.strip(), flags=re.I) for c in before.split(",")]
    chunks = [c for c in chunks if c]
    if not chunks:
        return ""
    if _DETERMINED.match(chunks[0]) and not re.search(r",\s*(?:and|or|but)\s+(?:the|a|an|no|every|each|staff)\b",
                                                      before, re.I):
        return chunks[0]
    for chunk in reversed(chunks):
        if _DETERMINED.match(chunk) and not _ADVERBIAL.match(chunk):
            return chunk
    return chunks[0]


def _head(phrase: str) -> str:
    """The noun phrase that names the subject: up to its first qualifier ("issued by …", "who …"), and up to
    "of" unless the noun before it is a person's position ("a member of staff", "the head of …")."""
    phrase = _NOUN_PHRASE_END.split(" " + _POSSESSIVE.sub("", phrase) + " ")[0].strip()
    words = phrase.split()
    for index, word in enumerate(words):
        if word.lower() == "of" and index and words[index - 1].lower() not in _OF_KEEPS:
            return " ".join(words[:index])
    return phrase


def _judge(subject: str, verb: str, tail: str) -> str:
    """Whether a subject names who acts: "" when it does, "none" or "unbound" when not."""
    subject = _head(subject)
    if not subject:
        return "none"
    if UNBOUND.search(subject) and not re.match(r"^(?:no|every|each|any|a member of|the director|the liaison)",
                                                subject, re.I):
        return "unbound"
    if not ACTORS.search(subject):
        return "none"
    if verb == "be" and not re.match(r"^\s*(?:not\s+|also\s+)?be\s+(?:responsible|present)\b", tail):
        return "none"
    if verb in _BENEFICIARY - {"be"} and _PRISONERS.search(subject):
        return "none"
    return ""


def _actors(library: Library, findings: _Findings, report: Report) -> None:
    for clause in library.clauses():
        for paragraph in clause.text:
            for text, line in ((paragraph.text, paragraph.line), *((i.text, i.line) for i in paragraph.items)):
                for verdict, words in shall_findings(text):
                    report.shall += 1
                    if not verdict:
                        report.shall_named += 1
                    elif verdict == "unbound":
                        findings.add(("unbound", clause.id, line, words), _(
                            "\"shall\" binds a body a prison directive cannot bind: %(words)s; write what the "
                            "Director shall ask, arrange or notify", words=words), clause, line)
                    else:
                        findings.add(("actor", clause.id, line, words), _(
                            "\"shall\" does not name who acts: %(words)s; name the official or person who must act",
                            words=words), clause, line)


# -- the whole lint
def lint(library: Library, questionnaire: Questionnaire, rules, bases: list[Build],
         extra: Iterable[Build] = ()) -> Report:
    report = Report()
    findings = _Findings()
    _actors(library, findings, report)
    variations = [(rule, *rule_builds(questionnaire, rule, base)) for rule in rules for base in bases]
    directives: dict[int, Directive] = {}

    def built(build: Build) -> Directive:
        if id(build) not in directives:
            directives[id(build)] = assemble(library, build.answers)
        return directives[id(build)]

    _departures(variations, built, findings)
    builds = list(bases) + [b for _rule, short, meets in variations for b in short + meets] + list(extra)
    terms = definitions(library)
    used_by = _Uses({key: term.pattern() for key, term in terms.items()})
    for build in builds:
        directive = built(build)
        texts = {article.id: _texts(article) for article in directive.articles()}
        _references(directive, texts, build, findings)
        _contradictions(directive, texts, build, findings)
        _terms(directive, texts, build, terms, used_by, findings)
    report.builds = len(builds)
    report.findings = sorted(findings.problems, key=lambda p: (str(p.file), p.line or 0, p.message))
    return report


def bases(questionnaire: Questionnaire, paths: list[Path], examples: list[Path]) -> list[Build]:
    """The answers the lint starts from: the files given, or the defaults and the examples."""
    if paths:
        return [Build(str(path), answers_mod.load(questionnaire, path)) for path in paths]
    found = [Build(_("the defaults"), defaults(questionnaire))]
    return found + [Build(str(path.name), answers_mod.load(questionnaire, path)) for path in examples]


def defaults(questionnaire: Questionnaire) -> Answers:
    """The questionnaire's defaults, with a stand-in for each required answer (the jurisdiction's name,
    the date), so that they can be varied and built like any answers file."""
    given = {q.key: ("2000-01-01" if q.type == "date" else q.example or q.key.replace("_", " "))
             for q in questionnaire if q.required}
    return answers_mod.validate(questionnaire, given)
