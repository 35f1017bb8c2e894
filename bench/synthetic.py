"""Synthetic news articles for benchmarks: many stories, each told by several outlets.

`generate(n, seed)` returns article dicts (`id`, `outlet`, `title`, `text`, `published`, `story`)
built to exercise what a real library throws at the reader, without shipping anyone's text:

- **stories** are events of a few dozen kinds (earthquakes, trials, elections, product recalls, ...)
  with their own invented people, places, organisations, numbers and date;
- **versions**: each story is told by 1-12 outlets that pick different wordings of the same facts
  (paraphrase templates, synonyms), different subsets and orders of facts, their own quotes of the
  same speakers (sometimes reworded), and their own background paragraphs;
- **traps**: every kind of event recurs, so many stories share their vocabulary and differ only in
  names, numbers and dates (two earthquakes months apart);
- **noise**: outlet boilerplate (newsletter prompts, cookie notices), "Related" link lists with
  other stories' headlines, injected spam tokens, and a share of articles without a date.

Everything comes from one `random.Random(seed)`, so the output is deterministic; names are made of
syllables so that a 100,000-article library has tens of thousands of distinct proper nouns. The
`story` field is the ground truth for quality checks.
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Callable, Iterator
from pathlib import Path


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SYLLABLES = _words(
    """
    ka ri mo ten bar vel an dor li sa ne ro ga mi tu hal ber vin os ta le ko ral sen fi ma zu pe
    dra gon lo ca hen vik tor ul ri na bre wen ast ol mer ind quo lan sto
    """
)
_FIRST_NAMES = _words(
    """
    Maria John Aisha Pedro Olga Chen Fatima Liam Sofia Ahmed Elena David Priya Kofi Hana Lucas
    Amara Ivan Grace Tomas Leila Samuel Noor Mateo Ingrid Yusuf Clara Dmitri Rosa Kenji Laura Omar
    Zainab Victor Helen Arjun Marta Felix Nadia
    """
)
_OUTLETS = (
    "Daily Courier",
    "Morning Ledger",
    "The Northern Post",
    "Capital Wire",
    "Evening Standard-Times",
    "Global Dispatch",
    "Harbor Herald",
    "Metro Tribune",
    "Valley Sentinel",
    "Coast Chronicle",
    "National Observer",
    "The Independent Voice",
    "Frontline News",
    "Pacific Record",
    "Union Gazette",
    "Riverside Journal",
    "World Report Online",
    "Summit Daily",
    "Plains Examiner",
    "Bay Bulletin",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_BOILERPLATE = (
    "Sign up for our newsletter to get the day's top stories in your inbox.",
    "We use cookies to improve your experience. By continuing you accept our cookie policy.",
    "Advertisement",
    "Share this article: Facebook Twitter Email Print",
    "Copyright {year} {outlet}. All rights reserved.",
    "Subscribe now for unlimited access to {outlet}.",
    "Read more: the latest headlines from {outlet}",
    "Follow us on social media for breaking news updates.",
    "This story has been updated with additional information.",
    "Click here to download our app.",
)
_SPAM = ("ViralNow", "Trendzz", "clickbaitX", "MoneyPulse", "NewsFlashHQ", "BuzzDaily")

# Each kind of event: slot lists, title templates and facts (each fact: several wordings).
# Slots: {place} {region} {person} {person2} {org} {n1} {n2} {n3} {day} {thing}
_KINDS: dict[str, dict[str, list]] = {
    "earthquake": {
        "titles": [
            "Magnitude {n1}.{n2} earthquake strikes {region}",
            "Strong quake hits {place}, at least {n3} dead",
            "{region} earthquake: rescuers search rubble in {place}",
        ],
        "facts": [
            [
                "A magnitude {n1}.{n2} earthquake struck near {place} in {region} on {day}, killing at least {n3} people.",
                "At least {n3} people were killed when a {n1}.{n2}-magnitude quake hit the {region} town of {place} on {day}.",
                "An earthquake measuring {n1}.{n2} shook {place} on {day}, leaving at least {n3} people dead.",
            ],
            [
                "The quake's epicentre was about {n2}{n1} kilometres south of {place}, at a shallow depth.",
                "Seismologists placed the epicentre roughly {n2}{n1} km from {place}.",
            ],
            [
                "Rescue teams worked through the night to pull survivors from collapsed buildings.",
                "Rescuers dug through rubble overnight searching for people trapped under fallen homes.",
                "Emergency crews searched collapsed houses for survivors through the night.",
            ],
            [
                '"We heard a roar and then everything was shaking," said {person}, a resident of {place}.',
                '"There was a roar and everything shook," {person}, who lives in {place}, told reporters.',
            ],
            [
                "{person2}, head of the {org}, said aftershocks were expected for several days.",
                "The {org} warned of aftershocks in the coming days, according to its director {person2}.",
            ],
            [
                "Power was cut to about {n3}00 homes and several roads were blocked by landslides.",
                "Landslides blocked roads and some {n3}00 households lost electricity.",
            ],
        ],
    },
    "trial": {
        "titles": [
            "{person} found guilty in {place} fraud trial",
            "Jury convicts {person} of fraud",
            "{person} sentenced to {n1} years after {place} trial",
        ],
        "facts": [
            [
                "A jury in {place} found {person} guilty of fraud on {day} after a {n2}-week trial.",
                "{person} was convicted of fraud by a {place} jury on {day}, ending a trial that lasted {n2} weeks.",
            ],
            [
                "Prosecutors said {person} took more than ${n3} million from investors of {org}.",
                "According to prosecutors, investors in {org} lost over ${n3} million.",
            ],
            [
                "Judge {person2} set sentencing for next month; the charges carry up to {n1} years in prison.",
                "Sentencing is scheduled for next month before Judge {person2}, and {person} faces as many as {n1} years.",
            ],
            [
                '"Today the jury held him accountable for every lie," the prosecutor said after the verdict.',
                '"The jury has held him accountable for his lies," a prosecutor said outside the court.',
            ],
            [
                "Lawyers for {person} said they would appeal the verdict.",
                "The defence team said it planned to appeal.",
            ],
        ],
    },
    "election": {
        "titles": [
            "{person} wins {region} governor race",
            "{region} election: {person} declares victory",
            "Voters in {region} choose {person} as governor",
        ],
        "facts": [
            [
                "{person} won the race for governor of {region} on {day}, taking {n3} percent of the vote.",
                "With {n3} percent of ballots, {person} was elected governor of {region} on {day}.",
            ],
            [
                "The defeated candidate, {person2}, conceded late in the evening in {place}.",
                "{person2} conceded the race in a speech in {place} late on election night.",
            ],
            [
                "Turnout reached {n1}{n2} percent, the highest in the region in two decades.",
                "Officials said {n1}{n2} percent of registered voters took part.",
            ],
            [
                '"This is a victory for every family in {region}," {person} told supporters.',
                '"Tonight every family in {region} has won," {person} said to cheering supporters.',
            ],
            [
                "{person} campaigned on lower taxes and new investment in public transport.",
                "The campaign of {person} focused on tax cuts and public transport.",
            ],
        ],
    },
    "recall": {
        "titles": [
            "{org} recalls {n3},000 {thing}s over fire risk",
            "{thing} recall: {org} cites overheating",
            "{org} pulls {thing}s from stores in safety recall",
        ],
        "facts": [
            [
                "{org} is recalling about {n3},000 {thing}s because they can overheat and catch fire, the company said on {day}.",
                "The company {org} said on {day} it would recall roughly {n3},000 {thing}s that may overheat.",
            ],
            [
                "The regulator in {region} said it had received {n2}{n1} reports of units overheating.",
                "Safety officials in {region} have logged {n2}{n1} complaints of overheating.",
            ],
            [
                "Customers should stop using the {thing} and contact {org} for a refund.",
                "Owners were told to unplug the {thing} and ask {org} for their money back.",
            ],
            [
                '"The safety of our customers comes first," said {person}, a spokesperson for {org}.',
                '"Customer safety is our first priority," {org} spokesperson {person} said.',
            ],
        ],
    },
    "storm": {
        "titles": [
            "Storm {person} batters {region} coast",
            "Thousands evacuated as storm nears {place}",
            "{region} storm leaves {n3},000 without power",
        ],
        "facts": [
            [
                "Storm {person} made landfall near {place} on {day} with winds of {n1}{n2}0 km/h.",
                "Winds reaching {n1}{n2}0 km/h lashed {place} as storm {person} came ashore on {day}.",
            ],
            [
                "About {n3},000 homes in {region} lost power and schools were closed.",
                "Schools closed and roughly {n3},000 households in {region} were left without electricity.",
            ],
            [
                "The {org} ordered the evacuation of low-lying neighbourhoods.",
                "Residents of low-lying areas were told to leave by the {org}.",
            ],
            [
                '"Please stay indoors and away from the water," said {person2} of the {org}.',
                '"Stay inside and stay away from the water," {person2}, an official at the {org}, urged.',
            ],
            [
                "Forecasters expect the storm to weaken as it moves inland.",
                "The storm should lose strength as it moves over land, forecasters said.",
            ],
        ],
    },
    "strike": {
        "titles": [
            "{org} workers walk out over pay",
            "Strike at {org} halts production in {place}",
            "{n3},000 {org} staff strike in {region}",
        ],
        "facts": [
            [
                "About {n3},000 workers at {org} went on strike on {day} after pay talks collapsed.",
                "Pay talks broke down and roughly {n3},000 {org} employees walked out on {day}.",
            ],
            [
                "The union is demanding a {n1}{n2} percent raise over two years.",
                "Union leaders want wages to rise by {n1}{n2} percent across two years.",
            ],
            [
                "Production at the plant in {place} has stopped, the company said.",
                "The company said its {place} plant had halted production.",
            ],
            [
                '"We will stay out as long as it takes," union leader {person} said.',
                '"We are ready to stay out for as long as it takes," said {person}, who leads the union.',
            ],
            [
                "{person2}, chief executive of {org}, called the demands unrealistic.",
                "The demands are not realistic, {org} chief executive {person2} said.",
            ],
        ],
    },
    "launch": {
        "titles": [
            "{org} unveils {thing} with longer battery life",
            "{org} launches new {thing} at {place} event",
            "New {thing} from {org} to cost ${n1}{n2}9",
        ],
        "facts": [
            [
                "{org} unveiled its new {thing} at an event in {place} on {day}.",
                "At an event in {place} on {day}, {org} presented a new {thing}.",
            ],
            [
                "The device will cost ${n1}{n2}9 and go on sale next month.",
                "It goes on sale next month at a price of ${n1}{n2}9.",
            ],
            [
                "The company says the battery lasts {n2}{n1} hours, twice as long as the previous model.",
                "Battery life is {n2}{n1} hours, double the older model, according to the company.",
            ],
            [
                '"This is the biggest step forward we have ever taken," said chief executive {person}.',
                '"It is the biggest leap we have made," {org} chief executive {person} said.',
            ],
            [
                "Analyst {person2} said the price could limit sales in {region}.",
                "The price may hold back sales in {region}, said analyst {person2}.",
            ],
        ],
    },
    "fire": {
        "titles": [
            "Wildfire forces evacuations near {place}",
            "{region} wildfire grows to {n3},000 hectares",
            "Firefighters battle blaze outside {place}",
        ],
        "facts": [
            [
                "A wildfire near {place} has burned {n3},000 hectares since it started on {day}.",
                "Since breaking out on {day}, the fire outside {place} has scorched {n3},000 hectares.",
            ],
            [
                "More than {n1}{n2}0 firefighters and {n1} aircraft are fighting the blaze.",
                "Crews of over {n1}{n2}0 firefighters backed by {n1} aircraft are on the fire line.",
            ],
            [
                "Residents of {n2} villages in {region} were ordered to evacuate.",
                "Evacuation orders covered {n2} villages across {region}.",
            ],
            [
                '"The wind is our biggest enemy right now," fire chief {person} said.',
                '"Right now the wind is the main enemy," said {person}, the fire chief.',
            ],
            [
                "The cause of the fire is under investigation by the {org}.",
                "Investigators from the {org} are trying to determine how the fire started.",
            ],
        ],
    },
    "merger": {
        "titles": [
            "{org} to buy rival in ${n3} billion deal",
            "{org} agrees takeover worth ${n3} billion",
            "{org} merger creates {region} giant",
        ],
        "facts": [
            [
                "{org} agreed on {day} to acquire a rival based in {place} for ${n3} billion.",
                "In a ${n3} billion deal announced on {day}, {org} will buy its {place}-based competitor.",
            ],
            [
                "The combined company will employ about {n1}{n2},000 people in {region}.",
                "Together the firms will have roughly {n1}{n2},000 employees across {region}.",
            ],
            [
                "The deal still needs approval from competition authorities.",
                "Regulators must approve the takeover before it can close.",
            ],
            [
                '"Together we will be stronger and faster," chief executive {person} said.',
                '"We will be faster and stronger together," said {person}, the chief executive.',
            ],
            [
                "Shares of {org} rose {n1} percent in early trading.",
                "{org} stock gained {n1} percent after the announcement.",
            ],
        ],
    },
    "rescue": {
        "titles": [
            "Miners rescued after {n2} days underground in {place}",
            "{n1} trapped miners freed in {region}",
            "Rescue at {place} mine: all {n1} workers alive",
        ],
        "facts": [
            [
                "All {n1} miners trapped in a collapsed mine near {place} were brought to the surface on {day}.",
                "Rescuers freed the {n1} workers trapped in the {place} mine on {day}.",
            ],
            [
                "The men had been underground for {n2} days after a tunnel collapsed.",
                "They spent {n2} days below ground after part of a tunnel gave way.",
            ],
            [
                "The mine is operated by {org}, which said it would investigate the collapse.",
                "{org}, which runs the mine, promised an investigation.",
            ],
            [
                '"We never stopped believing we would get them out," said rescue leader {person}.',
                '"We always believed we would bring them out," rescue chief {person} said.',
            ],
            [
                "Officials in {region} said the miners were in good condition.",
                "The miners were reported to be in good health, {region} officials said.",
            ],
        ],
    },
}
_THINGS = (
    "laptop",
    "phone",
    "heater",
    "scooter",
    "tablet",
    "charger",
    "blender",
    "headset",
    "camera",
    "drone",
)
_ORG_SUFFIX = (
    "Group",
    "Holdings",
    "Industries",
    "Agency",
    "Institute",
    "Corporation",
    "Systems",
    "Authority",
)
_BACKGROUND = (
    "The region has seen several similar events in recent years.",
    "Officials said more details would be released in the coming days.",
    "Local media reported that the situation remained tense.",
    "Questions remain about how authorities prepared for such an event.",
    "Critics have long warned about the risks involved.",
    "The news drew reactions from across the country.",
    "Experts say the long-term consequences are still unclear.",
    "It was not immediately clear how many people were affected.",
)
_FILLER_SUBJECTS = (
    "Local officials",
    "Residents",
    "Opposition politicians",
    "Analysts",
    "Community leaders",
    "Business owners",
    "Aid groups",
    "Several witnesses",
    "Independent experts",
    "The authorities",
    "Neighbouring governments",
    "Union representatives",
    "Emergency services",
    "Economists",
)
_FILLER_VERBS = (
    "have called for",
    "are still waiting for",
    "expressed concern about",
    "promised to review",
    "questioned the timing of",
    "welcomed",
    "criticised",
    "asked for clarity on",
    "said they expected",
    "are preparing for",
    "pointed to",
    "raised doubts about",
)
_FILLER_OBJECTS = (
    "the official response",
    "a full investigation",
    "the cost of recovery",
    "new safety rules",
    "the impact on local jobs",
    "further support from the government",
    "the long-term consequences",
    "the lessons of previous years",
    "changes to the budget",
    "more transparency",
    "the next steps",
    "a public inquiry",
    "the effect on prices",
    "the state of infrastructure",
)
_FILLER_TAILS = (
    "",
    " in the coming weeks",
    " on social media",
    " at a news conference",
    " in a statement",
    " during a meeting with reporters",
    " later in the day",
    " according to local media",
)


def _filler(rng: random.Random) -> str:
    """A generic sentence of the sort that pads every news story and belongs to none."""
    return (
        f"{rng.choice(_FILLER_SUBJECTS)} {rng.choice(_FILLER_VERBS)} "
        f"{rng.choice(_FILLER_OBJECTS)}{rng.choice(_FILLER_TAILS)}."
    )


_SYNONYMS = (
    (" said", " stated"),
    (" about ", " around "),
    (" people", " residents"),
    (" more than ", " over "),
    (" on ", " on "),
    (" company ", " firm "),
)


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


class _Namer:
    """Invented proper nouns: syllable strings, so the pool grows with the library."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        # Regions recur (two earthquakes in one province), so names alone cannot settle a story.
        self.regions = [_name(rng, 3) + rng.choice(("", " Province", " County", "ia")) for _ in range(1500)]

    def person(self) -> str:
        return f"{self.rng.choice(_FIRST_NAMES)} {_name(self.rng, self.rng.randint(2, 3))}"

    def place(self) -> str:
        return _name(self.rng, self.rng.randint(2, 3))

    def region(self) -> str:
        return self.rng.choice(self.regions)

    def org(self) -> str:
        return f"{_name(self.rng, 2)} {self.rng.choice(_ORG_SUFFIX)}"


