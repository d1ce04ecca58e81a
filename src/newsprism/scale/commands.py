"""``newsprism batch``'s options and its run (argparse only at import: the CLI stays light).

>>> import argparse
>>> p = argparse.ArgumentParser(); sub = p.add_subparsers(dest="command")
>>> add_parser(sub)
>>> a = p.parse_args(["batch", "crawl/", "--out", "reports"])
>>> a.engine, a.out.name, a.address
('local', 'reports', None)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "run_batch_command"]

EPILOG = """\
examples:
  newsprism batch crawl/ --out reports/                      JSONL, WARC and Parquet shards in a folder
  newsprism batch a.jsonl.gz b.warc.gz --out reports/ --engine ray          a local Ray on this machine
  newsprism batch s3-mounted/ --out /shared/reports --engine ray --address auto   an existing cluster

A batch killed and started again skips the stories it finished (DIR/manifest.jsonl).

exit codes:
  0   every input was read and every story analysed
  1   some inputs failed, or the analysis of some stories failed (listed in DIR/batch.json and on
      stderr); the rest was analysed. Run the same command again to retry the failed stories
  2   nothing usable (no article), or the engine cannot run (Ray missing or unreachable)
  64  usage error (unknown option, a missing input): nothing was read or written
  73  the output folder cannot be written
"""


def add_parser(sub: Any) -> None:
    """Add ``batch`` to the CLI's subcommands."""
    b = sub.add_parser("batch", help="analyse whole archives: duplicates, stories, one report per story, tables",
                       description="Read JSONL, WARC and Parquet shards, drop duplicates, cluster the articles "
                                   "into stories and write one report per story (DIR/stories/ID/) and Parquet "
                                   "tables of articles, stories, claims, support, quotes, contradictions, "
                                   "provenance and framing (DIR/*.parquet). Runs here, or on Ray.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="shard files, or folders of them")
    b.add_argument("--out", "-o", type=Path, required=True, metavar="DIR", help="output folder")
    b.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local: in this process, no Ray (default); ray: Ray Data (the [ray] extra)")
    b.add_argument("--address", metavar="ADDR",
                   help="with --engine ray: an existing Ray cluster (auto, HOST:6379 or ray://HOST:10001); "
                        "default a new local Ray")
    b.add_argument("--workers", type=int, metavar="N", help="with --engine ray: workers (default: the cluster's CPUs)")
    b.add_argument("--shared-out", action="store_true",
                   help="with --engine ray: DIR is on storage every node can write (NFS, a ReadWriteMany volume); "
                        "the workers write the reports there instead of sending them to this process")
    b.add_argument("-q", "--quiet", action="store_true", help="only errors and the final line")
    b.set_defaults(parser=b)


def run_batch_command(args: argparse.Namespace) -> int:
    """Run ``newsprism batch``; the exit code (see :data:`EPILOG`)."""
    from newsprism.errors import InputError, ModelUnavailableError
    from newsprism.report.write import ReportWriteError
    from newsprism.scale.batch import EngineUnavailableError, run_batch

    if (args.address or args.shared_out) and args.engine != "ray":
        args.parser.error("--address and --shared-out need --engine ray")
    if args.workers is not None and args.workers < 1:
        args.parser.error(f"--workers {args.workers}: give 1 or more")

    def progress(stage: str, done: int, total: int) -> None:
        if not args.quiet:
            print(f"{stage}: {done}/{total}", file=sys.stderr, flush=True)

    try:
        result = run_batch(args.inputs, args.out, engine=args.engine, address=args.address, workers=args.workers,
                           shared_out=args.shared_out, progress=progress)
    except InputError as e:
        if e.code == "unreadable":  # the output folder
            print(f"newsprism: error: {e}", file=sys.stderr)
            return 73
        args.parser.error(str(e))
    except (EngineUnavailableError, ModelUnavailableError) as e:
        print(f"newsprism: error: {e}", file=sys.stderr)
        return 2
    except ReportWriteError as e:
        print(f"newsprism: error: {e}", file=sys.stderr)
        return 73
    for err in result.errors:
        print(f"newsprism: {err}", file=sys.stderr)
    for failure in result.failed:
        print(f"newsprism: failed: {failure}", file=sys.stderr)
    print(f"{result.line()} -> {result.out}")
    return result.exit_code
