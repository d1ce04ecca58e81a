"""Render a :class:`Report` as Markdown for people to read.

>>> from newsprism.report.schema import Report, StoryOut
>>> md = render_markdown(Report(story=StoryOut(id="s", title="A story", articles=[])))
>>> md.splitlines()[0]
'# A story'
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from newsprism.report.html_wording import clean_wordings
from newsprism.report.schema import Claim, Report, SpanOut

#: the marks of support levels other than states (only the support judge gives them)
_MARK = {"partial": "◐", "contradicts": "✕"}


def _in_part(claim: Claim) -> bool:
    """Another article than the sources states part of the claim or contradicts it."""
    return any(s.level in _MARK and s.article not in claim.sources for s in claim.support)


def own_name(text: str, outlet: str) -> bool:
    """Whether ``text`` is just the outlet's name or its initials.

    >>> own_name("NPS", "Northstate Press Service"), own_name("(NPS)", "Northstate Press Service")
    (True, True)
    >>> own_name("$8.4 million", "The Brenmoor Bugle")
    False
    """
    words = [w for w in re.findall(r"[A-Za-z0-9]+", outlet) if w.lower() not in ("the", "of", "and")]
    key = re.sub(r"[^a-z0-9]", "", text.lower())
    names = {"".join(w.lower() for w in words), "".join(w[0].lower() for w in words)}
    return bool(key) and bool(words) and key in names


def _cell(text: str | None, limit: int = 80) -> str:
    text = " ".join((text or "").split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _claims_section(report: Report, limit: int = 40) -> list[str]:
    if not report.claims:
        return []
    ids = [a.id for a in report.story.articles]
    multi = [c for c in report.claims if not c.single_source]
    # stated by one independent source, but another article states part of it or contradicts it
    # (only the support judge tells): on neither list, shown in the table with their marks
    in_part = [c for c in report.claims if c.single_source and _in_part(c)]
    single = [c for c in report.claims if c.single_source and not _in_part(c)]
    out = ["## What the sources agree on", "",
           f"{len(report.claims)} claims: {len(multi)} carried by two or more independent sources, "
           f"{len(single)} resting on one. "
           "Columns are the articles (numbered as in the Articles table); ● carries the claim, · leaves it out"
           + ("; ◐ states part of it, ✕ contradicts it" if in_part or any(_in_part(c) for c in multi) else "")
           + ". "
           "*indep.* counts independent sources: articles that copy or rewrite one another count once.", "",
           "| claim | indep. | " + " | ".join(str(k) for k in range(1, len(ids) + 1)) + " |",
           "|---|---:|" + "---|" * len(ids)]
    for c in (multi + in_part)[:limit]:
        level = {s.article: s.level for s in c.support}
        marks = " | ".join("●" if a in c.sources else _MARK.get(level.get(a, ""), "·") for a in ids)
        out.append(f"| {_cell(c.text, 110)} | {c.independent_sources} | {marks} |")
    if len(multi) + len(in_part) > limit:
        out.append(f"| *… {len(multi) + len(in_part) - limit} more in report.json* | | "
                   + " | ".join("" for _ in ids) + " |")
    out.append("")
    if single:
        out += ["## Resting on a single source", "",
                "Reported by one outlet, or only by outlets that copy one another: check before relying on them.",
                ""]
        outlet = {a.id: a.outlet for a in report.story.articles}
        out += [f"- {_cell(c.text, 160)} — *{', '.join(outlet[s] for s in c.sources)}*" for c in single[:limit]]
        if len(single) > limit:
            out.append(f"- *… {len(single) - limit} more in report.json*")
        out.append("")
    outlet_of = {a.id: a.outlet for a in report.story.articles}
    # an outlet's own name or initials in its dateline ("BRENMOOR (NPS) —") is no detail of the story
    details = [(c, d) for c in multi for d in c.details if not own_name(d.text, outlet_of.get(d.article, ""))]
    if details:
        outlet = {a.id: a.outlet for a in report.story.articles}
        out += ["Details inside corroborated claims that only one outlet gives:", ""]
        out += [f"- “{_cell(d.text, 60)}” — *{outlet[d.article]}*, in: {_cell(c.text, 100)}"
                for c, d in details[:limit]]
        out.append("")
    if report.coverage:
        out += ["## What each article leaves out", "",
                "| article | carries | leaves out (of the corroborated claims) | only here |", "|---|---:|---:|---:|"]
        out += [f"| `{c.article}` | {len(c.carries)} | {len(c.omits)} | {len(c.single_source)} |"
                for c in report.coverage]
        out.append("")
    return out


def _glance(report: Report) -> str:
    """The claim matrix in one line: corroborated, single-source and disputed claims, independent sources."""
    spans: dict[str, list[SpanOut]] = defaultdict(list)  # by article: a claim checks only its own articles'
    for x in report.contradictions:
        for sd in x.sides:
            for sp in sd.spans:
                spans[sp.article].append(sp)
    disputed = sum(1 for c in report.claims
                   if any(s.level == "contradicts" for s in c.support)
                   or any(sp.start < cs.end and cs.start < sp.end
                          for cs in c.spans for sp in spans.get(cs.article, ())))
    multi = sum(1 for c in report.claims if not c.single_source)
    groups = {a for g in report.provenance.groups for a in g}
    independent = len(report.provenance.groups) + sum(1 for a in report.story.articles if a.id not in groups)
    n = len(report.story.articles)
    return (f"**At a glance:** {multi} corroborated claim{'' if multi == 1 else 's'}, "
            f"{len(report.claims) - multi} single-source, {disputed} disputed; "
            f"{independent} independent source{'' if independent == 1 else 's'} "
            f"among {n} article{'' if n == 1 else 's'}.")


def _brief_section(report: Report) -> list[str]:
    if not report.summary:
        return ["## Brief", "", _glance(report), ""] if report.claims else []
    number = {a.id: k for k, a in enumerate(report.story.articles, 1)}
    outlet = {a.id: a.outlet for a in report.story.articles}
    versus = {x.id: " vs ".join(sd.value for sd in x.sides) for x in report.contradictions}
    parts = []
    for k, s in enumerate(report.summary, 1):
        if s.single_source:
            names = ", ".join(outlet.get(a, a) for a in s.sources)
            copies = " — copies of one another" if len(s.sources) > 1 else ""
            cite = f"(one outlet only: {names}{copies})"
        else:
            nums = sorted(number[a] for a in s.sources if a in number)
            listed = ": " + ", ".join(str(n) for n in nums) if len(nums) <= 10 else ""
            cite = f"[{len(s.sources)} outlets · {s.independent_sources} independent{listed}]"
        disputed = "".join(f" **(disputed: {_cell(versus.get(x, 'outlets disagree'), 60)} — see Disputed)**"
                           for x in s.disputed)
        parts.append(f"{k}. {s.text} {cite}{disputed}")
    out = ["## Brief", "", _glance(report), "", *parts, "",
           "*In brackets: how many outlets state each sentence, how many of them are independent, "
           "and which (numbers from the Articles table).*", ""]
    info = report.summary_info
    if info and info.single_source:
        out += ["### Reported by one outlet only", ""]
        out += [f"- {_cell(c.text, 160)} — *{', '.join(outlet.get(a, a) for a in c.sources)}*"
                + (f" ({c.why})" if c.why else "") for c in info.single_source]
        out.append("")
    if info and info.dropped:
        out += ["### Generated sentences left out", ""]
        out += [f"- “{_cell(d.text, 140)}” — {d.reason}" for d in info.dropped]
        out.append("")
    if info and info.notes:
        out += [f"> {n}" for n in info.notes] + [""]
    return out


def _quotes_section(report: Report, limit: int = 25) -> list[str]:
    if not report.quotes:
        return []
    outlet = {a.id: a.outlet for a in report.story.articles}
    out = ["## Who said what", "",
           "Each quote across outlets. *verbatim* as most outlets carry it; *trimmed* / *extended*: fewer or "
           "more words; **altered**: words changed inside the quote marks; *paraphrase*: reported speech; "
           "**misattributed**: the same words given to someone else.", ""]
    for q in report.quotes[:limit]:
        out.append(f"**{q.speaker or 'unknown speaker'}**: “{_cell(q.text, 140)}”")
        for o in q.occurrences:
            variant = f"**{o.variant}**" if o.variant in ("altered", "misattributed") else o.variant
            extra = f" — {o.diff}" if o.diff else ""
            who = f" (as “{_cell(o.speaker_as_written, 40)}”)" if o.speaker_as_written else ""
            out.append(f"- *{outlet.get(o.span.article, o.span.article)}*: {variant}{who}{extra}")
        out.append("")
    if len(report.quotes) > limit:
        out += [f"*… {len(report.quotes) - limit} more quotes in report.json*", ""]
    return out


def _disputed_section(report: Report) -> list[str]:
    if not report.contradictions:
        return []
    outlet = {a.id: a.outlet for a in report.story.articles}
    out = ["## Disputed", "", "Where outlets state incompatible things. Sides are ordered by support: "
           "a lone outlet on one side is the one to check first.", ""]
    for c in report.contradictions:
        out.append(f"**{c.kind}: {c.subject}**" + (f" — {c.why}" if c.why else ""))
        for side in c.sides:
            names = ", ".join(outlet.get(a, a) for a in side.articles)
            example = _cell(side.spans[0].text, 110) if side.spans else ""
            out.append(f"- “{_cell(side.value, 60)}” — *{names}*: {example}")
        out.append("")
    return out


def _framing_section(report: Report, per_article: int = 6) -> list[str]:
    if not report.framing:
        return []
    outlet = {a.id: a.outlet for a in report.story.articles}
    rows = sorted(report.framing, key=lambda f: f.rank or 999)
    out = ["## How each article frames it", "",
           "From most neutral to most loaded. *loaded*: evaluative words outside quotation marks; "
           "*unattributed*: sentences that judge without a source; *voices*: quoted speakers by role.", "",
           "| rank | article | subjectivity | loaded | unattributed | voices | leaves out |",
           "|---:|---|---:|---:|---:|---|---:|"]
    for f in rows:
        voices = ", ".join(f"{role} {share:.0%}" for role, share in sorted(f.voice_shares.items(), key=lambda x: -x[1]))
        out.append(f"| {f.rank} | {_cell(outlet.get(f.article, f.article), 30)} | {f.subjectivity:.2f} | "
                   f"{len(f.loaded)} | {len(f.unattributed)} | {voices or '–'} | {len(f.omits)} |")
    out.append("")
    for f in rows:
        if not f.loaded and not f.unattributed:
            continue
        out.append(f"**{outlet.get(f.article, f.article)}** — {f.explanation}")
        out += [f"- “{_cell(x.span.text, 50)}” — {x.why}" for x in f.loaded[:per_article]]
        if len(f.loaded) > per_article:
            out.append(f"- *… {len(f.loaded) - per_article} more in report.json*")
        out += [f"- unattributed: “{_cell(o.span.text, 110)}”" for o in f.unattributed[:2]]
        out.append("")
    multi = [lab for lab in report.labels if len(lab.by_article) > 1]
    if multi:
        out += ["### How each outlet names the same actors", "", "| actor | " + " | ".join(
            _cell(outlet[a.id], 20) for a in report.story.articles) + " |",
            "|---|" + "---|" * len(report.story.articles)]
        for lab in multi[:15]:
            cells = []
            for a in report.story.articles:
                ws = lab.by_article.get(a.id, [])
                cells.append(_cell(", ".join(("**" + w + "**") if loaded else w
                                             for w, _, loaded in clean_wordings(ws)[:2]), 40) or "·")
            out.append(f"| {_cell(lab.actor, 30)} | " + " | ".join(cells) + " |")
        out.append("")
    return out


def _provenance_section(report: Report) -> list[str]:
    linked = [p for p in report.provenance.pairs if p.relation != "independent"]
    if not report.provenance.pairs:
        return []
    out = ["## Who copied or rewrote whom", ""]
    if not linked:
        return [*out, "No article copies or rewrites another: every article counts as an independent source.", ""]
    arrow = {"a->b": "→", "b->a": "←", "unknown": "–"}
    out += ["| article | | article | relation | verbatim | paraphrase | same order |",
            "|---|:-:|---|---|---:|---:|---:|"]
    out += [f"| `{p.a}` | {arrow[p.direction]} | `{p.b}` | {p.relation.replace('_', ' ')} | {p.verbatim:.0%} | "
            f"{p.paraphrase:.0%} | {p.order:.0%} |" for p in linked]
    groups = [g for g in report.provenance.groups if len(g) > 1]
    out += ["", "Counted as one source each: " + "; ".join(" + ".join(f"`{a}`" for a in g) for g in groups), ""]
    return out


def render_markdown(report: Report) -> str:
    """The report as Markdown: notes first, then articles, inputs, artifacts and annotations."""
    story = report.story
    out: list[str] = [f"# {story.title or story.id}", ""]
    out.append(f"*{len(story.articles)} article(s) · {report.generator} · "
               f"{report.generated_at:%Y-%m-%d %H:%M} UTC · schema `{report.schema_}`*")
    out.append("")
    if report.notes:
        out += ["> **Note:** " + n for n in report.notes] + [""]

    pending = [a.name for a in report.analyses if a.status != "done"]
    if pending:
        out += [f"Analyses not yet computed in this version: {', '.join(pending)}. "
                "Their sections are absent, not empty.", ""]

    out += (_brief_section(report) + _disputed_section(report) + _claims_section(report) + _quotes_section(report)
            + _provenance_section(report) + _framing_section(report))

    out += ["## Articles", "", "| # | id | outlet | title | published | words | sentences | artifacts |",
            "|---:|---|---|---|---|---:|---:|---:|"]
    ann = {a.article: a for a in report.annotations}
    arts = Counter(x.span.article for x in report.artifacts)
    for k, a in enumerate(story.articles, 1):
        published = a.published.strftime("%Y-%m-%d %H:%M") if a.published else "–"
        n_sent = len(ann[a.id].sentences) if a.id in ann else 0
        out.append(f"| {k} | `{a.id}` | {_cell(a.outlet, 40)} | {_cell(a.title, 60)} | {published} | "
                   f"{len(a.text.split())} | {n_sent} | {arts[a.id]} |")
    out.append("")

    problems = [i for i in report.inputs if i.status != "ok"]
    if problems:
        out += ["## Inputs that gave no article", ""]
        out += [f"- **{i.status}** `{i.source}`: {i.message}" for i in problems]
        out.append("")

    if report.artifacts:
        out += ["## Non-article lines found in bodies", "",
                "Marked, not deleted: analyses skip them, the text keeps them.", ""]
        out += [f"- `{x.span.article}` **{x.kind}**: “{_cell(x.span.text)}”" for x in report.artifacts]
        out.append("")

    if report.annotations:
        out += ["## Who and what each article names", ""]
        for an in report.annotations:
            people = Counter(e.span.text for e in an.entities if e.label == "PERSON")
            orgs = Counter(e.span.text for e in an.entities if e.label in ("ORG", "GPE", "NORP"))
            numbers = [q for q in an.quantities if q.kind not in ("date", "time", "ordinal")]
            dates = [q for q in an.quantities if q.kind in ("date", "time")]
            out.append(f"**`{an.article}`** — {len(an.sentences)} sentences")
            if people:
                out.append("- people: " + ", ".join(f"{p} ({n})" for p, n in people.most_common(8)))
            if orgs:
                out.append("- organisations and places: " + ", ".join(p for p, _ in orgs.most_common(8)))
            if numbers:
                out.append("- numbers: " + ", ".join(
                    f"“{_cell(q.span.text, 30)}”" + (f" = {q.value:g}" if q.value is not None else "")
                    + (f"–{q.value2:g}" if q.value2 is not None else "") for q in numbers[:10]))
            if dates:
                out.append("- dates: " + ", ".join(
                    f"“{_cell(q.span.text, 30)}”" + (f" = {q.iso}" if q.iso else "") for q in dates[:8]))
            out.append("")
    return "\n".join(out).rstrip() + "\n"
