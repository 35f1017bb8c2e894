"""Story decisions replayed over the clustering's stories (tuireader.corrections), and their file."""

from __future__ import annotations

import json

from tuireader.corrections import Decision, DecisionLog, apply_decisions, decisions_path, story_name

DATES = {"a1": "2024-05-14", "a2": "2024-05-14", "a3": "2024-05-15", "b1": "2024-05-13", "b2": "2024-05-16",
         "c1": None}


def published(aid: str) -> str | None:
    return DATES.get(aid)


def groups(assignment: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for aid, sid in assignment.items():
        out.setdefault(sid, set()).add(aid)
    return out


RAW = {"a1": "s_a1", "a2": "s_a1", "a3": "s_a1", "b1": "s_b1", "b2": "s_b1"}


def test_no_decisions_keep_the_clusterings_stories_and_ids():
    assert apply_decisions(RAW, [], published).assignment == RAW


def test_a_moved_version_stays_with_its_new_story_whatever_the_clustering_says_next():
    moved = Decision(1, "move", ("a3",), ("b1", "b2"))
    got = apply_decisions(RAW, [moved], published).assignment
    assert groups(got) == {"s_a1": {"a1", "a2"}, "s_b1": {"b1", "b2", "a3"}}
    # The clustering, with a new arrival, puts a3 back with a1 and renames the a-story: a3 stays.
    raw = {**RAW, "a0": "s_a0", "a1": "s_a0", "a2": "s_a0", "a3": "s_a0"}
    got = apply_decisions(raw, [moved], published).assignment
    assert got["a3"] == got["b1"] and got["a3"] != got["a1"]


def test_a_version_moved_to_a_story_of_its_own_is_named_after_itself():
    got = apply_decisions(RAW, [Decision(1, "move", ("a1",), None)], published).assignment
    assert got["a1"] == "s_a1"
    assert got["a2"] == got["a3"] == "s_a2"  # the rest is named after its earliest version now


def test_a_merge_takes_in_versions_that_arrive_later_in_either_half():
    merge = Decision(1, "merge", groups=(("a1", "a2", "a3"), ("b1", "b2")))
    got = apply_decisions(RAW, [merge], published).assignment
    assert set(got.values()) == {"s_b1"}  # b1 is the earliest (May 13)
    later = {**RAW, "a4": "s_a1"}  # a new version clusters with the a-story
    assert apply_decisions(later, [merge], published).assignment["a4"] == "s_b1"


def test_a_split_stays_split_and_the_latest_decision_wins():
    split = Decision(1, "split", ("a2", "a3"))
    got = apply_decisions(RAW, [split], published).assignment
    assert groups(got) == {"s_a1": {"a1"}, "s_a2": {"a2", "a3"}, "s_b1": {"b1", "b2"}}
    back = Decision(2, "move", ("a3",), ("a1",))
    got = apply_decisions(RAW, [split, back], published).assignment
    assert got["a3"] == got["a1"] == "s_a1" and got["a2"] == "s_a2"


def test_undated_versions_come_last_when_a_story_is_named():
    assert story_name(["c1", "a3", "a2"], published) == "s_a2"


def test_decisions_about_articles_that_are_gone_are_kept_but_stale():
    decisions = [Decision(1, "move", ("zz",), None), Decision(2, "merge", groups=(("a1", "gone"), ("b1",))),
                 Decision(3, "move", ("a2",), ("gone",))]
    applied = apply_decisions(RAW, decisions, published)
    assert [s.status for s in applied.states] == ["stale", "partly stale", "stale"]
    assert applied.states[1].missing == ("gone",)
    assert applied.assignment["a2"] == applied.assignment["a1"] == applied.assignment["b1"]


def test_the_log_round_trips_through_a_readable_file_and_undo_takes_back_one_decision(tmp_path):
    log = DecisionLog(decisions_path(tmp_path))
    first = log.add("move", articles=["a3"], to=["b1", "b2"], note="Fire -> Bridge")
    log.add("split", articles=["a1"])
    log.add("merge", groups=[["a1"], ["b1"]])
    data = json.loads(decisions_path(tmp_path).read_text(encoding="utf-8"))
    assert [d["action"] for d in data["decisions"]] == ["move", "split", "merge"]
    assert data["decisions"][0]["to"] == ["b1", "b2"] and data["decisions"][0]["note"] == "Fire -> Bridge"
    again = DecisionLog(decisions_path(tmp_path))
    assert again.decisions == log.decisions and again.decisions[0] == first
    assert again.remove(2).action == "split"
    assert [d.n for d in DecisionLog(decisions_path(tmp_path)).decisions] == [1, 3]
    assert again.remove() is not None and again.remove(99) is None


def test_a_damaged_file_is_set_aside_with_one_line_and_nothing_is_lost(tmp_path):
    path = decisions_path(tmp_path)
    path.parent.mkdir()
    path.write_text('{"format": 1, "decisions": [{"n": 1, "action": "move", "articles": []}', encoding="utf-8")
    log = DecisionLog(path)
    assert log.decisions == ()
    problem = log.take_problem()
    assert problem is not None and "damaged" in problem and "\n" not in problem
    assert log.take_problem() is None  # said once
    aside = [p for p in path.parent.iterdir() if p.name.startswith("stories.json.damaged-")]
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8").startswith('{"format": 1')
    assert not path.exists()
    log.add("split", articles=["a1"])  # the library goes on, with a fresh file
    assert DecisionLog(path).decisions[0].articles == ("a1",)


def test_a_file_changed_by_another_process_is_read_again(tmp_path):
    path = decisions_path(tmp_path)
    mine, other = DecisionLog(path), DecisionLog(path)
    other.add("split", articles=["a1"])
    assert mine.decisions == ()
    assert mine.reload_if_changed() and [d.action for d in mine.decisions] == ["split"]
    assert not mine.reload_if_changed()
