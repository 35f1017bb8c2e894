"""Symbolic links are not followed: `ingest FOLDER` copies no file a link points at (a link to
/etc/passwd or to a folder elsewhere), saying so in one line, and a link inside the library is not
listed as an article."""

from __future__ import annotations

from pathlib import Path

from tuireader.cli import main

ARTICLE = ("---\ntitle: Harbour budget passes\noutlet: Harbor Times\npublished: 2026-11-30\n---\n\n"
           "The council passed the harbour budget on Tuesday by nine votes to two.\n")  # fmt: skip


def test_ingest_of_a_folder_does_not_follow_links(tmp_path: Path, capsys) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(ARTICLE.replace("Harbour budget", "Private notes"), encoding="utf-8")
    (outside / "deep").mkdir()
    (outside / "deep" / "more.txt").write_text(ARTICLE.replace("nine", "eight"), encoding="utf-8")
    offered = tmp_path / "offered"
    offered.mkdir()
    (offered / "real.txt").write_text(ARTICLE, encoding="utf-8")
    (offered / "link.txt").symlink_to(secret)
    (offered / "folder").symlink_to(outside / "deep", target_is_directory=True)
    lib = tmp_path / "lib"
    lib.mkdir()

    code = main(["--library", str(lib), "--cache-dir", str(tmp_path / "cache"), "ingest", str(offered)])
    err = capsys.readouterr().err
    stored = [p.read_text(encoding="utf-8") for p in lib.glob("*.txt")]
    assert len(stored) == 1 and "nine votes" in stored[0]  # only the real file
    assert not any("Private notes" in s or "eight votes" in s for s in stored)
    assert "link.txt" in err and "folder" in err and "symbolic link" in err
    assert code == 1  # said as problems, the rest done


def test_a_link_inside_the_library_is_not_listed(tmp_path: Path, capsys) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "001_real.txt").write_text(ARTICLE, encoding="utf-8")
    elsewhere = tmp_path / "passwd.txt"
    elsewhere.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (lib / "002_link.txt").symlink_to(elsewhere)

    assert main(["--library", str(lib), "--cache-dir", str(tmp_path / "cache"), "list", "--json"]) == 0
    out = capsys.readouterr().out
    assert "001_real" in out and "002_link" not in out and "root:x" not in out
