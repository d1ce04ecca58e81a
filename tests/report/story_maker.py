"""A fictional story at any size, as a finished :class:`Report`, for the report's tests at 5, 20 and 40 articles.

All text is ours: a bridge in the made-up town of Kessington closes over corroded cables. Each
article tells the shared facts in one of a few wordings and leaves some out; some articles are
wire copies of the one before (one provenance group); a few state a different repair cost (a
contradiction) or call a council member by another title (a second one); the mayor's quote is
altered by some; each of the first articles has a fact and a quote of its own (single-source
claims and single-outlet quotes). The claims, spans, brief, quotes and framing are computed from
the text, so every offset is right by construction: ``text[start:end] == span.text``.

It builds the report directly, without the pipeline (40 articles through the models take more than
a minute), so tests of the page can run at several sizes in seconds.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from newsprism.report.schema import (
    AnalysisStatus,
    ArticleOut,
    Claim,
    ClaimSupport,
    Contradiction,
    ContradictionSide,
    Framing,
    LoadedSpan,
    Provenance,
    ProvenancePair,
    Quote,
    QuoteOccurrence,
    Report,
    SpanOut,
    StoryOut,
    SummarySentence,
)

PLACES = ["Kessington", "Millbank", "Orrin Valley", "Quay Road", "East Bank", "Harrowgate", "Tamsworth", "Fenlow",
          "Brackley Vale", "Westmoor"]
KINDS = ["Courier", "Evening Chronicle and Riverside Advertiser", "Wire", "Post", "Daily Ledger", "Radio 4 News",
         "Gazette", "Herald"]
NAMES = ["Petra Lund", "Omar Haddad", "June Okafor", "Walt Sorensen", "Lena Brooks", "Ravi Menon", "Cora Blythe",
         "Tomas Ferreira", "Ada Nwosu", "Felix Marr", "Hana Ito", "Bruno Castell", "Mae Dorsey", "Ivo Petrak",
         "Greta Holm"]
SHOPS = ["bakery", "bike shop", "florist", "hardware store", "cafe", "barber shop", "bookshop", "deli",
         "laundromat", "pharmacy", "tailor", "print shop", "fish market", "toy shop", "newsstand"]

QUOTE = "We will not reopen the bridge until every cable is replaced"
ALTERED = "We will not reopen the bridge until every cable has been replaced"

#: the shared facts: (claim text, wordings); {cost} and {title} are where articles disagree
FACTS: list[tuple[str, list[str]]] = [
    ("The Orrin Street bridge in Kessington closed on Thursday after inspectors found corroded support cables.", [
        "The Orrin Street bridge in Kessington closed on Thursday after inspectors found corroded support cables.",
        "Kessington shut its {adj}Orrin Street bridge on Thursday once inspectors discovered corroded support cables.",
        "Inspectors found corroded support cables on the {adj}Orrin Street bridge, and Kessington closed it on "
        "Thursday."]),
    ("The city council approved {cost} for emergency repairs.", [
        "The city council approved {cost} for emergency repairs.",
        "Council members signed off on {cost} to pay for emergency repairs."]),
    ("About 9,000 vehicles a day will be detoured over the Millbank crossing.", [
        "About 9,000 vehicles a day will be detoured over the Millbank crossing.",
        "Roughly 9,000 cars and trucks a day now have to detour over the Millbank crossing."]),
    ("Mayor Ilse Varga said the bridge would stay shut until every cable is replaced.", [
        "“{quote},” Mayor Ilse Varga said.",
        "Mayor Ilse Varga told reporters: “{quote}.”"]),
    ("The bridge was built in 1958 and last rehabilitated in 1994.", [
        "The bridge was built in 1958 and last rehabilitated in 1994.",
        "Built in 1958, the span was last rehabilitated in 1994."]),
    ("Ferries across the Orrin will run every 20 minutes during the closure.", [
        "Ferries across the Orrin will run every 20 minutes during the closure.",
        "During the closure a ferry will cross the Orrin every 20 minutes."]),
    ("Repairs are expected to take at least four months.", [
        "Repairs are expected to take at least four months.",
        "The work should take four months or more, engineers said."]),
    ("{title} Tobias Wren voted against the spending, saying the work should be put out to bid.", [
        "{title} Tobias Wren voted against the spending, saying the work should be put out to bid.",
        "Only {title} Tobias Wren voted no; he said the work should go out to bid."]),
    ("Schools on the east bank will start 30 minutes later until the bridge reopens.", [
        "Schools on the east bank will start 30 minutes later until the bridge reopens.",
        "East-bank schools are pushing their start times back by half an hour until the bridge reopens."]),
]
COST, MINORITY_COST = "$3.2 million", "$2.3 million"
TITLE, OTHER_TITLE = "Council member", "Council President"


def outlet_name(k: int) -> str:
    """The ``k``-th fictional outlet (unique for k < 80); some names are long, to test the matrix headers."""
    return f"{PLACES[k % len(PLACES)]} {KINDS[(k // len(PLACES) + k) % len(KINDS)]}"


def _copies(k: int) -> bool:
    """Whether article ``k`` is a wire copy of article ``k - 1``."""
    return k % 5 == 4


def _carries(k: int, fact: int) -> bool:
    return fact < 2 or (k + fact) % 4 != 0


def _article_text(k: int) -> tuple[str, dict[str, list[tuple[int, int]]]]:
    """Article ``k``'s text and where its sentences are: key -> [(start, end)] (keys: f3, cost, own, …)."""
    src = k - 1 if _copies(k) else k
    paragraphs: list[tuple[str, str]] = []  # (key, sentence)
    for j, (_, wordings) in enumerate(FACTS):
        if not _carries(src, j):
            continue
        text = wordings[src % len(wordings)].format(
            cost=MINORITY_COST if src % 7 == 3 else COST,
            title=OTHER_TITLE if src % 6 == 5 else TITLE,
            quote=ALTERED if src % 8 == 2 else QUOTE,
            adj="crumbling " if src % 4 == 1 else "")
        paragraphs.append((f"f{j}", text))
    if src < len(NAMES):
        paragraphs.insert(2, ("own", f"{NAMES[src]}, who runs a {SHOPS[src]} on Quay Road, said business had "
                                     f"dropped by half since Thursday."))
        paragraphs.append(("ownq", f"“We feel cut off from the rest of town,” {NAMES[src]} said."))
    if src == 2:
        paragraphs.append(("varga2", "“The cables are older than most of us,” Varga added."))
    text, where = "", defaultdict(list)
    for key, sentence in paragraphs:
        if text:
            text += "\n\n"
        where[key].append((len(text), len(text) + len(sentence)))
        text += sentence
    return text, where


