"""A fictional news archive from templates, for the batch tests and ``bench/bench_batch.py``.

Every town, outlet, person and number is invented. Each story is one event (a ferry halt, a
bridge closure, ...) in one fictional town; several outlets write it up in their own words with
the same facts, on dates a day or two apart; wire copies (exact) and lightly edited copies (near
duplicates) are mixed in, as in a real crawl. The same ``seed`` always gives the same archive.

>>> rows = fictional_archive(stories=3, outlets=4, seed=1)
>>> len(rows), sorted(rows[0])
(15, ['id', 'outlet', 'published', 'text', 'title', 'url'])
>>> rows == fictional_archive(stories=3, outlets=4, seed=1)
True
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

__all__ = ["fictional_archive"]

_TOWNS = ["Osk", "Varrow", "Tellin", "Brisca", "Maldon Reach", "Quern", "Harrowgate Bay", "Lume", "Corvath",
          "Pellin", "Ardsey", "Norrick", "Silvane", "Tobermere", "Eskby", "Drumlow", "Fenwick Cross", "Ivel",
          "Kestrel Point", "Yarrowby", "Wendmoor", "Calder Rise", "Ostrel", "Hallam Ford"]
_PEOPLE = ["Ana Pell", "Tomas Reyes", "Ilse Varga", "Joren Hale", "Marit Osei", "Dov Kallas", "Renata Brill",
           "Sefa Olund", "Piet Corrin", "Lena Marsh", "Hugo Tarrant", "Noor Haddad", "Emil Strand", "Cass Orton"]
_ROLES = ["mayor", "harbour master", "fire chief", "council leader", "transport officer", "police spokesperson"]
_OUTLETS = ["Osk Daily", "Harbor Gazette", "The Northern Ledger", "Valley Courier", "Coastline Post",
            "Metro Wire", "The Evening Lantern", "Riverside Herald", "Island Times", "Plains Observer"]

# an event: a headline, then facts, each in three wordings (outlets pick their own); {t} town, {n} a count,
# {m} a second number, {p} a person, {r} a role, {d} a weekday
_EVENTS = [
    ("Ferry service to {t} halted after engine failure", [
        ["The ferry to {t} stopped running on {d} after an engine failure left {n} passengers stranded.",
         "An engine broke down on the {t} ferry on {d}, and {n} travellers were stuck at the quay.",
         "{n} people could not cross to {t} on {d} when the ferry's engine failed."],
        ["{p}, the {r}, said repairs would take about {m} days.",
         "Mechanics need roughly {m} days to fix the boat, according to {p}, the {r}.",
         "The {r}, {p}, expects the vessel back in service within {m} days."],
        ["A replacement boat will carry passengers from the old pier.",
         "Until then a smaller chartered vessel sails from the old landing stage.",
         "Travellers are being offered seats on a hired launch leaving from the former jetty."],
        ["Islanders depend on the crossing for food and medicine.",
         "Shops on the island receive nearly all their supplies by that route.",
         "Without the boat, pharmacies there run short within a week, locals warned."],
    ]),
    ("Bridge in {t} closed over cracks in its main span", [
        ["Engineers closed the main bridge in {t} on {d} after finding {n} cracks in its central span.",
         "Inspectors shut {t}'s main bridge on {d} once they counted {n} fractures in the middle section.",
         "{n} cracks discovered in the centre of the {t} bridge forced its closure on {d}."],
        ["{p}, the {r}, said it would stay shut for at least {m} weeks.",
         "It will remain closed for {m} weeks or longer, the {r}, {p}, told residents.",
         "According to {p}, the {r}, reopening is at least {m} weeks away."],
        ["Drivers face a long detour through the valley road.",
         "Motorists must now go round by the valley route, adding a lengthy diversion.",
         "Traffic is being sent the long way, over the hill road through the valley."],
        ["An inspection last spring had found no damage.",
         "Checks carried out in April reported the structure sound.",
         "The previous survey, done in spring, flagged nothing wrong with the span."],
    ]),
    ("Fire destroys warehouse on {t} waterfront", [
        ["A fire destroyed a warehouse on the {t} waterfront early on {d}, and {n} firefighters fought the blaze.",
         "Flames gutted a storage building by the {t} harbour before dawn on {d} as {n} firefighters battled them.",
         "{n} firefighters were called to the {t} quayside on {d} morning, where a warehouse burned to the ground."],
        ["{p}, the {r}, said nobody was hurt and the cause was not yet known.",
         "No injuries were reported, and investigators have not found what started it, {p}, the {r}, said.",
         "The {r}, {p}, confirmed there were no casualties; the origin of the fire remains unclear."],
        ["Smoke could be seen {m} kilometres away.",
         "A plume of smoke was visible from {m} kilometres off.",
         "Witnesses as far as {m} kilometres away reported seeing dark clouds."],
        ["The building stored fishing nets and boat engines.",
         "Inside were nets, outboard motors and other gear belonging to local crews.",
         "Fishermen had kept their equipment, including engines, in the shed."],
    ]),
    ("Flooding forces {n} families from homes in {t}", [
        ["Heavy rain flooded the low streets of {t} on {d}, forcing {n} families to leave their homes.",
         "{n} households in {t} were evacuated on {d} as downpours submerged the lower districts.",
         "On {d}, water filled the low-lying roads of {t} and {n} families had to move out."],
        ["{p}, the {r}, said the river rose {m} metres in one night.",
         "The river climbed {m} metres overnight, according to {p}, the {r}.",
         "Overnight the water level went up by {m} metres, the {r}, {p}, reported."],
        ["Volunteers filled sandbags at the school gym until late evening.",
         "Dozens of helpers packed sandbags in the school sports hall into the night.",
         "Neighbours gathered at the gymnasium to fill bags with sand for hours."],
        ["More rain is expected before the weekend.",
         "Forecasters predict further showers ahead of Saturday.",
         "The weather service warned of another wet spell in the coming days."],
    ]),
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# what outlets add of their own
_COLOUR = ["Officials gave no further details.", "More updates are expected later this week.",
           "Local radio first reported the news.", "Readers can send us their photos of the scene.",
           "The regional government has been asked to help.", "Opposition councillors called for an inquiry.",
           "Neighbouring towns offered assistance.", "Our reporter spoke to people at the scene.",
           "Insurance firms said claims were being assessed.", "A public meeting is planned for next month."]


def _fill(text: str, slots: dict[str, str]) -> str:
    return text.format(**slots)


def fictional_archive(stories: int = 20, outlets: int = 8, *, seed: int = 0, duplicates: float = 0.25,
                      start: datetime | None = None) -> list[dict[str, str]]:
    """JSON-ready article records (``id``, ``outlet``, ``title``, ``text``, ``url``, ``published``).

    ``stories`` events, each written up by ``outlets`` outlets (at most 10), plus about
    ``duplicates`` times as many copies: half exact wire copies, half lightly edited ones. Stories
    start a few days apart from ``start`` (default 1 March 2026, UTC).
    """
    rng = random.Random(seed)
    start = start or datetime(2026, 3, 1, 8, tzinfo=UTC)
    rows: list[dict[str, str]] = []
    for s in range(stories):
        headline, sentences = _EVENTS[s % len(_EVENTS)]
        town = _TOWNS[s % len(_TOWNS)] + ("" if s < len(_TOWNS) else f" {s // len(_TOWNS) + 1}")
        slots = {"t": town, "n": str(rng.randint(12, 900)), "m": str(rng.randint(2, 11)),
                 "p": rng.choice(_PEOPLE), "r": rng.choice(_ROLES), "d": rng.choice(_WEEKDAYS)}
        day = start + timedelta(days=3 * s, hours=rng.randint(0, 6))
        story_rows = []
        for o, outlet in enumerate(_OUTLETS[: max(1, min(outlets, len(_OUTLETS)))]):
            facts = [rng.choice(wordings) for wordings in sentences]
            rest = facts[1:]
            rng.shuffle(rest)  # each outlet tells the rest in its own order, in its own words
            body = [_fill(facts[0], slots)] + [_fill(f, slots) for f in rest] + rng.sample(_COLOUR, 2)
            slug = town.lower().replace(" ", "-")
            story_rows.append({
                "id": f"{slug}-{s}-{o}", "outlet": outlet, "title": _fill(headline, slots),
                "text": "\n\n".join(body),
                "url": f"https://{outlet.lower().replace(' ', '')}.example/{slug}/{s}",
                "published": (day + timedelta(hours=rng.randint(0, 40))).isoformat(),
            })
        for k in range(round(duplicates * len(story_rows))):
            src = story_rows[k % len(story_rows)]
            text = src["text"] if k % 2 == 0 else src["text"].replace(" said", " told reporters", 1)
            story_rows.append({**src, "id": f"{src['id']}-copy{k}", "outlet": f"Aggregator {k % 3 + 1}",
                               "text": text, "url": src["url"] + f"?copy={k}"})
        rows.extend(story_rows)
    return rows
