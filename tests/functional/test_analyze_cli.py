"""`tuireader analyze`: the whole library analysed once, then `show` answers from the cache.

Each test builds its own small library (the seeds plus a story of three versions written here)
and its own cache folder, and runs the command line in new processes, as a user's script would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "articles"

#: Libraries a `show` of an analysed article must not import: the models and the page extractor.
HEAVY = ("spacy", "thinc", "trafilatura", "numpy", "model2vec", "sentence_transformers", "torch", "sklearn")

_BODY = (
    "Iran will receive Su-35 fighter jets from Russia before the end of March, officials in Tehran said "
    "on Tuesday, in a deal that deepens military ties between the two countries. "
    '"The deal is done and the first aircraft will land in March," said Colonel Reza Amini, a spokesman '
    "for the Iranian air force. The jets will be based at an air base near Isfahan."
)
STORY = {
    "100_wire.txt": f"---\ntitle: Iran to receive Su-35 jets from Russia\noutlet: Wire\n---\n\n{_BODY}\n\n"
    "Russia has not commented on the number of jets. Analysts said the purchase could change the balance "
    "of air power in the region.\n",
    "101_daily.txt": f"---\ntitle: Su-35 fighter jet deal with Russia confirmed by Iran\noutlet: Daily\n---\n\n{_BODY}\n\n"
    "However, Moscow declined to say how many Su-35 jets would be delivered to Iran.\n",
    "102_weekly.txt": f"---\ntitle: Russian Su-35 jets for Iran by March\noutlet: Weekly\n---\n\n{_BODY}\n\n"
    "Officials in Moscow declined to comment on the Su-35 deal with Iran.\n",
}


def cli(library: Path, cache: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, TUIREADER_CACHE_DIR=str(cache))
    argv = [sys.executable, "-m", "tuireader"] if code is None else [sys.executable, "-c", code]
    return subprocess.run([*argv, *args, "--library", str(library)], env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip


@pytest.fixture
def story_library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    root.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy2(path, root / path.name)
    for name, text in STORY.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_analyze_then_show_reads_the_cache_and_matches_a_fresh_computation(
    story_library: Path, tmp_path: Path
):
    cache = tmp_path / "cache"
    done = cli(story_library, cache, "analyze")
    assert done.returncode == 0, done.stderr
    assert "analysed 8 articles" in done.stderr
    again = cli(story_library, cache, "analyze")
    assert again.returncode == 0 and "analysed 0 articles" in again.stderr

    # show in a new process, with a check of what it imported
    code = (
        "import sys; from tuireader.cli import main; rc = main(sys.argv[1:]); "
        f"print('HEAVY', sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}), file=sys.stderr); "
        "sys.exit(rc)"
    )
    shown = cli(story_library, cache, "show", "100_wire", "--json", code=code)
    assert shown.returncode == 0, shown.stderr
    assert "HEAVY []" in shown.stderr, shown.stderr
    view = json.loads(shown.stdout)
    # the story is linked: names the three versions share, the quote matched in another version
    assert any(set(e["outlets"]) == {"Daily", "Weekly"} for e in view["entities"])
    assert any(m["article"] == "101_daily" for q in view["quotes"] for m in q["matches"])

    fresh = cli(story_library, tmp_path / "fresh-cache", "show", "100_wire", "--json")
    assert fresh.returncode == 0, fresh.stderr
    assert json.loads(fresh.stdout) == view


def test_analyze_names_a_bad_file_in_one_line_and_goes_on(story_library: Path, tmp_path: Path):
    (story_library / "200_binary.txt").write_bytes(b"\x00\x01\x02" * 1000)
    done = cli(story_library, tmp_path / "cache", "analyze")
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "200_binary.txt" in errors[0]
    assert "analysed 8 articles" in done.stderr


def test_analyze_rejects_zero_workers(story_library: Path, tmp_path: Path):
    done = cli(story_library, tmp_path / "cache", "analyze", "--workers", "0")
    assert done.returncode == 2
    assert "workers" in done.stderr


def test_a_missing_model_is_one_line_and_exit_1(story_library: Path, tmp_path: Path):
    code = (
        "import sys; from tuireader.analysis import entities; "
        "entities.MODEL_NAMES = ('no_such_model_xyz',); "
        "from tuireader.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    done = cli(story_library, tmp_path / "cache", "analyze", "--workers", "1", code=code)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "pip install" in errors[0]


def test_batches_on_two_workers_give_what_one_process_gives():
    from tuireader.analysis.article import analyze_batches, analyze_many
    from tuireader.clean import clean
    from tuireader.sources.files import read_document

    articles = [clean(read_document(p)) for p in sorted(SEEDS.glob("*.txt"))]
    expected = dict(zip((a.id for a in articles), analyze_many(articles), strict=True))
    got = {}
    for batch, results in analyze_batches(articles, workers=2, batch_size=2):
        got.update(zip((a.id for a in batch), results, strict=True))
    assert got == expected
