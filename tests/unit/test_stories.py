"""Story clustering: the seeds are one story, other events stay apart, follow-ups are linked, and the
index is incremental and a function of its articles (any order, any chunks, the same stories)."""

from __future__ import annotations

import random
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
        story = index.story_of(SEED_PATHS[0].stem)
        victim = index.stories()[story][-1]  # not the earliest, which names the story
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

    def test_reopened_index_keeps_its_stories_and_keeps_working(self, tmp_path: Path) -> None:
        path = tmp_path / "stories.sqlite"
        first = StoryIndex(path)
        first.add([*_cleaned_seeds()[:4], COUNCIL])
        before = first.stories()
        first.close()
        again = StoryIndex(path)
        assert again.stories() == before
        seed_story = again.story_of(SEED_PATHS[0].stem)
        again.add([_cleaned_seeds()[4]])
        assert again.story_of(SEED_PATHS[4].stem) == seed_story
        again.close()


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


# --- events, not wording: hand-written local news (invented town, people and streets) ------------

FIRE = [
    StoryDoc(
        "fire-a",
        "Fire guts Harlow Street bakery in Brennock",
        "A fire tore through the Pellingham bakery on Harlow Street in Brennock early Monday, leaving the "
        "two-storey building a shell. Fire chief Orla Maddern said crews were called at 4:10 a.m. and "
        "needed three hours to bring the blaze under control.\n\n"
        "No one was hurt. The owner, Teodor Vasquel, said the ovens had been switched off the night "
        'before. "Forty years of bread, gone in a morning," Vasquel said.\n\n'
        "Mayor Ilse Grunwick visited the site and promised help for the six employees.",
        "2024-03-04",
        "Brennock Herald",
    ),
    StoryDoc(
        "fire-b",
        "Blaze destroys beloved Brennock bakery",
        "Firefighters spent the early hours of Monday battling flames at Pellingham, the bakery that has "
        "stood on Harlow Street for four decades. Chief Orla Maddern said the alarm came shortly after "
        "4 a.m.; the cause is under investigation.\n\n"
        "Teodor Vasquel, who owns the bakery, told reporters he could not understand how it started. "
        "Mayor Ilse Grunwick said the town would support the staff.",
        "2024-03-04",
        "Valley Courier",
    ),
]
# The same town and mayor five days later, another event entirely.
BUDGET = StoryDoc(
    "budget",
    "Brennock council passes budget after long night",
    "Brennock's council approved the town budget by five votes to four late on Saturday, after a "
    "six-hour session over school funding and road repairs. Mayor Ilse Grunwick cast the deciding "
    "vote.\n\n"
    "The budget raises property taxes by 2 percent and adds two teachers at Corrow Primary. "
    'Councillor Bram Ostley voted against it: "We are borrowing from our children," he said.\n\n'
    "Grunwick said the town could not keep postponing repairs on Harlow Street and the Mill Road bridge.",
    "2024-03-09",
    "Brennock Herald",
)
# A third version of the fire, worded afresh and published three days later.
FIRE_LATER = StoryDoc(
    "fire-c",
    "Investigators: faulty wiring behind Pellingham bakery fire",
    "The fire that destroyed the Pellingham bakery on Harlow Street in Brennock on Monday was caused "
    "by faulty wiring in a storage room, fire chief Orla Maddern said on Thursday.\n\n"
    "Owner Teodor Vasquel said he plans to rebuild. Mayor Ilse Grunwick said the town would waive "
    "permit fees for the new building on Harlow Street.",
    "2024-03-07",
    "Brennock Herald",
)
# Two shootings in one city on consecutive days: same police spokesman, different victims and streets.
SHOOTINGS = [
    StoryDoc(
        "shot-1a",
        "Man shot outside Dunmore Avenue store",
        "A 24-year-old man was shot in the leg outside a convenience store on Dunmore Avenue in Carvel "
        "City on Friday night, police said. Officers found Jarell Kimbrough on the sidewalk and took him "
        "to Carvel General Hospital, where he was in stable condition.\n\n"
        "Police spokesman Dale Ferrity said investigators were looking for a man seen running toward "
        "Pike Street. No arrests have been made.",
        "2016-08-12",
        "Carvel Daily",
    ),
    StoryDoc(
        "shot-1b",
        "Police seek gunman after Dunmore Avenue shooting",
        "Carvel City police are searching for the gunman who wounded Jarell Kimbrough, 24, outside a "
        "Dunmore Avenue convenience store Friday. Spokesman Dale Ferrity said Kimbrough was expected to "
        "survive. The suspect fled on foot toward Pike Street.",
        "2016-08-12",
        "Metro 9",
    ),
    StoryDoc(
        "shot-2a",
        "Teen wounded in Larkfield Park shooting",
        "A 16-year-old girl was shot in the arm in Larkfield Park in Carvel City on Saturday afternoon, "
        "police said. Spokesman Dale Ferrity said Amaya Trosdale was hit by a stray bullet when two "
        "groups began firing near the basketball courts.\n\n"
        "Trosdale was taken to Carvel General Hospital. Police recovered eleven shell casings.",
        "2016-08-13",
        "Carvel Daily",
    ),
    StoryDoc(
        "shot-2b",
        "Stray bullet hits girl at Larkfield Park",
        "Amaya Trosdale, 16, was struck by a stray bullet at Larkfield Park on Saturday as gunfire broke "
        "out near the basketball courts, Carvel City police said. Dale Ferrity, a police spokesman, said "
        "she was in good condition at Carvel General Hospital.",
        "2016-08-13",
        "Metro 9",
    ),
]
# Three months later: the arrest in the first shooting.
ARREST = StoryDoc(
    "shot-1-arrest",
    "Arrest made in Dunmore Avenue shooting of Jarell Kimbrough",
    "Carvel City police have arrested a 27-year-old man in the August shooting of Jarell Kimbrough "
    "outside a Dunmore Avenue convenience store. Spokesman Dale Ferrity said Marcus Delaine was "
    "charged with aggravated assault.\n\n"
    "Kimbrough, 24, was shot in the leg on Dunmore Avenue and treated at Carvel General Hospital. "
    "Police said Delaine had fled toward Pike Street after the shooting.",
    "2016-11-15",
    "Carvel Daily",
)


