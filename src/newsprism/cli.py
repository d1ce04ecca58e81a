"""The command line: parse, call one library function, print. Nothing else lives here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsprism import __version__
from newsprism.errors import ModelUnavailableError
from newsprism.nlp.embeddings import EMBEDDERS, get_embedder

if TYPE_CHECKING:
    from newsprism.analysis.brief.llm import ChatModel
    from newsprism.pipeline import AnalysisRun


FORMATS = ("json", "md", "html")
DEMO_STORY = Path(__file__).parent / "demo"

EPILOG = """\
examples:
  newsprism analyze story/                      every article file in a folder (txt, md, html, jsonl, rss)
  newsprism analyze a.html b.md https://example.org/news/item -o out/
  newsprism analyze feed.xml --format json      only report.json
  newsprism analyze story/ --embedder mpnet-torch   more accurate claim alignment (after `make mpnet`)
  newsprism demo                                the bundled fictional story

exit codes: 0 ok; 1 some inputs failed but a report was written; 2 nothing usable (no report)
"""


def _add_embedder(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--embedder", default="minilm-onnx", choices=sorted(EMBEDDERS),
                    help="sentence model (default: minilm-onnx, no torch needed). mpnet-torch aligns claims "
                         "more accurately, costs 1.2-3x the time and needs `make mpnet` first")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsprism",
        description="Read every outlet's article on one story and compare them claim by claim.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"newsprism {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sp: argparse.ArgumentParser, default_out: str) -> None:
        sp.add_argument("-o", "--out", type=Path, default=Path(default_out), metavar="DIR",
                        help=f"folder for report.json / report.md / report.html (default: {default_out})")
        sp.add_argument("--format", default="json,md,html", metavar="LIST",
                        help="comma-separated formats to write: json, md, html (default: all three)")
        sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar, only errors")
        _add_embedder(sp)

    a = sub.add_parser("analyze", help="analyse articles on one story and write a report",
                       description="Analyse every article given (files, folders, JSONL, feeds, URLs) "
                                   "as one story and write the report.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("sources", nargs="+", metavar="PATH|URL",
                   help="article files (.txt .md .html .jsonl .xml/.rss/.atom), folders of them, or http(s) URLs")
    a.add_argument("--title", help="story title for the report (default: the earliest headline)")
    a.add_argument("--length", type=int, default=160, metavar="WORDS",
                   help="word budget of the neutral brief (default: 160)")
    a.add_argument("--llm-url", metavar="URL",
                   help="OpenAI-compatible endpoint (e.g. http://127.0.0.1:8080/v1) for an abstractive brief; "
                        "every generated sentence is checked against its cited claims and dropped if it fails. "
                        "Key from $NEWSPRISM_LLM_KEY")
    a.add_argument("--llm-model", metavar="NAME", help="model name for --llm-url")
    a.add_argument("--judge-support", action="store_true",
                   help="experimental: judge every article against each claim's wording; a ● then means the "
                        "article states it (right far more often), ◐ states part of it, ✕ contradicts it, "
                        "but many true ● are missed (BENCHMARKS.md, 'Claim support')")
    common(a, "newsprism-report")

    d = sub.add_parser("demo", help="analyse the bundled fictional demo story",
                       description=f"Analyse the bundled demo story ({DEMO_STORY.resolve().name}): "
                                   "six fictional outlets on one fictional event.")
    common(d, "newsprism-demo")

    w = sub.add_parser("serve", help="run the web app (paste or link articles, browse reports, JSON API)",
                       description="Run newsprism's web app and JSON API (OpenAPI docs at /docs) over an "
                                   "embedded SQLite store. Needs the [web] extra. Loopback only by default: "
                                   "see docs/serve.md to put it behind a proxy.")
    w.add_argument("--db", type=Path, metavar="PATH",
                   help="SQLite file for the stories (default: newsprism.sqlite3 in your user data folder)")
    w.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    w.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    w.add_argument("--allow-private-urls", action="store_true",
                   help="let submitted URLs reach private, loopback and link-local addresses (off by default)")
    w.add_argument("--root-path", default="", metavar="PREFIX",
                   help="URL prefix when served behind a proxy under a sub-path, e.g. /newsprism")
    w.add_argument("--workers", type=int, default=None, help="analyses run at once (default: half the CPUs, 1 to 4)")
    w.add_argument("--allowed-host", action="append", dest="allowed_hosts", metavar="NAME",
                   help="a Host name to answer to besides loopback's, e.g. a proxy's public name (repeat; * = any)")
    w.add_argument("--max-articles", type=int, metavar="N",
                   help="articles per story, JSONL and feeds expanded (default: 200)")
    w.add_argument("--max-queue", type=int, metavar="N",
                   help="stories queued or running at once; more get 429 (default: 20)")
    w.add_argument("--job-timeout", type=float, metavar="SECONDS",
                   help="time limit of one story's analysis (default: 900)")
    _add_embedder(w)

    s = sub.add_parser("schema", help="print the JSON Schema of the report contract")
    s.add_argument("-o", "--out", type=Path, help="write it to this file instead of stdout")
    return p


def _formats(value: str) -> list[str]:
    wanted = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise SystemExit(f"newsprism: error: unknown format {','.join(bad) or value!r}; "
                         f"choose from {', '.join(FORMATS)}")
    return wanted


class _Bars:
    """One tqdm bar per pipeline stage, on stderr."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bars: dict[str, object] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=f"{stage:<10}", unit="", file=sys.stderr,
                                          leave=False, dynamic_ncols=True,
                                          disable=None)  # None: only on a terminal
        bar.n = done  # type: ignore[attr-defined]
        bar.refresh()  # type: ignore[attr-defined]
        if done >= total:
            bar.close()  # type: ignore[attr-defined]

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()  # type: ignore[attr-defined]


