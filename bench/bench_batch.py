"""newsprism batch: articles per second on the local engine and on Ray with 1 and 2 workers, per-worker
peak memory as the input grows, and a projection to a 100-node cluster from those figures.

Every configuration runs in a child process of its own (so peak memory is its own): the local
engine, then Ray (one local Ray of ``--cpus`` CPUs) with 1 worker and with 2 workers in the same
child, on the same fictional archive (``newsprism.scale.synth``: invented towns and outlets),
at each size in ``--stories``. "analysis" is the annotation-bound step (spaCy, MiniLM, the
analyses, the reports): the one that grows with the archive; "read" embeds and fingerprints,
"plan" finds duplicates and stories.

    .venv/bin/python bench/bench_batch.py --stories 8,16 --outlets 4
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def _archive(folder: Path, stories: int, outlets: int) -> int:
    from newsprism.scale.synth import fictional_archive

    rows = fictional_archive(stories=stories, outlets=outlets, seed=11)
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(2):
        lines = [json.dumps(r) for i, r in enumerate(rows) if i % 2 == k]
        (folder / f"crawl-{k}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows)


def child(engine: str, stories: int, outlets: int, cpus: int) -> list[dict[str, Any]]:
    """Run one configuration (local, or Ray with 1 then 2 workers); one result row per run."""
    from newsprism.scale.batch import run_batch

    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    n = _archive(work / "in", stories, outlets)
    out: list[dict[str, Any]] = []
    if engine == "local":
        start = time.perf_counter()
        r = run_batch([work / "in"], work / "local", engine="local")
        out.append({"engine": "local", "workers": 1, "articles": n, "stories": r.stories,
                    "wall": time.perf_counter() - start, **{k: round(v, 2) for k, v in r.seconds.items()},
                    "worker_peak_mb": [round(_peak_mb())]})
        return out
    import ray

    from newsprism.scale.ray_engine import RayEngine

    t0 = time.perf_counter()
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False, configure_logging=False)
    start_s = time.perf_counter() - t0
    try:
        for workers in (1, 2):
            eng = RayEngine(workers=workers)
            start = time.perf_counter()
            r = run_batch([work / "in"], work / f"ray{workers}", engine=eng)
            out.append({"engine": "ray", "workers": workers, "articles": n, "stories": r.stories,
                        "wall": time.perf_counter() - start, **{k: round(v, 2) for k, v in r.seconds.items()},
                        "worker_peak_mb": sorted(round(v) for v in eng.worker_peak_mb.values()),
                        "driver_peak_mb": round(_peak_mb()), "ray_start": round(start_s, 1)})
    finally:
        ray.shutdown()
    return out


def project(rows: list[dict[str, Any]], nodes: int, cores: int, price: float) -> str:
    """The 100-node projection, as a calculation from the measured rates (see the module docs)."""
    two = max((r for r in rows if r["engine"] == "ray" and r["workers"] == 2), key=lambda r: r["articles"])
    per_worker = two["articles"] / two["analyse"] / 2  # articles per second per worker, annotation-bound
    read_rate = two["articles"] / two["read"] / 2  # per worker (embedding + MinHash)
    workers = nodes * cores
    seconds = 1e6 / (per_worker * workers) + 1e6 / (read_rate * workers)
    hours = seconds / 3600
    return (f"projection: 1M articles on {nodes} nodes x {cores} workers: analysis {per_worker:.2f} art/s/worker and "
            f"read {read_rate:.2f} art/s/worker (measured, 2-worker run, {two['articles']} articles) -> "
            f"1e6/({per_worker:.2f}*{workers}) + 1e6/({read_rate:.2f}*{workers}) = {seconds / 60:.0f} min; "
            f"{nodes} nodes x {hours:.2f} h x ${price}/node-hour = ${nodes * hours * price:.0f} per million articles "
            "(assumes linear scaling across nodes as measured from 1 to 2 workers, the plan step's driver work "
            "and Ray start-up not counted)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--stories", default="8,16", help="archive sizes, in stories (comma-separated)")
    p.add_argument("--outlets", type=int, default=4, help="outlets per story (each story has ~1.25x articles)")
    p.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray")
    p.add_argument("--nodes", type=int, default=100)
    p.add_argument("--cores", type=int, default=16, help="workers per node in the projection")
    p.add_argument("--price", type=float, default=0.68, help="$ per node-hour in the projection (16-vCPU on-demand)")
    p.add_argument("--child", nargs=2, metavar=("ENGINE", "STORIES"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.outlets, args.cpus)))
        return
    rows: list[dict[str, Any]] = []
    for stories in (int(s) for s in args.stories.split(",")):
        for engine in ("local", "ray"):
            done = subprocess.run([sys.executable, __file__, "--child", engine, str(stories), "--outlets",
                                   str(args.outlets), "--cpus", str(args.cpus)],
                                  capture_output=True, text=True, check=True)
            rows.extend(json.loads(done.stdout.strip().splitlines()[-1]))
            for r in rows[-(1 if engine == "local" else 2):]:
                print(json.dumps(r), flush=True)
    print(f"{'engine':8} {'workers':>7} {'articles':>8} {'read s':>7} {'plan s':>7} {'analyse s':>9} "
          f"{'art/s':>6} {'analysis art/s':>14} {'peak MB/worker':>15}")
    for r in rows:
        total = r["read"] + r["plan"] + r["analyse"] + r["tables"]
        print(f"{r['engine']:8} {r['workers']:>7} {r['articles']:>8} {r['read']:>7.1f} {r['plan']:>7.1f} "
              f"{r['analyse']:>9.1f} {r['articles'] / total:>6.2f} {r['articles'] / r['analyse']:>14.2f} "
              f"{'/'.join(map(str, r['worker_peak_mb'])):>15}")
    for n in sorted({r["articles"] for r in rows}):
        one = next(r for r in rows if r["engine"] == "ray" and r["workers"] == 1 and r["articles"] == n)
        two = next(r for r in rows if r["engine"] == "ray" and r["workers"] == 2 and r["articles"] == n)
        print(f"{n} articles: analysis speed-up 1 -> 2 Ray workers {one['analyse'] / two['analyse']:.2f}x, "
              f"whole batch {one['wall'] / two['wall']:.2f}x")
    print(project(rows, args.nodes, args.cores, args.price))


if __name__ == "__main__":
    main()
