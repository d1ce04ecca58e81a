"""HTML files through trafilatura: text, metadata, dates, captions, errors."""

from __future__ import annotations

from pathlib import Path

from newsprism.ingest import load
from newsprism.ingest.html import html_fragment_text, parse_html

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Osk Ferry Resumes Service</title>
<meta property="og:site_name" content="Brenmoor Courier">
<link rel="canonical" href="https://www.brenmoor-courier.example/2024/03/osk-ferry-resumes">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
"datePublished": "2024-03-05T08:15:00Z", "author": {"name": "Ana Pell"}}</script>
</head><body><header><a href="/">Brenmoor Courier</a></header>
<main><article><h1>Osk Ferry Resumes Service</h1>
<p>The ferry between Brenmoor and Osk Island resumed service on Monday after a two-week pause
for engine repairs, the harbour office said in a statement.</p>
<figure><img src="ferry.jpg" alt="">
<figcaption>The ferry leaving Brenmoor harbour at dawn.</figcaption></figure>
<p>Tickets for the first crossing sold out by noon, and the operator added an evening run.
Captain Ilse Marr said the new engine was quieter and burned less fuel.</p>
<h2>A quieter crossing</h2>
<ul><li>Two crossings a day in winter.</li><li>Fares stay the same this year.</li></ul>
<p>The harbour office expects the winter timetable to start in November, with two crossings
a day instead of four, the office said on its website.</p>
</article></main><footer>Subscribe to the Courier for more.</footer></body></html>"""


def test_html_file(tmp_path: Path) -> None:
    path = tmp_path / "courier-ferry.html"
    path.write_text(PAGE, encoding="utf-8")
    result = load(path)
    assert not result.errors
    (a,) = result.articles
    assert a.id == "courier-ferry"  # files are named by their stem, not their canonical URL
    assert a.title == "Osk Ferry Resumes Service"
    assert a.outlet == "Brenmoor Courier"
    assert a.published is not None and a.published.isoformat() == "2024-03-05T08:15:00+00:00"
    assert not a.text.startswith("Osk Ferry Resumes Service")  # the <h1> headline is the title
    paras = [a.text[s:e] for s, e in a.paragraphs]
    assert paras[0].startswith("The ferry between Brenmoor and Osk Island resumed service on Monday")
    assert "• Two crossings a day in winter." in paras
    kinds = {a.text[x.start : x.end]: x.kind for x in a.artifacts}
    assert kinds.get("A quieter crossing") == "section_label"
    assert "Subscribe" not in a.text


def test_figcaption_kept_by_extractor_is_marked() -> None:
    page = PAGE.replace("<figure>", "<p>The ferry leaving Brenmoor harbour at dawn.</p><figure>")
    d = parse_html(page, source="p.html")
    assert "The ferry leaving Brenmoor harbour at dawn." in d.captions
    from newsprism.ingest.common import build_article

    a = build_article(d, source="p.html", fallback_id="p", fallback_outlet="p")
    kinds = {a.text[x.start : x.end]: x.kind for x in a.artifacts}
    assert kinds["The ferry leaving Brenmoor harbour at dawn."] == "caption"


def test_meta_charset_cp1252(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "<title>Caf\u00e9 Reopens</title></head><body><article><p>The caf\u00e9 on Quay Street "
        "reopened on Friday with a \u201cnew\u201d menu \u2014 and old prices, its owner Ren\u00e9e "
        "Skov said, after a month of repairs.</p><p>Regulars queued before the doors opened, and the "
        "first pastries were gone within the hour.</p></article></body></html>"
    )
    path = tmp_path / "cafe.htm"
    path.write_bytes(page.encode("cp1252"))
    (a,) = load(path).articles
    assert "caf\u00e9" in a.text and "\u201cnew\u201d menu \u2014" in a.text


def test_date_from_htmldate_when_no_meta(tmp_path: Path) -> None:
    page = PAGE.replace('"datePublished": "2024-03-05T08:15:00Z", ', "").replace(
        "<main>", "<main><p class='date'>Published 2023-11-20</p>"
    )
    path = tmp_path / "nodate.html"
    path.write_text(page, encoding="utf-8")
    (a,) = load(path).articles
    assert a.published is not None and a.published.date().isoformat() == "2023-11-20"


def test_page_without_article(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    result = load(path)
    (err,) = result.errors
    assert err.code == "no_article" and err.source == str(path)
    assert "article" in err.fix


def test_fragment_text() -> None:
    assert html_fragment_text("Plain summary.") == "Plain summary."
    assert (
        html_fragment_text("<p>One\n two</p><p>Three<br>Four</p><script>x()</script>")
        == "One two\nThree\nFour"
    )
