"""Stories of our own for the figure checks: several outlets tell one event in their own words, and
some of their figures differ. Each story lists what a careful reader finds (`differ`: the versions
and the words of a figure they state differently) and, implicitly, nothing else: the traps (other
quantities in the same sentences, a date beside a count, "one of the", a range around a number,
a rounded number beside a precise one) must not be reported.

Used by tests/functional/test_figure_discrepancies.py and bench/quality_figures.py (which tunes
on the stories in `TUNE` and reports on the others).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class FigureStory:
    name: str
    versions: dict[str, str]  # file stem -> text with a header
    #: Each fact stated differently: version stem -> a fragment of the figure it states.
    differ: list[dict[str, str]] = field(default_factory=list)

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for stem, text in self.versions.items():
            (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
        return folder


def _doc(outlet: str, title: str, published: str, body: str) -> str:
    return f"---\ntitle: {title}\noutlet: {outlet}\npublished: {published}\n---\n{body.strip()}\n"


BUS = FigureStory(
    "bus-crash",
    {
        "20250310_b1a0000000000001": _doc(
            "Valley Herald",
            "Twelve dead as tour bus leaves mountain road",
            "2025-03-10",
            """
A tour bus carrying 41 passengers plunged off a mountain road near Castelmont on Sunday, killing 12 people and injuring 30, regional officials said.

Three ambulances and a helicopter reached the ravine within an hour, and one of the passengers, a retired teacher, helped rescuers find the injured.

Police said 10 to 12 children were travelling with a school choir on board.

The road had been closed for repairs until March 8, the regional transport office said.
""",
        ),
        "20250310_b2a0000000000002": _doc(
            "Northern Wire",
            "Bus crash near Castelmont kills 14",
            "2025-03-10",
            """
Fourteen people died on Sunday when a tour bus with 41 passengers went off a mountain road near Castelmont, officials said, and 30 others were injured.

Rescuers said three ambulances and a helicopter reached the ravine within the hour.

Eleven children from a school choir were on the bus, police said.

The road reopened on March 8 after repairs, according to the transport office.
""",
        ),
        "20250311_b3a0000000000003": _doc(
            "Coast Daily",
            "Castelmont bus crash: what we know",
            "2025-03-11",
            """
The tour bus that left a mountain road near Castelmont on Sunday was carrying 41 passengers; 12 were killed and about 30 people were hurt, officials said.

Eight ambulances and two helicopters took part in the rescue, the fire service said.

Police said 11 children from a school choir were on board.
""",
        ),
    },
    differ=[
        {"20250310_b1a0000000000001": "12 people", "20250310_b2a0000000000002": "Fourteen people"},
        {"20250310_b2a0000000000002": "three ambulances", "20250311_b3a0000000000003": "Eight ambulances"},
    ],
)

STADIUM = FigureStory(
    "stadium-grant",
    {
        "20250402_c1a0000000000001": _doc(
            "Riverside Post",
            "City approves grant for stadium repairs",
            "2025-04-02",
            """
The city council approved a $3.2 million grant on Tuesday to repair the roof of Harlow Stadium, which was damaged in January's storm.

The grant covers 40% of the cost of the repairs, council member Dana Whitfield said, and the club will pay the rest.

The stadium, which holds about 1,200 spectators, will reopen in September.
""",
        ),
        "20250402_c2a0000000000002": _doc(
            "Metro Ledger",
            "Harlow Stadium roof to be repaired with city money",
            "2025-04-02",
            """
Councillors voted on Tuesday to give $3.5 million to repair Harlow Stadium's roof after the January storm damaged it.

Council member Dana Whitfield said the city money would cover 45 percent of the repair bill, with the club paying the remainder.

The 1,250-seat stadium is expected to reopen in September.
""",
        ),
        "20250403_c3a0000000000003": _doc(
            "Harlow Gazette",
            "Council backs stadium roof grant",
            "2025-04-03",
            """
The council's $3.2 million grant for the roof of Harlow Stadium was approved on Tuesday, months after January's storm tore part of it away.

Dana Whitfield, a council member, said the grant would pay for 40 percent of the repairs.

The vote passed by 9 votes to 2, and the stadium should reopen in September.
""",
        ),
    },
    differ=[
        {"20250402_c1a0000000000001": "$3.2 million", "20250402_c2a0000000000002": "$3.5 million"},
        {"20250402_c1a0000000000001": "40", "20250402_c2a0000000000002": "45 percent"},
    ],
)

FLOOD = FigureStory(
    "river-flood",
    {
        "20250115_d1a0000000000001": _doc(
            "Lowland Times",
            "River bursts its banks, 2,000 evacuated",
            "2025-01-15",
            """
About 2,000 residents were evacuated from Marrow on Wednesday after the river Tane burst its banks, the mayor said.

More than 500 homes were flooded, and water in the town square was 1.5 metres deep by the afternoon.

Two of the town's three bridges were closed, and volunteers filled 1,200 sandbags overnight.

Forecasters expect the river to fall by Friday.
""",
        ),
        "20250115_d2a0000000000002": _doc(
            "Evening Courier",
            "Marrow flood forces thousands from homes",
            "2025-01-15",
            """
Some 2,500 residents of Marrow left their homes on Wednesday when the Tane burst its banks, according to the mayor.

The flood reached 520 homes, and the water in the town square stood about 5 feet deep in the afternoon.

Volunteers filled 1,230 sandbags overnight, and the river is expected to fall by Friday, forecasters said.
""",
        ),
        "20250116_d3a0000000000003": _doc(
            "Tane Valley News",
            "Flood in Marrow: homes under water",
            "2025-01-16",
            """
The mayor said 2,000 residents were evacuated from Marrow on Wednesday as the Tane rose over its banks.