def _span(article: ArticleOut, start: int, end: int) -> SpanOut:
    return SpanOut(article=article.id, start=start, end=end, text=article.text[start:end])


def _find(article: ArticleOut, needle: str) -> SpanOut | None:
    i = article.text.find(needle)
    return None if i < 0 else _span(article, i, i + len(needle))


def story_report(n: int) -> Report:
    """The bridge story told by ``n`` fictional outlets (1 <= n <= 80), every analysis filled in."""
    if not 1 <= n <= 80:
        raise ValueError(f"story_report(n={n}): n must be between 1 and 80")
    t0 = datetime(2031, 4, 3, 6, 0, tzinfo=UTC)
    articles, where = [], {}
    for k in range(n):
        text, w = _article_text(k)
        a = ArticleOut(id=f"a{k:02d}", outlet=outlet_name(k), title=f"Orrin Street bridge closed ({k + 1})",
                       published=t0 + timedelta(minutes=17 * k), text=text)
        articles.append(a)
        where[a.id] = w
    group_of = {a.id: (f"a{k - 1:02d}" if _copies(k) and k >= 1 else a.id) for k, a in enumerate(articles)}
    groups: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        groups[group_of[a.id]].append(a.id)
    pairs = [ProvenancePair(a=f"a{k - 1:02d}", b=a.id, relation="copy", reuse=0.97, verbatim=0.97, paraphrase=1.0,
                            order=1.0, direction="a->b") for k, a in enumerate(articles) if _copies(k) and k >= 1]

    def indep(ids: list[str]) -> int:
        return len({group_of[i] for i in ids})

    claims: list[Claim] = []
    for j, (claim_text, _) in enumerate(FACTS):
        spans = [_span(a, s, e) for a in articles for s, e in where[a.id].get(f"f{j}", [])]
        sources = sorted({s.article for s in spans})
        if not sources:
            continue
        k_indep = indep(sources)
        claims.append(Claim(
            id=f"c{j + 1}", text=claim_text.format(cost=COST, title=TITLE), spans=spans, sources=sources,
            independent_sources=k_indep, single_source=k_indep < 2,
            omitted_by=[a.id for a in articles if a.id not in sources] if k_indep >= 2 else [],
            importance=1.0 - j / 20, support=[ClaimSupport(article=s.article, level="states", span=s) for s in spans]))
    for a in articles:
        for s, e in where[a.id].get("own", []):
            ids = groups[group_of[a.id]] if a.id == group_of[a.id] else []
            if not ids:
                continue  # a copy's own fact is its source's claim
            spans = [_span(b, *where[b.id]["own"][0]) for b in articles if b.id in ids]
            claims.append(Claim(id=f"c{len(claims) + 1}", text=a.text[s:e], spans=spans, sources=ids,
                                independent_sources=1, single_source=True, importance=0.3))

    contradictions = []
    for xid, kind, subject, values in (("x1", "number", "amount (USD) in “The city council approved…”",
                                        (COST, MINORITY_COST)),
                                       ("x2", "role", "Tobias Wren's title", (TITLE, OTHER_TITLE))):
        sides = []
        for value in values:
            needle = value + (" Tobias Wren" if kind == "role" else "")  # "Council member" is in "Council members"
            found = [(a, sp) for a in articles if (sp := _find(a, needle)) is not None]
            spans = [_span(a, sp.start, sp.start + len(value)) for a, sp in found]
            if spans:
                sides.append(ContradictionSide(value=value, spans=spans, articles=[sp.article for sp in spans]))
        if len(sides) == 2:
            sides.sort(key=lambda sd: -len(sd.spans))
            contradictions.append(Contradiction(id=xid, kind=kind, subject=subject, sides=sides,  # type: ignore[arg-type]
                                                why=f"{subject}: {values[0]} vs {values[1]}"))

    quotes = []
    occ = []
    for a in articles:
        for needle, variant in ((QUOTE, "verbatim"), (ALTERED, "altered")):
            sp = _find(a, needle)
            if sp is not None and not (variant == "verbatim" and _find(a, ALTERED)):
                occ.append(QuoteOccurrence(span=sp, direct=True, speaker_as_written="Mayor Ilse Varga",
                                           variant=variant,  # type: ignore[arg-type]
                                           diff="every cable is -> every cable has been" if variant == "altered"
                                           else None))
    if occ:
        quotes.append(Quote(id="q1", speaker="Ilse Varga", text=QUOTE, occurrences=occ))
    for a in articles:
        for s, e in where[a.id].get("ownq", []):
            inner = a.text[s + 1:a.text.index("”", s)].rstrip(",")
            speaker = a.text[a.text.index("”", s) + 2:e - len(" said.")]
            quotes.append(Quote(id=f"q{len(quotes) + 1}", speaker=speaker, text=inner, occurrences=[
                QuoteOccurrence(span=_find(a, inner) or _span(a, s, e), direct=True, variant="verbatim")]))
        for s, e in where[a.id].get("varga2", []):
            inner = "The cables are older than most of us"
            quotes.append(Quote(id=f"q{len(quotes) + 1}", speaker="Ilse Varga", text=inner, occurrences=[
                QuoteOccurrence(span=_find(a, inner) or _span(a, s, e), direct=True, variant="verbatim")]))

    by_id = {c.id: c for c in claims}
    summary = []
    for cid in ("c1", "c2", "c3", "c4"):
        c = by_id.get(cid)
        if c is None:
            continue
        one_each = list({sp.article: sp for sp in c.spans}.values())
        touching = [x.id for x in contradictions
                    if any(xs.article == cs.article and xs.start < cs.end and cs.start < xs.end
                           for sd in x.sides for xs in sd.spans for cs in c.spans)]
        summary.append(SummarySentence(text=c.text, cites=[cid], sources=c.sources, spans=one_each,
                                       single_source=c.single_source, independent_sources=c.independent_sources,
                                       disputed=touching))

    framing = []
    for a in articles:
        loaded = [LoadedSpan(span=sp, why="loaded adjective", category="loaded_word")
                  for sp in [_find(a, "crumbling")] if sp is not None]
        framing.append(Framing(article=a.id, loaded=loaded, subjectivity=0.1 + 0.3 * len(loaded),
                               explanation=f"loaded {len(loaded)} phrase(s)",
                               omits=[c.id for c in claims if a.id in c.omitted_by]))
    ranked = sorted(framing, key=lambda f: (f.subjectivity, f.article))
    framing = [f.model_copy(update={"rank": ranked.index(f) + 1}) for f in framing]

    return Report(
        generated_at=datetime(2031, 4, 4, 12, 0, tzinfo=UTC),
        story=StoryOut(id=f"orrin-bridge-{n}", title=f"Kessington closes the Orrin Street bridge ({n} outlets)",
                       articles=articles),
        claims=claims, contradictions=contradictions, quotes=quotes,
        provenance=Provenance(pairs=pairs, groups=[g for g in groups.values()]),
        framing=framing, summary=summary,
        analyses=[AnalysisStatus(name=name, status="done") for name in
                  ("claims", "provenance", "contradictions", "quotes", "framing", "summary")],
    )