def _partition(stories: dict[str, list[str]]) -> list[list[str]]:
    return sorted(sorted(members) for members in stories.values())


class TestEvents:
    def test_same_town_and_mayor_five_days_apart_are_two_stories(self) -> None:
        stories = cluster_stories([*FIRE, BUDGET])
        assert _partition(stories) == [["budget"], ["fire-a", "fire-b"]]

    def test_reworded_version_days_later_joins_its_event(self) -> None:
        stories = cluster_stories([*FIRE, BUDGET, FIRE_LATER])
        assert _partition(stories) == [["budget"], ["fire-a", "fire-b", "fire-c"]]

    @pytest.mark.xfail(strict=True, reason="not yet: with four articles every sigma is the floor, and the city, "
                       "spokesman and hospital they share outweigh the victims and streets that differ")
    def test_two_shootings_in_one_city_a_day_apart_stay_apart(self) -> None:
        stories = cluster_stories(SHOOTINGS)
        assert _partition(stories) == [["shot-1a", "shot-1b"], ["shot-2a", "shot-2b"]]

    def test_a_follow_up_months_later_is_linked_to_the_story_it_continues(self) -> None:
        index = StoryIndex()
        index.add([*SHOOTINGS, ARREST])
        first = index.story_of("shot-1a")
        arrest = index.story_of("shot-1-arrest")
        assert arrest != first  # not merged into the first days' coverage
        links = index.follows()
        assert links.get(arrest) == first
        assert index.story_of("shot-2a") not in links  # the other shooting continues nothing
        assert index.follows([arrest]) == {arrest: first}


