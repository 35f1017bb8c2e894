"""Story clustering: the seeds are one story, other events stay apart, and the index is incremental."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from tuireader.analysis.stories import STORIES_VERSION, StoryDoc, StoryIndex, cluster_stories
from tuireader.sources.files import read_document

SEEDS = Path(__file__).resolve().parents[2] / "articles"
SEED_PATHS = sorted(SEEDS.glob("*.txt"))


def _cleaned_seeds() -> list[StoryDoc]:
    from tuireader.clean import clean

    docs = []
    for path in SEED_PATHS:
        article = clean(read_document(path))
        docs.append(StoryDoc(article.id, article.title, article.text, article.published, article.outlet))
    return docs


def _raw_seeds(dates: dict[str, str | None]) -> list[StoryDoc]:
    """The seed files as scraped: whole pages, menus, related-link lists and all, no title."""
    docs = []
    for path in SEED_PATHS:
        raw = read_document(path)
        docs.append(StoryDoc(raw.id, "", raw.body, dates.get(raw.id[:3])))
    return docs


def _story_containing(stories: dict[str, list[str]], article_id: str) -> list[str]:
    return next(members for members in stories.values() if article_id in members)


# Hand-written articles (not copied from anywhere): an unrelated event, and two events of one kind.
COUNCIL = StoryDoc(
    "council",
    "City council approves budget for new library and bus lanes",
    "The city council of Maplewood voted 7-2 on Tuesday to approve a $48 million budget that pays for a "
    "new public library on Elm Street and protected bus lanes along the harbour road.\n\n"
    "Council member Dana Whitfield said the library had been promised to residents for a decade. "
    '"Families have waited long enough," she said after the vote.\n\n'
    "Opponents argued that the bus lanes would hurt shops on the harbour road during construction, "
    "which is expected to start in the spring and last eighteen months.",
    "2023-06-13",
    "Maplewood Gazette",
)

# Two separate announcements about Iranian drones for Russia, a year before the seeds' story.
EARLIER_DRONES = [
    StoryDoc(
        "drones-2022-a",
        "US says Iran preparing to train Russians on attack drones",
        "Iran is preparing to provide Russia with up to several hundred drones, including some that can "
        "carry weapons, and to train Russian forces to use them, national security adviser Jake Sullivan "
        "said on Monday.\n\n"
        "Sullivan told reporters at the White House that it was unclear whether Iran had already delivered "
        'any of the drones. "Our information indicates that the Iranian government is preparing to provide '
        'Russia with up to several hundred UAVs," he said.\n\n'
        "The United States believes training sessions could begin as early as this month, he added.",
        "2022-07-11",
        "Wire One",
    ),
    StoryDoc(
        "drones-2022-b",
        "Sullivan: Iran to give Russia hundreds of drones for war in Ukraine",
        "Tehran is readying hundreds of unmanned aerial vehicles for Moscow, some of them able to carry "
        "weapons, and plans to train Russian troops on them, White House national security adviser Jake "
        "Sullivan said Monday.\n\n"
        "He said Washington did not know whether any drones had been handed over yet, and that training "
        "could start in July. Sullivan said the drones would be used against Ukraine.",
        "2022-07-11",
        "Daily Two",
    ),
]


def _quake(article_id: str, day: str, town: str, magnitude: str, dead: str, outlet: str) -> StoryDoc:
    return StoryDoc(
        article_id,
        f"Magnitude {magnitude} earthquake strikes near {town}",
        f"A magnitude {magnitude} earthquake struck near the town of {town} in eastern Anatolia early on "
        f"Sunday, killing at least {dead} people and destroying dozens of homes, officials said.\n\n"
        "Rescue teams searched collapsed buildings through the night, and residents spent the night "
        "outdoors for fear of aftershocks. The disaster agency said tents and blankets were being sent "
        "to the region.",
        day,
        outlet,
    )


class TestSeeds:
    def test_cleaned_seeds_form_one_story(self) -> None:
        stories = cluster_stories(_cleaned_seeds())
        assert len(stories) == 1
        assert sorted(next(iter(stories.values()))) == sorted(p.stem for p in SEED_PATHS)

    def test_raw_scrapes_form_one_story(self) -> None:
        # Whole pages as scraped (menus, related-link lists), with the dates the story pages show.
        dates = {"001": "2023-06-09", "003": "2023-06-09", "004": "2023-06-10"}
        stories = cluster_stories(_raw_seeds(dates))
        assert len(stories) == 1

    def test_a_copy_republished_years_later_still_joins(self) -> None:
        seeds = _cleaned_seeds()
        original = seeds[1]
        copy = StoryDoc("copy", original.title, original.text.replace("Friday", "on Friday"), "2025-04-10")
        stories = cluster_stories([*seeds, copy])
        assert len(stories) == 1

    def test_unrelated_article_does_not_join(self) -> None:
        stories = cluster_stories([*_cleaned_seeds(), COUNCIL])
        assert _story_containing(stories, "council") == ["council"]
        assert len(_story_containing(stories, SEED_PATHS[0].stem)) == len(SEED_PATHS)

    def test_an_earlier_announcement_on_the_same_topic_is_its_own_story(self) -> None:
        stories = cluster_stories([*_cleaned_seeds(), *EARLIER_DRONES, COUNCIL])
        seed_story = _story_containing(stories, SEED_PATHS[0].stem)
        assert sorted(seed_story) == sorted(p.stem for p in SEED_PATHS)
        assert sorted(_story_containing(stories, "drones-2022-a")) == ["drones-2022-a", "drones-2022-b"]


class TestDates:
    QUAKES = [
        _quake("quake-1a", "2021-03-07", "Karlik", "5.9", "12", "Wire One"),
        _quake("quake-1b", "2021-03-07", "Karlik", "5.9", "14", "Daily Two"),
        _quake("quake-2a", "2022-02-20", "Yeniköy", "6.1", "9", "Wire One"),
        _quake("quake-2b", "2022-02-21", "Yeniköy", "6.1", "9", "Daily Two"),
    ]

    def test_same_kind_of_event_a_year_apart_is_two_stories(self) -> None:
        stories = cluster_stories(self.QUAKES)
        assert sorted(map(sorted, stories.values())) == [["quake-1a", "quake-1b"], ["quake-2a", "quake-2b"]]

    def test_reports_of_one_event_days_apart_stay_together(self) -> None:
        late = _quake("quake-1c", "2021-03-10", "Karlik", "5.9", "15", "Weekly Three")
        stories = cluster_stories([*self.QUAKES, late])
        assert sorted(_story_containing(stories, "quake-1a")) == ["quake-1a", "quake-1b", "quake-1c"]

    def test_undated_articles_are_clustered_on_text(self) -> None:
        undated = [StoryDoc(d.id, d.title, d.text, None, d.outlet) for d in _cleaned_seeds()]
        assert len(cluster_stories([*undated, COUNCIL])) == 2


class TestIncremental:
    @pytest.fixture
    def index(self) -> StoryIndex:
        index = StoryIndex()
        index.add([*_cleaned_seeds()[:4], COUNCIL])
        return index

    def test_adding_a_version_joins_its_story_and_keeps_the_id(self, index: StoryIndex) -> None:
        seed_story = index.story_of(SEED_PATHS[0].stem)
        changed = index.add([_cleaned_seeds()[4]])
        assert changed == {seed_story}
        assert index.story_of(SEED_PATHS[4].stem) == seed_story
        assert index.story_of(SEED_PATHS[0].stem) == seed_story

    def test_adding_unrelated_articles_changes_no_existing_story(self, index: StoryIndex) -> None:
        before = index.stories()
        changed = index.add(EARLIER_DRONES)
        assert len(changed) == 1
        assert not changed & set(before)
        after = index.stories()
        for story, members in before.items():
            assert after[story] == members

    def test_story_id_comes_from_its_earliest_article(self, index: StoryIndex) -> None:
        story = index.story_of(SEED_PATHS[0].stem)
        members = index.stories()[story]
        assert story.endswith(members[0])

    def test_remove_drops_the_article_and_reports_its_story(self, index: StoryIndex) -> None:
        victim = SEED_PATHS[1].stem
        story = index.story_of(victim)
        changed = index.remove([victim])
        assert story in changed
        assert index.story_of(victim) is None
        assert victim not in index.stories()[story]
        assert len(index) == 4

    def test_removing_every_member_removes_the_story(self, index: StoryIndex) -> None:
        changed = index.remove(["council"])
        assert changed == {"s_council"}
        assert "s_council" not in index.stories()
        assert index.remove(["council", "never-added"]) == set()

    def test_re_adding_an_article_replaces_it(self, index: StoryIndex) -> None:
        index.add([COUNCIL])
        assert len(index) == 5
        assert sum(m.count("council") for m in index.stories().values()) == 1

    def test_one_at_a_time_gives_the_same_stories_as_all_at_once(self) -> None:
        docs = [*_cleaned_seeds(), *EARLIER_DRONES, COUNCIL, *TestDates.QUAKES]
        index = StoryIndex()
        for doc in docs:
            index.add([doc])
        assert sorted(map(sorted, index.stories().values())) == sorted(
            map(sorted, cluster_stories(docs).values())
        )

    def test_pickled_index_keeps_its_stories_and_keeps_working(self, index: StoryIndex) -> None:
        copy = pickle.loads(pickle.dumps(index))
        assert copy.stories() == index.stories()
        seed_story = copy.story_of(SEED_PATHS[0].stem)
        copy.add([_cleaned_seeds()[4]])
        assert copy.story_of(SEED_PATHS[4].stem) == seed_story


class TestEdges:
    def test_empty_and_wordless_articles(self) -> None:
        assert cluster_stories([]) == {}
        docs = [StoryDoc("blank", "", "", None), StoryDoc("digits", "", "1 2 3 ... !!!", "not a date")]
        stories = cluster_stories(docs)
        assert sorted(map(sorted, stories.values())) == [["blank"], ["digits"]]

    def test_every_article_is_in_exactly_one_story(self) -> None:
        docs = [*_cleaned_seeds(), *EARLIER_DRONES, COUNCIL, *TestDates.QUAKES]
        members = [m for story in cluster_stories(docs).values() for m in story]
        assert sorted(members) == sorted(d.id for d in docs)

    def test_version_is_a_string(self) -> None:
        assert isinstance(STORIES_VERSION, str) and STORIES_VERSION


def _made_up_name(i: int) -> str:
    letters = "bdfgklmnprstvz"
    vowels = "aeiou"
    name = ""
    while True:
        name += letters[i % len(letters)] + vowels[(i // len(letters)) % len(vowels)]
        i //= len(letters) * len(vowels)
        if not i:
            return name.capitalize() + "ville"


def _pair_of_reports(i: int) -> list[StoryDoc]:
    """Two outlets' versions of one small local event, named so that no other pair shares them."""
    town, mayor = _made_up_name(i), _made_up_name(i + 50_000)
    return [
        StoryDoc(
            f"p{i}-a",
            f"{town} opens bridge",
            f"Mayor {mayor} opened the new bridge in {town} on Saturday after two years of work. "
            f"{mayor} said the {town} bridge would carry {i + 1000} cars a day.",
            "2024-05-04",
        ),
        StoryDoc(
            f"p{i}-b",
            f"New bridge for {town}",
            f"The bridge in {town} is open, mayor {mayor} announced at a ceremony. About {i + 1000} "
            f"vehicles are expected to cross the {town} bridge daily, {mayor} said.",
            "2024-05-04",
        ),
    ]


def test_a_long_lived_index_compacts_after_many_removals_and_keeps_working() -> None:
    pairs = [_pair_of_reports(i) for i in range(1100)]
    index = StoryIndex()
    index.add([doc for pair in pairs for doc in pair])
    assert all(index.story_of(a.id) == index.story_of(b.id) for a, b in pairs)
    gone = [doc.id for pair in pairs[:600] for doc in pair]
    index.remove(gone)
    assert len(index) == 1000
    assert all(index.story_of(i) is None for i in gone)
    kept = pairs[600:]
    assert all(index.story_of(a.id) == index.story_of(b.id) is not None for a, b in kept)
    assert len(index.stories()) == len(kept)
    late = StoryDoc("late", kept[0][0].title, kept[0][0].text + " Traffic was heavy.", "2024-05-05")
    assert index.add([late]) == {index.story_of(kept[0][0].id)}