def _stories(rng: random.Random, n_articles: int) -> Iterator[dict]:
    """Stories with their facts filled in, until there are articles enough."""
    namer = _Namer(rng)
    kinds = list(_KINDS)
    start = _dt.date(2019, 1, 1)
    count = 0
    index = 0
    while count < n_articles:
        kind = rng.choice(kinds)
        day = start + _dt.timedelta(days=rng.randrange(5 * 365))
        slots = {
            "place": namer.place(),
            "region": namer.region(),
            "person": namer.person(),
            "person2": namer.person(),
            "org": namer.org(),
            "n1": str(rng.randint(2, 9)),
            "n2": str(rng.randint(1, 9)),
            "n3": str(rng.randint(3, 95)),
            "day": _WEEKDAYS[day.weekday()],
            "thing": rng.choice(_THINGS),
        }
        size = rng.choices((1, 2, 3, 4, 5, 6, 7, 8, 10, 12), weights=(15, 15, 15, 15, 10, 9, 7, 6, 5, 3))[0]
        size = min(n_articles - count, size)
        yield {"index": index, "kind": kind, "date": day, "slots": slots, "size": size}
        count += size
        index += 1


def _article(rng: random.Random, story: dict, outlet: str, headlines: list[str]) -> tuple[str, str]:
    """One outlet's version of a story: title and noisy body text."""
    kind = _KINDS[story["kind"]]
    slots = story["slots"]
    title = rng.choice(kind["titles"]).format(**slots)
    facts = kind["facts"]
    chosen = [facts[0]] + [f for f in facts[1:] if rng.random() < 0.75]
    if rng.random() < 0.5 and len(chosen) > 2:
        head, tail = chosen[:1], chosen[1:]
        rng.shuffle(tail)
        chosen = head + tail
    sentences = [rng.choice(variants).format(**slots) for variants in chosen]
    if rng.random() < 0.3:
        swap = rng.choice(_SYNONYMS)
        sentences = [s.replace(swap[0], swap[1]) for s in sentences]
    for _ in range(rng.randint(1, 3)):
        sentences.insert(rng.randint(1, len(sentences)), rng.choice(_BACKGROUND))
    for _ in range(rng.randint(4, 14)):
        sentences.insert(rng.randint(1, len(sentences)), _filler(rng))
    paragraphs: list[str] = []
    while sentences:
        take = rng.randint(1, 2)
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    if rng.random() < 0.15:
        i = rng.randrange(len(paragraphs))
        words = paragraphs[i].split()
        words.insert(rng.randrange(len(words) + 1), rng.choice(_SPAM))
        paragraphs[i] = " ".join(words)
    year = str(story["date"].year)
    noise = [b.format(outlet=outlet, year=year) for b in rng.sample(_BOILERPLATE, rng.randint(1, 3))]
    paragraphs = [noise[0], *paragraphs, *noise[1:]]
    if headlines and rng.random() < 0.4:
        related = rng.sample(headlines, min(len(headlines), rng.randint(2, 5)))
        paragraphs.append("Related")
        paragraphs.extend("- " + h for h in related)
    return title, "\n\n".join(paragraphs)


