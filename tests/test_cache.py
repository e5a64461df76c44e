"""The cache of parsed data between runs: the same bytes with it as without it, and only ever a
shortcut — a corrupt entry, a folder that cannot be written or belongs to no one safe, an edited clause
file and another version of the toolkit all make it parse the files again. Every test keeps it in its
own temporary folder (DRAFT_CACHE_DIR), never in the user's."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from toolkit import cache

EXAMPLE = ROOT / "examples" / "comprehensive-unit.yaml"
OVERLAY = """\
section: admission
clauses:
  - id: admission.ministry-register
    title: Our own register
    text:
      - The Director shall record every application in %(jurisdiction)s{mark}.
    params: [jurisdiction]
    sources: [bangkok 2(1)]
    topics: [11]
"""


def _draft(cache_dir: Path | str, *args) -> subprocess.CompletedProcess:
    """`draft` in a process of its own, as a user runs it, its cache in `cache_dir` ("" turns it off)."""
    env = {**os.environ, cache.ENV: str(cache_dir)}
    return subprocess.run([sys.executable, "-m", "toolkit", *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env=env)


def _build(cache_dir: Path | str, out: Path, *extra) -> dict[str, bytes]:
    result = _draft(cache_dir, "build", EXAMPLE, "--lang", "en,fr", "--format", "md,docx", "--out", out, "--force",
                    "--no-layout", *extra)
    assert result.returncode == 0, result.stderr
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def _entries(folder: Path) -> dict[str, Path]:
    """The cache's entries by what they hold (questionnaire, library, catalog-fr, markup …)."""
    return {path.name.split(".")[0]: path for path in folder.glob("*.pickle")}


def test_a_build_is_the_same_with_the_cache_empty_filled_and_off(tmp_path):
    folder = tmp_path / "cache"
    cold = _build(folder, tmp_path / "cold")
    assert {"questionnaire", "library", "forms", "catalog-fr", "word-base-en-GB", "word-base-fr-FR", "markup",
            "conditions"} <= set(_entries(folder))
    warm = _build(folder, tmp_path / "warm")
    off = _build("", tmp_path / "off")
    assert len(cold) == 4 and cold == warm == off


def test_a_corrupt_entry_is_ignored_and_made_again(tmp_path):
    folder = tmp_path / "cache"
    expected = _build(folder, tmp_path / "first")
    entries = _entries(folder)
    for index, path in enumerate(entries.values()):   # garbage, a truncated pickle, nothing at all
        path.write_bytes([b"not a pickle", path.read_bytes()[:40], b""][index % 3])
    assert _build(folder, tmp_path / "again") == expected
    assert all(path.stat().st_size > 40 for path in _entries(folder).values())   # written anew


@pytest.mark.parametrize("where", ["below a file", "shared with others"])
def test_a_cache_folder_that_cannot_be_used_is_ignored(tmp_path, where):
    expected = _build("", tmp_path / "off")
    if where == "below a file":
        (tmp_path / "a-file").write_text("not a folder")
        folder = tmp_path / "a-file" / "cache"
    else:   # anyone may write into it: what is read from it would not be the user's own
        folder = tmp_path / "shared"
        folder.mkdir()
        folder.chmod(0o777)
    assert _build(folder, tmp_path / "out") == expected
    assert not folder.is_dir() or not list(folder.iterdir())


def test_an_edited_clause_file_is_read_again(tmp_path):
    folder, ours = tmp_path / "cache", tmp_path / "ours"
    ours.mkdir()
    (ours / "register.yaml").write_text(OVERLAY.format(mark=""), encoding="utf-8")
    first = _build(folder, tmp_path / "first", "--clauses", ours)
    assert "The Director shall record every application in the Kingdom of Nordmark." in \
        first["comprehensive-unit.en.md"].decode()
    (ours / "register.yaml").write_text(OVERLAY.format(mark=", the same day"), encoding="utf-8")
    edited = _build(folder, tmp_path / "edited", "--clauses", ours)["comprehensive-unit.en.md"].decode()
    assert "The Director shall record every application in the Kingdom of Nordmark, the same day." in edited


def test_an_entry_is_found_again_only_with_the_same_files_code_and_versions(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.yaml").write_text("one", encoding="utf-8")
    made = []

    def make():
        made.append(1)
        return {"parsed": (data / "a.yaml").read_text(encoding="utf-8")}

    assert cache.cached("thing", [data], make) == cache.cached("thing", [data], make) == {"parsed": "one"}
    assert len(made) == 1
    (data / "a.yaml").write_text("two", encoding="utf-8")
    assert cache.cached("thing", [data], make) == {"parsed": "two"} and len(made) == 2
    assert len(list((tmp_path / "cache").glob("thing.*.pickle"))) == 1   # the older entry is replaced
    (data / "b.yaml").write_text("", encoding="utf-8")   # a new file counts too
    cache.cached("thing", [data], make)
    assert len(made) == 3
    # another version of the toolkit never reads what this one wrote
    monkeypatch.setattr("toolkit.provenance.toolkit_version", lambda: "99.0")
    cache._salt.cache_clear()
    try:
        cache.cached("thing", [data], make)
        assert len(made) == 4
    finally:
        cache._salt.cache_clear()


def test_the_cache_is_off_with_an_empty_folder_name(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, "")
    assert cache.folder() is None
    made = []
    for _ in range(2):
        cache.cached("thing", [], lambda: made.append(1) or "value")
    assert len(made) == 2


def test_the_cache_is_in_the_users_cache_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.folder() == tmp_path / cache.FOLDER / "data"


def test_a_memo_is_written_back_where_it_was_read_from(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    memo = cache.Memo("words")
    assert memo.get("a", str.upper) == "A"
    monkeypatch.setenv(cache.ENV, str(tmp_path / "elsewhere"))   # as a test's environment is undone at exit
    memo._save()
    again = cache.Memo("words")
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    assert again.get("a", lambda item: pytest.fail("computed again")) == "A"
    assert not (tmp_path / "elsewhere").exists()