def _write(run: AnalysisRun, out: Path, formats: list[str], quiet: bool) -> list[Path]:
    from newsprism.report.markdown import render_markdown

    assert run.report is not None
    out.mkdir(parents=True, exist_ok=True)
    written = []
    if "json" in formats:
        (out / "report.json").write_text(run.report.to_json() + "\n", encoding="utf-8")
        written.append(out / "report.json")
    if "md" in formats:
        (out / "report.md").write_text(render_markdown(run.report), encoding="utf-8")
        written.append(out / "report.md")
    if "html" in formats:
        from newsprism.report.html import render_html

        (out / "report.html").write_text(render_html(run.report), encoding="utf-8")
        written.append(out / "report.html")
    return written


def _llm(args: argparse.Namespace) -> ChatModel | None:
    url, model = getattr(args, "llm_url", None), getattr(args, "llm_model", None)
    if not url and not model:
        return None
    if not (url and model):
        raise SystemExit("newsprism: error: --llm-url and --llm-model go together; give both or neither")
    from newsprism.analysis.brief.llm import OpenAIChat

    return OpenAIChat(url, model)


def _run(sources: Sequence[str], args: argparse.Namespace, title: str | None = None) -> int:
    from newsprism.pipeline import analyze  # heavy (spaCy): only when there is work

    formats = _formats(args.format)
    bars = _Bars(enabled=not args.quiet)
    try:
        run = analyze(list(sources), progress=bars, title=title, embedder=get_embedder(args.embedder),
                      brief_length=getattr(args, "length", 160), llm=_llm(args),
                      judge_support=getattr(args, "judge_support", False))
    except ModelUnavailableError as e:
        print(f"newsprism: error: {e}", file=sys.stderr)
        return 2
    finally:
        bars.close()
    for err in run.errors:
        print(f"newsprism: input error: {err}", file=sys.stderr)
    if run.report is None:
        print("newsprism: error: no usable article in the inputs; no report written "
              "(fix the inputs above and run again)", file=sys.stderr)
        return run.exit_code
    written = _write(run, args.out, formats, args.quiet)
    n = len(run.report.story.articles)
    failed = len(run.errors)
    for note in run.report.notes:
        print(f"newsprism: note: {note}", file=sys.stderr)
    if not args.quiet or failed:
        print(f"newsprism: {n} article(s) analysed"
              + (f", {failed} input(s) failed (listed in the report)" if failed else "")
              + f"; wrote {', '.join(str(p) for p in written) or 'nothing'}", file=sys.stderr)
    return run.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "analyze":
        return _run(args.sources, args, title=args.title)
    if args.command == "demo":
        articles = DEMO_STORY / "articles"
        if not articles.is_dir():
            print(f"newsprism: error: the demo story is missing ({articles}); reinstall newsprism",
                  file=sys.stderr)
            return 2
        return _run([str(articles)], args)
    if args.command == "serve":
        from newsprism.errors import NewsprismError
        from newsprism.web import serve

        try:
            serve(args.db, host=args.host, port=args.port, allow_private_urls=args.allow_private_urls,
                  workers=args.workers, root_path=args.root_path.rstrip("/"), embedder=args.embedder,
                  allowed_hosts=args.allowed_hosts, max_articles=args.max_articles, max_queue=args.max_queue,
                  job_timeout=args.job_timeout)
        except NewsprismError as e:
            print(f"newsprism: error: {e}", file=sys.stderr)
            return 2
        return 0
    if args.command == "schema":
        import json

        from newsprism.report.schema import json_schema, write_json_schema

        if args.out:
            write_json_schema(args.out)
        else:
            print(json.dumps(json_schema(), indent=2, sort_keys=True))
        return 0
    return 2  # pragma: no cover - argparse enforces the command


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