def _unsorted(rng: random.Random, n_articles: int) -> Iterator[dict]:
    """The articles in the order they are made (story by story), with their `_day` and `story`."""
    recent_titles: list[str] = []
    for story in _stories(rng, n_articles):
        outlets = rng.sample(_OUTLETS, story["size"])
        for outlet in outlets:
            title, text = _article(rng, story, outlet, recent_titles[-50:])
            lag = min(int(rng.expovariate(0.8)), 6)
            day = story["date"] + _dt.timedelta(days=lag)
            published = None if rng.random() < 0.05 else day.isoformat()
            yield {
                "_day": day,
                "outlet": outlet,
                "title": title,
                "text": text,
                "published": published,
                "story": f"story{story['index']:06d}",
            }
            recent_titles.append(title)
            del recent_titles[:-50]


def generate(n_articles: int, seed: int = 0) -> list[dict]:
    """`n_articles` synthetic articles (deterministic for a given seed), in publication order.

    Keys: `id` (e.g. "a000042_3f9c"), `outlet`, `title`, `text`, `published` (ISO date, or None
    for about 5 % of articles, as for scrapes whose date could not be read), `story` (ground truth).
    """
    rng = random.Random(seed)
    articles = list(_unsorted(rng, n_articles))
    articles.sort(key=lambda a: (a["_day"], a["story"]))
    for i, a in enumerate(articles):
        a["id"] = f"a{i:06d}_{rng.getrandbits(16):04x}"
    return [{k: a[k] for k in ("id", "outlet", "title", "text", "published", "story")} for a in articles]