Some 520 homes were flooded and the water in the town square was 1.5 metres deep.

Three bridges were closed, the council said, and volunteers filled 1,300 sandbags overnight.

Forecasters expect the river to fall by Friday.
""",
        ),
    },
    differ=[
        {"20250115_d1a0000000000001": "2,000 residents", "20250115_d2a0000000000002": "2,500 residents"},
        {"20250115_d2a0000000000002": "1,230 sandbags", "20250116_d3a0000000000003": "1,300 sandbags"},
    ],
)

POLL = FigureStory(
    "transit-poll",
    {
        "20250520_e1a0000000000001": _doc(
            "City Monitor",
            "Most riders back the new tram line, poll finds",
            "2025-05-20",
            """
A survey of 1,000 riders found that 60 percent support building the new tram line, the transit authority said on Monday.

The line would cost between 80 and 90 million euros and open in 2029.

The survey was carried out over 14 days in April.
""",
        ),
        "20250520_e2a0000000000002": _doc(
            "Daily Metro",
            "Poll: riders favour tram line",
            "2025-05-20",
            """
Sixty-four percent of the 1,000 riders surveyed support the new tram line, the transit authority said on Monday.

The authority put the cost at 85 million euros, with the line opening in 2029.

Riders were polled for two weeks in April.
""",
        ),
        "20250521_e3a0000000000003": _doc(
            "Transit Weekly",
            "Tram line wins riders' support",
            "2025-05-21",
            """
The transit authority said on Monday that 60% of 1,000 riders it surveyed support the new tram line.

It would cost 80 to 90 million euros, the authority said, and open in 2029.
""",
        ),
    },
    differ=[
        {"20250520_e1a0000000000001": "60 percent", "20250520_e2a0000000000002": "Sixty-four percent"},
    ],
)

FACTORY = FigureStory(
    "factory-closure",
    {
        "20250612_f1a0000000000001": _doc(
            "Midland Echo",
            "Carmaker to close Dunmore plant",
            "2025-06-12",
            """
The carmaker Orvell will close its Dunmore plant by the end of next year, cutting 1,400 jobs, the company said on Thursday.

Orvell said the closure would save £120m a year, and that about 300 of the workers would be offered jobs at its other sites.

The plant opened in 1987 and built 85,000 cars last year, 12 per cent fewer than the year before.
""",
        ),
        "20250612_f2a0000000000002": _doc(
            "Business Daily",
            "Orvell shuts Dunmore, 1,700 jobs to go",
            "2025-06-12",
            """
Orvell is to shut its Dunmore factory with the loss of 1,700 jobs, the carmaker announced on Thursday.

The company expects savings of £120 million a year; roughly 300 staff will be offered posts at other Orvell sites.

Dunmore built 85,000 cars last year, down 12 percent, and has made cars since 1987.
""",
        ),
        "20250613_f3a0000000000003": _doc(
            "Dunmore Standard",
            "Dunmore plant closure: 1,400 jobs lost",
            "2025-06-13",
            """
Orvell's decision to close the Dunmore plant will cost 1,400 jobs, the company said on Thursday, in a town of 30,000 people.

One of the workers, a welder for 22 years, said the news came as a shock.

The plant built 85,000 cars last year, 15 per cent fewer than in the year before, and Orvell said the closure would save £150m a year.
""",
        ),
    },
    differ=[
        {"20250612_f1a0000000000001": "1,400 jobs", "20250612_f2a0000000000002": "1,700 jobs"},
        {"20250612_f1a0000000000001": "12 per cent", "20250613_f3a0000000000003": "15 per cent"},
        {"20250612_f1a0000000000001": "£120m", "20250613_f3a0000000000003": "£150m"},
    ],
)

WILDFIRE = FigureStory(
    "hill-wildfire",
    {
        "20250805_g1a0000000000001": _doc(
            "Sierra Times",
            "Wildfire forces evacuations near Pinecrest",
            "2025-08-05",
            """
A wildfire in the hills above Pinecrest has burned 4,200 acres and destroyed 35 homes, fire officials said on Tuesday.

More than 600 firefighters and 12 helicopters are fighting the blaze, which was 20 percent contained by Tuesday evening.

About 3,000 residents have been told to leave, and two firefighters were treated for minor injuries.
""",
        ),
        "20250805_g2a0000000000002": _doc(
            "Valley Record",
            "Pinecrest fire grows to 4,200 acres",
            "2025-08-05",
            """
The fire above Pinecrest has grown to 4,200 acres and destroyed 48 homes, officials said on Tuesday.

Some 650 firefighters, backed by 12 helicopters, had the fire 20% contained by the evening.

Roughly 3,000 people have been ordered out of their homes; two firefighters suffered minor injuries.
""",
        ),
        "20250806_g3a0000000000003": _doc(
            "Mountain News",
            "Crews gain ground on Pinecrest wildfire",
            "2025-08-06",
            """
Firefighters gained ground on Tuesday against the wildfire above Pinecrest, which has burned some 1,700 hectares and destroyed 35 homes.

The blaze was 35 percent contained by Tuesday night, with more than 600 firefighters on the lines.

Between 2,500 and 3,000 residents remain under evacuation orders.
""",
        ),
    },
    differ=[
        {"20250805_g1a0000000000001": "35 homes", "20250805_g2a0000000000002": "48 homes"},
        {"20250805_g1a0000000000001": "20 percent", "20250806_g3a0000000000003": "35 percent"},
    ],
)

STORIES = (BUS, STADIUM, FLOOD, POLL, FACTORY, WILDFIRE)
#: The stories bench/quality_figures.py tunes on; it reports on the others.
TUNE = ("bus-crash", "river-flood", "factory-closure")
