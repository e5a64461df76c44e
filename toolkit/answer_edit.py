"""`draft answers set FILE KEY=VALUE…`: change answers in an answers file without the questionnaire.

Each new answer is checked as the questionnaire checks it — its type and bounds, and its relations to
the other answers — and the whole file must still be valid. Only the changed values are rewritten: the
comments, the order and everything else stay as they were, and the file is replaced atomically, so it
is never left half-written.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import answers as answers_mod, interview, yamlfile
from .errors import AnswersError, OptionError, Problem
from .i18n import _
from .output import write_atomic
from .questionnaire import MISSING, Questionnaire
from .wording import Wording


@dataclass(frozen=True)
class Change:
    key: str
    before: Any      # the answer the file gave, as written (MISSING: none)
    after: Any       # the new answer, as checked


def describe(questionnaire: Questionnaire, changes: list[Change], t) -> list[str]:
    """One line per change, in the words of `t`'s language: "Age limit (max_age_months): 36 months → 48 months"."""
    wording = Wording(t, questionnaire)
    lines = []
    for change in changes:
        question = questionnaire.by_key[change.key]
        if change.before is MISSING:
            before = _("(no answer)")
        else:
            try:
                before = interview.words(wording, question, question.coerce(change.before))
            except ValueError:  # what the file held was not valid; show it as written
                before = str(change.before)
        lines.append(_("%(label)s (%(key)s): %(before)s → %(after)s", label=question.short(t), key=change.key,
                       before=before, after=interview.words(wording, question, change.after)))
    return lines


def assignments(questionnaire: Questionnaire, texts: list[str]) -> dict[str, Any]:
    """`KEY=VALUE` arguments as answers to check; the value is typed as at the prompt of `draft new`:
    a number, yes or no, a choice's value (or its number), values separated by commas, a date, text."""
    problems, result = [], {}
    for text in texts:
        key, sign, typed = text.partition("=")
        key = key.strip()
        if not sign:
            problems.append(Problem(_("expected KEY=VALUE, found %(found)r", found=text), field="KEY=VALUE"))
            continue
        question = questionnaire.by_key.get(key)
        if question is None:
            problems.append(Problem(answers_mod.unknown_key(questionnaire, key), field=key))
            continue
        try:
            value = interview.parse(question, typed)
        except ValueError as e:
            problems.append(Problem(str(e), field=key))
            continue
        result[key] = [] if value is None and question.type == "multi" else value
    if problems:
        raise OptionError(problems, _("The answers to set are not valid:"))
    return result


def set_answers(questionnaire: Questionnaire, path: Path, changes: dict[str, Any], translate=None) -> list[Change]:
    """Check the changed file as a whole, then rewrite only the changed values; return what changed.
    `translate(context, text)` words the comment above an answer the file did not have."""
    from .prompt import INCOMPLETE

    text = yamlfile.read_text(path, _("an answers file"))
    data = answers_mod.check_mapping(yamlfile.loads(text, path), path)
    new = {**answers_mod.as_data(dict(data)), **changes}
    listed = data.get(answers_mod.DEFAULTS)
    if isinstance(listed, list):
        new[answers_mod.DEFAULTS] = [key for key in listed if key not in changes]
    walk = questionnaire.walk({k: v for k, v in new.items() if not k.startswith("_")}, take_defaults=False)
    _check(questionnaire, new, data, path, walk, changes, incomplete=text.startswith(INCOMPLETE + "\n"))
    edited = text
    for key in changes:
        edited = _replace(edited, key, walk.decided.get(key, changes[key]), questionnaire, translate)
    if isinstance(listed, list) and new[answers_mod.DEFAULTS] != listed:
        edited = _replace(edited, answers_mod.DEFAULTS, new[answers_mod.DEFAULTS], questionnaire, translate,
                          flow=True)
    if answers_mod.as_data(dict(yamlfile.loads(edited, path))) != answers_mod.as_data(
            {**dict(data), **_written(new, walk, changes)}):
        raise AnswersError(Problem(_("cannot change the answers in place without changing their meaning; edit the "
                                     "file by hand"), path))
    write_atomic(path, edited.encode("utf-8"))
    return [Change(key, data.get(key, MISSING), walk.decided.get(key, changes[key])) for key in changes]


def _written(new: dict, walk, changes: dict) -> dict:
    """The data the edited file must hold: the changed answers as checked, the list of defaults updated."""
    result = {key: walk.decided.get(key, changes[key]) for key in changes}
    if answers_mod.DEFAULTS in new:
        result[answers_mod.DEFAULTS] = new[answers_mod.DEFAULTS]
    return result


def _check(questionnaire: Questionnaire, new: dict, data: dict, path: Path, walk, changes: dict,
           incomplete: bool) -> None:
    """Each changed answer applies, and the changed file is valid — an incomplete one may still lack
    answers, nothing more."""
    lined = yamlfile.Lines(new)
    lined.lines = dict(getattr(data, "lines", {}))
    idle = [Problem(_("does not apply to these answers: it is asked only when %(condition)s",
                      condition=questionnaire.by_key[key].when), path, lined.lines.get(key), key)
            for key in changes if key in walk.skipped]
    if idle:
        answers_mod.fail(idle, path)
    if not incomplete:
        answers_mod.validate(questionnaire, lined, path)
        return
    problems = (answers_mod.unknown_keys(questionnaire, lined, path)
                + answers_mod.metadata_problems(questionnaire, lined, path)
                + answers_mod.invalid_answers(walk, lined, path))
    if problems:
        answers_mod.fail(problems, path)


def _replace(text: str, key: str, value: Any, questionnaire: Questionnaire, translate, flow: bool = False) -> str:
    """The text with the value of `key` replaced — or, when the file has no such key, added after the
    answer before it in questionnaire order, under a comment with its question."""
    dumped = yaml.safe_dump({key: answers_mod.as_data(value)}, allow_unicode=True, sort_keys=False, width=100,
                            default_flow_style=None if flow else False).rstrip()
    spans = _spans(text)
    if key in spans:
        start, end = spans[key]
        return text[:start] + dumped + text[end:]
    question = questionnaire.by_key[key]
    words = (translate or (lambda context, english: english))(f"{key}:question", question.question)
    block = "\n".join([*(f"# {line}" for line in words.splitlines()), dumped])
    place = questionnaire.position
    before = [k for k in spans if k in place and place[k] < place[key]]
    if before:
        end = spans[max(before, key=place.__getitem__)][1]
        return text[:end] + "\n" + block + text[end:]
    if not text.endswith("\n"):
        text += "\n"
    return text + block + "\n"


def _spans(text: str) -> dict[str, tuple[int, int]]:
    """Where each top-level key and its value stand in the text: from the key to the end of the value's
    last character, so that the comments after a value (the next question's) are not part of it."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {str(key.value): (key.start_mark.index, _end(value, text)) for key, value in root.value}


def _end(node: yaml.Node, text: str) -> int:
    if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and node.value and not node.flow_style:
        last = node.value[-1]
        return _end(last[1] if isinstance(last, tuple) else last, text)
    end = node.end_mark.index
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        end = node.start_mark.index + len(text[node.start_mark.index:end].rstrip())
    return end

