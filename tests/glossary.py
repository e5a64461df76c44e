"""The agreed terminology (locales/glossary.yaml) and the checks that the catalog and build tests share."""
from __future__ import annotations

import re

import yaml
from conftest import ROOT

GLOSSARY = yaml.safe_load((ROOT / "locales" / "glossary.yaml").read_text(encoding="utf-8"))
CODE = re.compile(r"`[^`]*`|%\([^)]*\)s")  # field names, commands and placeholders: the same in every language


def matches(term: dict, english: str) -> bool:
    """Whether an English text uses the term."""
    return bool(re.search(term["en"], CODE.sub("", english), 0 if term.get("case_sensitive") else re.I))


def rejected(text: str, lang: str) -> list[str]:
    """The rejected renderings of any term that a translated text uses: "term → variant"."""
    found = []
    for term in GLOSSARY["terms"]:
        for pattern in term.get("reject", {}).get(lang, []):
            found += [f"{term['en']} → {m.group()}" for m in re.finditer(pattern, text, re.I)]
    return found


def modality_problems(english: str, translated: str, lang: str, intro: bool = False) -> list[str]:
    """What in one translated text of an article breaks the modality conventions of the glossary. An
    introduction ("The liaison officer shall:") leaves its verb to the items that follow it."""
    problems = []
    for rule in GLOSSARY["modality"]:
        says = re.search(rule["en"], english)
        for pattern in rule.get("reject", {}).get(lang, []):
            if (found := re.search(pattern, translated, re.I)):
                problems.append(f"{found.group()!r} ({rule['meaning']}): {translated[:90]}")
        for pattern in rule.get("only_here", {}).get(lang, []):
            if not says and (found := re.search(pattern, translated, re.I)):
                problems.append(f"{found.group()!r} where the English states no necessity: {translated[:90]}")
        required = rule.get("require", {}).get(lang)
        if says and required and not intro and not re.search(required, translated):
            problems.append(f"no {required!r} ({rule['meaning']}): {translated[:90]}")
    return problems
