"""The library and its command line on the real sample articles: list, show, ingest, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tuireader.cli import main
from tuireader.sources.files import ARTICLE_NAME

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "articles").glob("*.txt"))


@pytest.fixture()
def library(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    for f in SEEDS:
        shutil.copy2(f, lib / f.name)
    return lib


def run(capsys, *argv):
    code = main([*argv])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_list_json_has_the_contract_fields_for_every_seed(library, tmp_path, capsys):
    code, out, err = run(capsys, "list", "--json", "--library", str(library), "--cache-dir", str(tmp_path / "c"))
    assert code == 0, err
    rows = json.loads(out)
    assert sorted(r["id"] for r in rows) == [p.stem for p in SEEDS]
    for row in rows:
        assert set(row) >= {"id", "path", "outlet", "title", "published", "authors", "story", "words"}
        assert row["words"] > 100
    by_id = {r["id"]: r for r in rows}
    assert by_id["003_5b903ab4dc6d6d19"]["published"].startswith("2023-06-09")
    assert by_id["004_3ebe211b05f5ac72"]["published"].startswith("2023-06-10")


def test_second_list_over_unchanged_library_does_no_cleaning(library, tmp_path, capsys, monkeypatch):
    cache = tmp_path / "c"
    assert run(capsys, "list", "--library", str(library), "--cache-dir", str(cache))[0] == 0

    import tuireader.clean

    def refuse(raw):
        raise AssertionError(f"cleaned {raw.path} again")

    monkeypatch.setattr(tuireader.clean, "clean", refuse)
    code, out, err = run(capsys, "list", "--json", "--library", str(library), "--cache-dir", str(cache))
    assert code == 0, err
    assert len(json.loads(out)) == len(SEEDS)


def test_changed_file_is_recleaned_and_removed_file_disappears(library, tmp_path, capsys):
    cache = str(tmp_path / "c")
    run(capsys, "list", "--library", str(library), "--cache-dir", cache)
    (library / SEEDS[0].name).unlink()
    code, out, _ = run(capsys, "list", "--json", "--library", str(library), "--cache-dir", cache)
    assert SEEDS[0].stem not in {r["id"] for r in json.loads(out)}


def test_show_json_shape(library, tmp_path, capsys):
    code, out, err = run(capsys, "show", "001_e3ccb26ac0196571", "--json", "--library", str(library),
                         "--cache-dir", str(tmp_path / "c"))
    assert code == 0, err
    data = json.loads(out)
    for key in ("text", "captions", "tags", "entities", "quotes", "authors", "published", "outlet", "title"):
        assert key in data
    for q in data["quotes"]:
        assert data["text"][q["start"]:q["end"]].strip()
        for m in q["matches"]:
            assert m["kind"] in {"verbatim", "altered", "unquoted"}


def test_show_unknown_id_fails_cleanly(library, tmp_path, capsys):
    code, out, err = run(capsys, "show", "nope", "--library", str(library), "--cache-dir", str(tmp_path / "c"))
    assert code == 1
    assert "nope" in err


def test_ingest_bad_inputs_each_named_others_added_library_untouched(library, tmp_path, capsys):
    cache = str(tmp_path / "c")
    run(capsys, "list", "--library", str(library), "--cache-dir", cache)
    before = snapshot(library)

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 64)
    with (inbox / "huge.txt").open("wb") as fh:
        fh.write(b"word " * (50 * 1024 * 1024 // 5))
    good_body = (
        "The city council approved the new budget on Tuesday after a long debate about school funding. "
        "Council member Ana Ruiz said the plan \u201cputs children first\u201d and would hire forty teachers.\n\n"
        "Opponents argued that the tax increase would hurt small businesses in the downtown district."
    )
    (inbox / "cp1252.txt").write_bytes(good_body.replace("Ruiz", "Ru\u00edz").encode("cp1252"))
    (inbox / "latin1.txt").write_bytes(("Le conseil municipal a vot\u00e9 le budget mardi. " * 20).encode("latin-1"))
    (inbox / "noarticle.html").write_text("<html><head><title>x</title></head><body><nav>Home</nav></body></html>")
    originals = snapshot(inbox)

    code, out, err = run(capsys, "ingest", *(str(p) for p in sorted(inbox.iterdir())), str(inbox / "missing.txt"),
                         "--library", str(library), "--cache-dir", cache)
    assert code == 1
    error_lines = [line for line in err.splitlines() if line.startswith("error:")]
    for name in ("empty.txt", "binary.txt", "huge.txt", "noarticle.html", "missing.txt"):
        assert sum(name in line for line in error_lines) == 1, (name, err)
    after = snapshot(library)
    for name, data in before.items():
        assert after[name] == data  # nothing already stored changed
    added = set(after) - set(before)
    assert len(added) == 2  # the Windows-1252 and Latin-1 articles
    assert sorted(after[n] for n in added) == sorted([originals["cp1252.txt"], originals["latin1.txt"]])
    assert snapshot(inbox) == originals  # originals never modified

    # ingesting the same file again is refused as a duplicate
    code, out, err = run(capsys, "ingest", str(inbox / "cp1252.txt"), "--library", str(library), "--cache-dir", cache)
    assert code == 0
    assert "same content" in err
    assert snapshot(library).keys() == after.keys()
    code, out, _ = run(capsys, "list", "--json", "--library", str(library), "--cache-dir", cache)
    titles = {r["id"]: r for r in json.loads(out)}
    assert len(titles) == len(before) + 2


def test_usage_errors_exit_2(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tuireader", "show"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    result = subprocess.run([sys.executable, "-m", "tuireader", "list", "--library", str(tmp_path / "none")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "none" in result.stderr


def test_hostile_title_is_printed_as_text(tmp_path, capsys):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "x.txt").write_text(
        "---\ntitle: [bold red]Boom[/] \x1b]52;c;ZXZpbA==\x07 [@click=app.quit]x[/]\noutlet: Test\n---\n"
        + "A sentence about the council budget that is long enough to be a paragraph of an article. " * 5,
        encoding="utf-8",
    )
    code, out, err = run(capsys, "list", "--library", str(lib), "--cache-dir", str(tmp_path / "c"))
    assert code == 0, err
    assert "[bold red]Boom[/]" in out.replace("\n", "")
    assert "\x1b]52" not in out


def test_search_finds_the_reworded_quote_and_filters_by_outlet(library, tmp_path, capsys):
    cache = str(tmp_path / "c")
    code, out, err = run(capsys, "search", "every tool at our disposal", "--json", "--library", str(library),
                         "--cache-dir", cache)
    assert code == 0, err
    hits = json.loads(out)
    assert {h["article"] for h in hits[:2]} == {"001_e3ccb26ac0196571", "002_17ea725e07b18fd2"}
    for h in hits:
        assert h["text"]
    code, out, err = run(capsys, "search", "drones", "--outlet", "scripps news", "--json", "--library",
                         str(library), "--cache-dir", cache)
    hits = json.loads(out)
    assert hits and {h["article"] for h in hits} == {"003_5b903ab4dc6d6d19"}
    code, out, err = run(capsys, "search", "  ", "--library", str(library), "--cache-dir", cache)
    assert code == 2 and "empty" in err


def test_ingested_files_are_named_like_fetched_ones_and_readable_like_any_new_file(library, tmp_path, capsys):
    """Ingest and refresh share one naming scheme: `<publication day>_<hash>`, the day the file
    came in when the article states none; what ingest writes gets the usual permissions."""
    import hashlib
    import stat
    from datetime import UTC, datetime

    from tuireader.fsutil import new_file_mode

    (library / "20261122_0123456789abcdef.txt").write_text("---\ntitle: From a feed\n---\n\n" + "Words here. " * 40)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "one.txt").write_text("A new story\n\n" + "Something happened in the valley today. " * 20)
    (inbox / "two.txt").write_text("Title: Dated\nPublished: 2024-05-15\n\n" + "The council met on Monday. " * 20)
    code, out, err = run(capsys, "ingest", str(inbox / "one.txt"), str(inbox / "two.txt"), "--library", str(library),
                         "--cache-dir", str(tmp_path / "c"))  # fmt: skip
    assert code == 0, err
    today = datetime.now(UTC).strftime("%Y%m%d")
    digest = hashlib.sha256((inbox / "one.txt").read_bytes()).hexdigest()[:16]
    dated = hashlib.sha256((inbox / "two.txt").read_bytes()).hexdigest()[:16]
    assert (library / f"{today}_{digest}.txt").is_file() and f"added {today}_{digest}" in err
    assert (library / f"20240515_{dated}.txt").is_file() and f"added 20240515_{dated}" in err
    added = [library / f"{today}_{digest}.txt"]
    assert stat.S_IMODE(added[0].stat().st_mode) == new_file_mode()
    assert new_file_mode() == 0o666 & ~_current_umask()


def _current_umask() -> int:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_show_accepts_the_label_the_reader_shows(library, tmp_path, capsys):
    """Versions without an outlet are labelled #001 in the reader; `show` takes that label too."""
    cache = str(tmp_path / "c")
    stem = next(p.stem for p in library.glob("001_*.txt"))  # an article's id is its file stem
    code, full, _ = run(capsys, "show", stem, "--json", "--library", str(library), "--cache-dir", cache)
    assert code == 0
    for label in ("#001", "001", "1"):
        code, out, err = run(capsys, "show", label, "--json", "--library", str(library), "--cache-dir", cache)
        assert code == 0, (label, err)
        assert json.loads(out)["id"] == json.loads(full)["id"]
    code, out, err = run(capsys, "show", "#9", "--library", str(library), "--cache-dir", cache)
    assert code == 1 and "#9" in err


