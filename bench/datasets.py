"""Loaders that turn the shared evaluation data into multi-outlet stories for benchmarks.

The data lives beside the project (``../shared/data``, override with ``NEWSPRISM_DATA``) and is never
copied into the repository. Every loader keeps the dataset's own sentence split: ``BenchArticle.sentences``
holds the character span of each dataset sentence inside ``BenchArticle.text``, so a gold reference
``(article id, sentence index)`` resolves to the same text on every machine.

Text layout (both datasets): paragraphs joined with ``"\\n\\n"``, sentences within a paragraph joined with
``" "``. NewsWCL50 is tokenised; it is detokenised with one fixed rule (see ``_detokenise``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DATA",
    "BenchArticle",
    "BenchStory",
    "DataNotFound",
    "basil_stories",
    "data_available",
    "newswcl50_stories",
    "require_data",
    "sentence_sha1",
    "sentence_text",
    "stories",
]

_DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DATA: Path = (
    Path(os.environ["NEWSPRISM_DATA"]).expanduser() if os.environ.get("NEWSPRISM_DATA") else _DEFAULT_DATA
)


@dataclass(frozen=True)
class BenchArticle:
    id: str  # BASIL: "<triplet-uuid>:<source>"; NewsWCL50: doc_id such as "0_LL"
    outlet: str
    title: str
    published: str | None
    text: str
    sentences: list[tuple[int, int]]  # char spans of the dataset's own sentences in ``text``

    def sentence(self, index: int) -> str:
        start, end = self.sentences[index]
        return self.text[start:end]


@dataclass(frozen=True)
class BenchStory:
    id: str
    title: str
    articles: list[BenchArticle]

    def article(self, article_id: str) -> BenchArticle:
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(f"story {self.id!r} has no article {article_id!r}")


class DataNotFound(FileNotFoundError):
    """The shared evaluation data is not where the benchmarks expect it."""


def data_available(subdir: str | None = None) -> bool:
    path = DATA / subdir if subdir else DATA
    return path.is_dir()


def require_data(subdir: str | None = None, *, exit_on_missing: bool = False) -> Path:
    """Return ``DATA`` (or ``DATA/subdir``); raise ``DataNotFound`` with a clear message when absent.

    With ``exit_on_missing=True`` the message goes to stderr and the process exits with status 0, so a
    benchmark script skips cleanly on machines without the data.
    """
    path = DATA / subdir if subdir else DATA
    if path.is_dir():
        return path
    message = (
        f"data not found at {path}; benchmarks need ../shared/data beside the project "
        "(or set NEWSPRISM_DATA to its location)"
    )
    if exit_on_missing:
        print(f"skipped: {message}", file=sys.stderr)
        raise SystemExit(0)
    raise DataNotFound(message)


def sentence_text(story: BenchStory, ref: Mapping[str, object] | tuple[str, int]) -> str:
    """Resolve a gold reference (``{"article": id, "sentence": i}`` or ``(id, i)``) to its text."""
    raw_index: object
    if isinstance(ref, tuple):
        article_id, raw_index = ref
    else:
        article_id, raw_index = str(ref["article"]), ref["sentence"]
    if not isinstance(raw_index, int):
        raise TypeError(f"sentence index must be an int, got {raw_index!r}")
    return story.article(article_id).sentence(raw_index)


def sentence_sha1(text: str, length: int = 10) -> str:
    """Short sha1 prefix of a sentence's text, stored in gold files to detect drift."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def _assemble(paragraphs: Iterable[Iterable[str]]) -> tuple[str, list[tuple[int, int]]]:
    """Join paragraphs with a blank line and sentences with a space; return text and sentence spans."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for paragraph in paragraphs:
        sentences = list(paragraph)
        if not sentences:
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        for k, sentence in enumerate(sentences):
            if k:
                parts.append(" ")
                pos += 1
            parts.append(sentence)
            spans.append((pos, pos + len(sentence)))
            pos += len(sentence)
    return "".join(parts), spans


# --------------------------------------------------------------------------------------------- BASIL

_BASIL_OUTLETS = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}
_BASIL_ORDER = {"fox": 0, "nyt": 1, "hpo": 2}


def basil_stories(root: Path | None = None) -> list[BenchStory]:
    """BASIL triples: one story per ``triplet-uuid``, articles from Fox News, NYT and HuffPost.

    Story id is the triplet uuid; article id is ``"<triplet-uuid>:<source>"`` (source lower-cased).
    Sentences are BASIL's own (``body-paragraphs`` is a list of paragraphs, each a list of sentences);
    each sentence is whitespace-stripped, and empty sentences keep an empty span so indices stay aligned.
    """
    root = root if root is not None else require_data("basil")
    files = sorted((root / "articles").glob("*/*.json"))
    if not files:
        raise DataNotFound(f"no BASIL articles under {root / 'articles'}")
    grouped: dict[str, list[tuple[str, dict[str, object]]]] = defaultdict(list)
    for path in files:
        record = json.loads(path.read_text(encoding="utf-8"))
        grouped[str(record["triplet-uuid"])].append((path.parent.name, record))
    stories: list[BenchStory] = []
    for triplet, records in sorted(grouped.items(), key=lambda kv: (min(y for y, _ in kv[1]), kv[0])):
        articles: list[BenchArticle] = []
        for _, record in sorted(records, key=lambda yr: _BASIL_ORDER.get(str(yr[1]["source"]).lower(), 9)):
            source = str(record["source"]).lower()
            paragraphs = record["body-paragraphs"]
            assert isinstance(paragraphs, list)
            text, spans = _assemble([[str(s).strip() for s in paragraph] for paragraph in paragraphs])
            articles.append(
                BenchArticle(
                    id=f"{triplet}:{source}",
                    outlet=_BASIL_OUTLETS.get(source, source),
                    title=str(record.get("title") or "").strip(),
                    published=str(record["date"]) if record.get("date") else None,
                    text=text,
                    sentences=spans,
                )
            )
        event = next((str(r.get("main-event") or "") for _, r in records if r.get("main-event")), "")
        stories.append(BenchStory(id=triplet, title=event.strip() or articles[0].title, articles=articles))
    return stories


# ----------------------------------------------------------------------------------------- NewsWCL50

_WCL_OUTLETS = {
    "LL": "HuffPost",
    "L": "The New York Times",
    "M": "USA Today",
    "R": "Fox News",
    "RR": "Breitbart",
}
_WCL_ORDER = {"LL": 0, "L": 1, "M": 2, "R": 3, "RR": 4}
# Short neutral event labels (our words, not article text).
_WCL_EVENTS = {
    "0": "Pompeo's secret visit to North Korea; Trump meets Abe at Mar-a-Lago",
    "1": "Justice Department gives Congress the Comey memos",
    "2": "North Korea announces a halt to its nuclear and missile testing",
    "3": "The DNC's civil suit alleging a 2016 election conspiracy",
    "4": "Macron's state visit; Trump on the Iran nuclear deal",
}

# Detokenisation rule, applied token by token:
#   no space before: , . ; : ? ! % ) ] … ... ' ’ ” and clitics (n't 's 've 'll 'm 're 'd, also with ’)
#   no space after:  ( [ $ “ ‘
#   "-" joins both sides (the tokeniser splits hyphenated words: "Mar - a - Lago" -> "Mar-a-Lago")
#   straight double quotes alternate open/close within a paragraph (first one opens; one after a “
#   closes); a straight single quote closes a pending ‘ or ', opens when another one follows in the
#   paragraph, and is otherwise an apostrophe (attached to the word before it)
#   a token "\n" ends a paragraph (rendered as a blank line); whitespace-only tokens are dropped
_NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", "%", ")", "]", "…", "...", "’", "”"}
_NO_SPACE_AFTER = {"(", "[", "$", "“", "‘"}
_CLITIC = re.compile(r"^(?:n['’]t|['’](?:s|ve|ll|m|re|d))$", re.IGNORECASE)
_NEWLINE = "\\n"


def _detokenise(sentences: list[list[str]]) -> tuple[str, list[tuple[int, int]]]:
    """Render one document's tokenised sentences; return text and one span per sentence."""
    stream = [(i, t) for i, tokens in enumerate(sentences) for t in (raw.strip() for raw in tokens) if t]
    # a straight single quote with no other one after it in its paragraph is an apostrophe ("aides' ")
    later_single = [False] * len(stream)
    seen = False
    for k in range(len(stream) - 1, -1, -1):
        token = stream[k][1]
        if token == _NEWLINE:
            seen = False
        later_single[k] = seen
        if token == "'":
            seen = True

    out: list[str] = []
    pos = 0
    starts: list[int | None] = [None] * len(sentences)
    ends = [0] * len(sentences)
    para_open = pending_break = glue_next = False  # glue_next: the previous token forbids a space after
    open_double = open_single = False
    for k, (i, token) in enumerate(stream):
        if token == _NEWLINE:
            pending_break = pending_break or para_open
            continue
        if pending_break:
            out.append("\n\n")
            pos += 2
            pending_break = para_open = glue_next = open_double = open_single = False
        attach_left = token in _NO_SPACE_BEFORE or token == "-" or bool(_CLITIC.match(token))
        attach_right = token in _NO_SPACE_AFTER or token == "-"
        if token == '"':
            attach_left, attach_right = open_double, not open_double
            open_double = not open_double
        elif token == "'":
            if open_single or not later_single[k]:
                attach_left, attach_right, open_single = True, False, False
            else:
                attach_left, attach_right, open_single = False, True, True
        elif token == "‘":
            open_single = True
        elif token == "“":
            open_double = True
        if para_open and not glue_next and not attach_left:
            out.append(" ")
            pos += 1
        if starts[i] is None:
            starts[i] = pos
        out.append(token)
        pos += len(token)
        ends[i] = pos
        para_open, glue_next = True, attach_right
    spans: list[tuple[int, int]] = []
    for i, start in enumerate(starts):
        if start is None:  # a sentence with no visible token: empty span where it would have been
            at = spans[-1][1] if spans else 0
            spans.append((at, at))
        else:
            spans.append((start, ends[i]))
    return "".join(out), spans