def generate_files(
    n_articles: int, seed: int, folder: Path, file_text: Callable[[dict], str], stem: Callable[[int, str], str],
    sample: int = 0,
) -> tuple[list[tuple[str, str]], list[dict]]:
    """The articles of `generate(n_articles, seed)` written as files, without holding them all.

    A million articles are several gigabytes of text, so each is written as it is made (under a
    temporary name) and renamed once the publication order is known; the files, ids and stories
    are the same as `generate`'s. `file_text(article)` gives a file's text, `stem(position, id)`
    its name without ".txt". Returns (stem, story) in publication order, and `sample` of the
    articles (whole, with ids) drawn evenly, for building queries.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    order: list[tuple[_dt.date, str, int, str | None]] = []
    for k, article in enumerate(_unsorted(rng, n_articles)):
        (folder / f".made-{k}.tmp").write_text(file_text(article), encoding="utf-8")
        order.append((article["_day"], article["story"], k, article["published"]))
    order.sort(key=lambda o: (o[0], o[1]))  # stable, as generate's sort
    step = max(1, len(order) // sample) if sample else 0
    gold: list[tuple[str, str]] = []
    picked: list[dict] = []
    for i, (_day, story, k, _published) in enumerate(order):
        article_id = f"a{i:06d}_{rng.getrandbits(16):04x}"
        name = stem(i, article_id)
        source = folder / f".made-{k}.tmp"
        if step and i % step == 0 and len(picked) < sample:
            text = source.read_text(encoding="utf-8")
            picked.append({"id": article_id, "story": story, "file_text": text})
        source.rename(folder / f"{name}.txt")
        gold.append((name, story))
    return gold, picked
