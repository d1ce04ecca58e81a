"""RSS/Atom feeds: from files and from URLs, with entry links fetched when allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.ingest import Fetcher, load

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Vell Valley Post</title>
<entry><title>Orchard Harvest Starts Early</title><link href="https://vell-post.example/orchard"/>
<updated>2024-09-02T07:00:00+02:00</updated><author><name>Tom Reyes</name></author>
<content type="html">&lt;p&gt;Growers in the Vell valley began the apple harvest a week early.&lt;/p&gt;
&lt;p&gt;A warm August ripened the fruit sooner than usual, the growers' association said.&lt;/p&gt;</content>
</entry>
<entry><title>No Body Here</title></entry>
</feed>"""


def test_rss_file_without_fetching(tmp_path: Path, feed_xml: str) -> None:
    path = tmp_path / "osk.xml"
    path.write_text(feed_xml.format(base="https://osk-daily.example"), encoding="utf-8")
    result = load(path)
    assert not result.errors
    dam, pier = result.articles
    assert dam.outlet == "Osk Daily"
    assert dam.title == "Dam Holds After Storm"
    assert dam.id == "osk-daily-example-dam"
    assert dam.published is not None and dam.published.isoformat() == "2024-03-05T09:30:00+01:00"
    assert len(dam.paragraphs) == 2  # HTML paragraphs of the summary are kept
    assert "<p>" not in dam.text
    assert pier.text == "The council backed a new pier. Read on."
    feed_rec, rec1, rec2 = result.inputs
    assert (feed_rec.source, feed_rec.kind, feed_rec.article_ids) == (str(path), "feed", (dam.id, pier.id))
    assert rec1.source == f"{path}#1" and rec2.source == f"{path}#2"
    assert "fetching links is off" in rec2.message


def test_atom_file_with_entry_failure(tmp_path: Path) -> None:
    path = tmp_path / "vell.atom"
    path.write_text(ATOM, encoding="utf-8")
    result = load(path)
    (a,) = result.articles
    assert (a.outlet, a.author, a.url) == (
        "Vell Valley Post",
        "Tom Reyes",
        "https://vell-post.example/orchard",
    )
    assert a.published is not None and a.published.utcoffset() is not None
    (err,) = result.errors
    assert (err.code, err.source) == ("empty", f"{path}#2")
    assert [r.status for r in result.inputs] == ["ok", "ok", "failed"]


def test_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<?xml version='1.0'?><rss><channel><title>Broken & </ch", encoding="utf-8")
    assert [e.code for e in load(path).errors] == ["bad_feed"]
    other = tmp_path / "catalog.xml"
    other.write_text("<?xml version='1.0'?><catalog><book>Tides</book></catalog>", encoding="utf-8")
    assert [e.code for e in load(other).errors] == ["bad_feed"]
    empty = tmp_path / "empty.rss"
    empty.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>")
    assert [e.code for e in load(empty).errors] == ["empty"]


def test_feed_sniffed_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "vell.feed"
    path.write_text(ATOM, encoding="utf-8")
    result = load(path)
    assert result.inputs[0].kind == "feed" and len(result.articles) == 1


@pytest.mark.network
def test_feed_url_fetches_short_entries(server) -> None:
    result = load(server.url("/feed.xml"))
    assert not result.errors
    dam, pier = result.articles
    assert dam.url == server.url("/dam.html")  # long summary: used as is, not fetched
    assert pier.title == "Osk Island Council Backs New Pier"  # the linked page's own title
    assert pier.outlet == "Brenmoor Courier"
    assert "approved a new pier" in pier.text
    assert "fetched" in result.inputs[2].message


@pytest.mark.network
def test_feed_file_with_fetcher_and_failed_link(server, tmp_path: Path, feed_xml: str) -> None:
    path = tmp_path / "osk.rss"
    path.write_text(feed_xml.format(base=server.base).replace("/linked.html", "/gone"), encoding="utf-8")
    with Fetcher() as fetcher:
        result = load(path, fetcher=fetcher)
    assert len(result.articles) == 2  # the entry falls back to its summary
    assert [e.code for e in result.errors] == ["http_error"]
    assert "used the feed summary" in result.inputs[2].message


@pytest.mark.network
def test_fetch_links_can_be_turned_off(server) -> None:
    result = load(server.url("/feed.xml"), fetch_links=False)
    assert result.articles[1].text == "The council backed a new pier. Read on."
