"""Render a :class:`Report` as Markdown for people to read.

>>> from newsprism.report.schema import Report, StoryOut
>>> md = render_markdown(Report(story=StoryOut(id="s", title="A story", articles=[])))
>>> md.splitlines()[0]
'# A story'
"""

from __future__ import annotations

from collections import Counter

from newsprism.report.schema import Report


def _cell(text: str | None, limit: int = 80) -> str:
    text = " ".join((text or "").split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


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

    out += ["## Articles", "", "| id | outlet | title | published | words | sentences | artifacts |",
            "|---|---|---|---|---:|---:|---:|"]
    ann = {a.article: a for a in report.annotations}
    arts = Counter(x.span.article for x in report.artifacts)
    for a in story.articles:
        published = a.published.strftime("%Y-%m-%d %H:%M") if a.published else "–"
        n_sent = len(ann[a.id].sentences) if a.id in ann else 0
        out.append(f"| `{a.id}` | {_cell(a.outlet, 40)} | {_cell(a.title, 60)} | {published} | "
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