def _wcl_title(text: str, spans: list[tuple[int, int]]) -> str:
    """The first line (NewsWCL50 keeps the headline there); the lede sentence when the text opens
    with a dateline instead ("WASHINGTON —"), as the NYT articles do."""
    if len(spans) > 1 and re.search(r"[—–-]$", text[spans[0][0] : spans[0][1]]):
        return text[spans[1][0] : spans[1][1]].split("\n", 1)[0].strip()
    return text.split("\n", 1)[0].strip()


def _wcl_published(url: str) -> str | None:
    match = re.search(r"/(20\d\d)/(\d\d)/(\d\d)/", url)
    return "-".join(match.groups()) if match else None


def newswcl50_stories(root: Path | None = None) -> list[BenchStory]:
    """NewsWCL50 events 0–4, five outlets each (HuffPost, NYT, USA Today, Fox News, Breitbart).

    Story id is ``"newswcl50-<event>"``; article id is the dataset's ``doc_id`` (``"0_LL"`` …).
    Sentences are the dataset's own ``sent_id`` (0-based, contiguous), detokenised by ``_detokenise``.
    """
    root = root if root is not None else require_data("newswcl50")
    conll = root / "conll.csv"
    if not conll.is_file():
        raise DataNotFound(f"no NewsWCL50 conll.csv at {conll}")
    tokens: dict[str, dict[int, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    with conll.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            tokens[row["doc_id"]][int(row["sent_id"])].append((int(row["token_id"]), row["token"]))
    urls: dict[tuple[str, str], str] = {}
    urls_file = root / "urls.tsv"
    if urls_file.is_file():
        with urls_file.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                urls[(row["Event ID"].strip(), row["Outlet"].strip())] = row["URL"].strip()
    by_event: dict[str, list[BenchArticle]] = defaultdict(list)
    for doc_id, sents in tokens.items():
        event, outlet = doc_id.split("_", 1)
        n = max(sents) + 1
        ordered = [[tok for _, tok in sorted(sents.get(i, []))] for i in range(n)]
        text, spans = _detokenise(ordered)
        by_event[event].append(
            BenchArticle(
                id=doc_id,
                outlet=_WCL_OUTLETS.get(outlet, outlet),
                title=_wcl_title(text, spans),
                published=_wcl_published(urls.get((event, outlet), "")),
                text=text,
                sentences=spans,
            )
        )
    return [
        BenchStory(
            id=f"newswcl50-{event}",
            title=_WCL_EVENTS.get(event, f"NewsWCL50 event {event}"),
            articles=sorted(arts, key=lambda a: _WCL_ORDER.get(a.id.split("_", 1)[1], 9)),
        )
        for event, arts in sorted(by_event.items(), key=lambda kv: int(kv[0]))
    ]


def stories(dataset: str, root: Path | None = None) -> list[BenchStory]:
    """``stories("basil")`` or ``stories("newswcl50")``."""
    loaders = {"basil": basil_stories, "newswcl50": newswcl50_stories}
    if dataset not in loaders:
        raise ValueError(f"unknown dataset {dataset!r}; expected one of {sorted(loaders)}")
    return loaders[dataset](root)