class TestDeterminism:
    DOCS = [*_cleaned_seeds(), *EARLIER_DRONES, COUNCIL, *FIRE, BUDGET, FIRE_LATER, *SHOOTINGS, ARREST]

    def test_any_order_and_any_chunks_give_the_same_stories(self) -> None:
        reference = cluster_stories(self.DOCS)
        rng = random.Random(7)
        for _trial in range(4):
            docs = list(self.DOCS)
            rng.shuffle(docs)
            index = StoryIndex()
            start = 0
            while start < len(docs):
                size = rng.randint(1, 6)
                index.add(docs[start : start + size])
                start += size
            assert index.stories() == reference  # same partition, same story ids
            index.close()

    def test_removing_and_adding_back_restores_the_stories(self) -> None:
        reference = cluster_stories(self.DOCS)
        index = StoryIndex()
        index.add(self.DOCS)
        gone = [d for d in self.DOCS if d.id in {"fire-b", "shot-1a", "council", SEED_PATHS[2].stem}]
        index.remove([d.id for d in gone])
        assert index.stories() == cluster_stories([d for d in self.DOCS if d not in gone])
        index.add(gone)
        assert index.stories() == reference


class TestCandidateCap:
    """Key terms too common in a date bucket find no candidates there; the stories stay a function
    of the articles, whatever order they come in and whichever terms cross the cap on the way."""

    DOCS = [*TestDeterminism.DOCS, *(doc for i in range(12) for doc in _pair_of_reports(i))]

    @pytest.fixture(autouse=True)
    def _small_caps(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from tuireader.analysis import stories

        monkeypatch.setattr(stories, "BUCKET_CAP", 3)
        monkeypatch.setattr(stories, "ALL_CAP", 6)

    def test_any_order_gives_the_same_stories_while_terms_cross_the_cap(self) -> None:
        reference = cluster_stories(self.DOCS)
        rng = random.Random(11)
        for _trial in range(3):
            docs = list(self.DOCS)
            rng.shuffle(docs)
            index = StoryIndex()
            start = 0
            while start < len(docs):
                size = rng.randint(1, 5)
                index.add(docs[start : start + size])
                start += size
            assert index.stories() == reference
            index.close()

    def test_removals_that_bring_terms_back_under_the_cap_restore_the_stories(self) -> None:
        index = StoryIndex()
        index.add(self.DOCS)
        gone = [d for d in self.DOCS if d.id.startswith(("p1-", "p2-", "p3-", "p4-", "p5-"))]
        index.remove([d.id for d in gone])
        assert index.stories() == cluster_stories([d for d in self.DOCS if d not in gone])
        index.add(gone)
        assert index.stories() == cluster_stories(self.DOCS)

    def test_versions_sharing_their_own_names_still_join_when_common_words_are_capped(self) -> None:
        stories = cluster_stories(self.DOCS)
        pairs = [_pair_of_reports(i) for i in range(12)]
        found = {a: s for s, members in stories.items() for a in members}
        assert all(found[a.id] == found[b.id] for a, b in pairs)
        assert len({found[a.id] for a, _b in pairs}) == len(pairs)  # "bridge", "mayor": not one story

    WALL = ("The council of Tellaby met on Tuesday to discuss the new harbour wall that Zorblat Quenwick "
            "designed. Engineers from Quenwick and Zorblat said the wall would protect the old town from "
            "winter storms. {p} asked the engineers how much the work would cost, and {p} said the town "
            "could not wait.")
    WALLS = [StoryDoc("wall-a", "Harbour wall for Tellaby", WALL.format(p="Pellaro Pellaro"), "2024-05-04"),
             StoryDoc("wall-b", "Tellaby plans a harbour wall", WALL.format(p="Dunstrav Dunstrav"), "2024-05-05")]
    MATCHES = [
        StoryDoc(f"match-{i}", f"Cup report {i}", f"Zorblat Quenwick scored twice as Rovers{i} beat United{i} in "
                 "the cup. Zorblat and Quenwick celebrated with fans at the Tellaby harbour.", "2024-05-06")
        for i in range(4)
    ]

    def test_terms_becoming_common_later_give_what_a_fresh_index_gives(self) -> None:
        assert _partition(cluster_stories(self.WALLS)) == [["wall-a", "wall-b"]]
        index = StoryIndex()
        index.add(self.WALLS)
        index.add(self.MATCHES)  # every name the two share is now held by six articles that week
        assert index.stories() == cluster_stories([*self.WALLS, *self.MATCHES])
        index.remove([m.id for m in self.MATCHES])  # and rare again
        assert _partition(index.stories()) == [["wall-a", "wall-b"]]