def test_search_with_no_match_says_so_in_one_line(library, tmp_path, capsys):
    cache = str(tmp_path / "c")
    code, out, err = run(capsys, "search", "zeppelin harbour", "--outlet", "scripps", "--library", str(library),
                         "--cache-dir", cache)  # fmt: skip
    assert code == 0
    assert out.strip() == "no matches for 'zeppelin harbour' (with outlet 'scripps')"
    code, out, err = run(capsys, "search", "full-scale defense", "--outlet", "scripps", "--library", str(library),
                         "--cache-dir", cache)  # fmt: skip
    assert code == 0 and "Scripps News" in out


def test_ingest_a_folder_takes_its_article_files_and_names_what_it_cannot(library, tmp_path, capsys):
    cache = str(tmp_path / "c")
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "a.txt").write_text("First story\n\n" + "The council voted to close the bridge for repairs. " * 12)
    (inbox / "sub" / "b.html").write_text(
        "<html><head><title>Second story</title></head><body><article><h1>Second story</h1>"
        + "".join(f"<p>Dredging of berth {n} will start in May, {n} weeks after a permit delay, the harbour "
                  f"authority said on Tuesday, and crews will work {n + 2} nights a week.</p>" for n in range(1, 9))
        + "</article></body></html>"
    )
    (inbox / "notes.md").write_text("not an article file type")
    (inbox / ".hidden.txt").write_text("a leftover temporary file " * 20)
    (inbox / "tiny.txt").write_text("hi")
    code, out, err = run(capsys, "ingest", str(inbox), "ftp://example.org/story.txt", "--library", str(library),
                         "--cache-dir", cache)  # fmt: skip
    assert code == 1
    assert err.count("added ") == 2
    assert f"error: {inbox / 'tiny.txt'}: no article text in it" in err
    assert "error: ftp://example.org/story.txt: ftp: addresses are not supported (http or https)" in err
    code, out, err = run(capsys, "ingest", str(tmp_path / "no-such-file"), "--library", str(library), "--cache-dir", cache)
    assert code == 1 and err.strip() == f"error: {tmp_path / 'no-such-file'}: no such file"
    assert "notes.md" not in err and ".hidden" not in err
    assert len([p for p in library.iterdir() if ARTICLE_NAME.match(p.name)]) == 2
    code, out, err = run(capsys, "ingest", str(library), "--library", str(library), "--cache-dir", cache)
    assert code == 1 and "is the library folder itself" in err


def test_stories_of_an_empty_or_unreadable_library_say_so(tmp_path, capsys):
    lib = tmp_path / "lib"
    lib.mkdir()
    cache = str(tmp_path / "c")
    code, out, err = run(capsys, "stories", "--library", str(lib), "--cache-dir", cache)
    assert code == 0 and out.strip() == f"no stories: no articles in {lib}"
    (lib / "x.txt").write_bytes(b"\x00\x01binary")
    code, out, err = run(capsys, "stories", "--library", str(lib), "--cache-dir", cache)
    assert code == 1 and out.strip() == f"no stories: no article could be read in {lib}"
    assert err.strip() == f"error: {lib / 'x.txt'}: binary content, not text or HTML"


def test_list_puts_undated_versions_last_like_the_reader(library, tmp_path, capsys):
    code, out, _ = run(capsys, "list", "--json", "--library", str(library), "--cache-dir", str(tmp_path / "c"))
    assert code == 0
    rows = json.loads(out)
    dated = [r["published"] is not None for r in rows]
    assert True in dated and False in dated  # the seeds have both
    assert dated == sorted(dated, reverse=True)  # every dated version before every undated one
