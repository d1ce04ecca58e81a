"""newsprism batch: articles per second on the local engine and on Ray with 1 and 2 workers, per-worker
peak memory as the input grows, and a projection to a 100-node cluster from those figures.

Every configuration runs in a child process of its own (so peak memory is its own): the local
engine, then Ray (one local Ray of ``--cpus`` CPUs) with 1 worker and with 2 workers in the same
child, on the same fictional archive (``newsprism.scale.synth``: invented towns and outlets),
at each size in ``--stories``. "analysis" is the annotation-bound step (spaCy, MiniLM, the
analyses, the reports): the one that grows with the archive; "read" embeds and fingerprints,
"plan" finds duplicates and stories.

The annotation-bound rate ("steady", Ray rows) is measured on the workers' own clocks: from the
moment the last worker has loaded its models (all N at work) to the end of the last story, over
the articles of the stories begun in that window (a story begun earlier counts its time but not
its articles: conservative). With it, per worker: CPU seconds per article (the cost, whatever the
machine's load: rerun-proof) and CPU share (its CPU seconds over its busy wall seconds: below 1
it waited for a core). "ray cpu" is what Ray's own processes (raylet, GCS, agents) and the driver
used from the first story back to the last: the overhead the workers share the cores with.

"plain" rows are the machine's own ceiling for the same analysis: the same stories, largest
first, analysed by 1 and then 2 plain processes (no Ray; one thread each, models loaded before a
common start), from the start to the last story's end. Two Ray workers can only approach what
two plain processes reach on the same cores.

    .venv/bin/python bench/bench_batch.py --stories 8,16 --outlets 4
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WORDS = 0  # words in the archive of this child


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def _archive(folder: Path, stories: int, outlets: int) -> int:
    from newsprism.scale.synth import fictional_archive

    rows = fictional_archive(stories=stories, outlets=outlets, seed=11)
    folder.mkdir(parents=True, exist_ok=True)
    global WORDS
    WORDS = sum(len(r["text"].split()) for r in rows)
    for k in range(2):
        lines = [json.dumps(r) for i, r in enumerate(rows) if i % 2 == k]
        (folder / f"crawl-{k}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows)


class _Arrivals:
    """A progress callback that notes when each story's report is written."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "analyse":
            self.times.append(time.perf_counter())


def _steady(times: list[float], out: Path) -> float | None:
    """Articles per second from the first to the last story written: the analysis rate with the
    workers' model loading (before the first story) left out. The manifest lists the stories in
    the order they were written."""
    if len(times) < 3:
        return None
    sizes = [len(json.loads(line)["articles"])
             for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    return round(sum(sizes[1:]) / (times[-1] - times[0]), 3)


def _span_rate(spans: list[tuple[float, ...]], ready_at: dict[int, float]) -> float | None:
    """Articles per second with every worker at work (see the module docs): from the last
    worker's ready time (or the first story's start, if later) to the last story's end, counting
    the articles of the stories begun in that window."""
    if not spans or not ready_at:
        return None
    begin = max(max(ready_at.values()), min(s[0] for s in spans))
    counted = sum(s[2] for s in spans if s[0] >= begin)
    end = max(s[1] for s in spans)
    return round(counted / (end - begin), 3) if end > begin and counted else None


def _per_worker(spans: list[tuple[float, ...]]) -> list[dict[str, float]]:
    """Per analysis worker: stories, articles, CPU seconds per article (of the process, and of the
    thread that analysed: the rest is the worker's other threads, Ray's among them) and CPU share
    (process CPU seconds over the wall seconds its stories took: 1.0 means it had a core to itself)."""
    out = []
    for pid in sorted({int(s[5]) for s in spans}):
        mine = [s for s in spans if int(s[5]) == pid]
        arts, cpu, wall = sum(s[2] for s in mine), sum(s[3] for s in mine), sum(s[1] - s[0] for s in mine)
        out.append({"stories": len(mine), "articles": arts, "cpu_s_per_article": round(cpu / arts, 4),
                    "thread_cpu_s_per_article": round(sum(s[4] for s in mine) / arts, 4),
                    "cpu_share": round(cpu / wall, 3) if wall else 0.0})
    return out


def _ray_cpu() -> dict[tuple[int, str], float]:
    """CPU seconds so far of each of this machine's Ray processes, by (pid, kind: raylet, gcs, the
    agents, the workers) and of this driver process (every thread: Ray Data's executor runs here too)."""
    tick = os.sysconf("SC_CLK_TCK")
    found: dict[tuple[int, str], float] = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                name, rest = f.read().split("(", 1)[1].rsplit(")", 1)
            fields = rest.split()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        cmd = " ".join(argv)
        if int(pid) == os.getpid():
            kind = "driver"
        elif name in ("raylet", "gcs_server"):  # by name: their flags name the worker script too
            kind = name
        elif cmd.startswith("ray::") or any(a.endswith("default_worker.py") for a in argv[:3]):
            kind = "workers"
        elif "/ray/" in cmd:  # the dashboard (started even without include_dashboard), agents, monitor
            kind = "ray other"
        else:
            continue
        found[(int(pid), kind)] = (int(fields[11]) + int(fields[12])) / tick
    return found


class _Window:
    """A progress callback noting the Ray processes' CPU when the first and the last story come back."""

    def __init__(self) -> None:
        self.start: dict[tuple[int, str], float] = {}
        self.end: dict[tuple[int, str], float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage in ("analyse", "failed"):  # from the first story back (workers loaded) to the last
            if not self.start:
                self.start = _ray_cpu()
            self.end = _ray_cpu()

    def used(self) -> dict[str, float]:
        """CPU seconds by kind between the two snapshots (a process begun in between from zero)."""
        out: dict[str, float] = {}
        for key, cpu in self.end.items():
            out[key[1]] = out.get(key[1], 0.0) + cpu - self.start.get(key, 0.0)
        return {k: round(v, 2) for k, v in sorted(out.items())}


def _plain_worker(jobs: Any, results: Any, barrier: Any) -> None:
    """One plain analysis process: load the models, wait for the others, analyse until the queue is empty."""
    from newsprism.scale.work import StoryWorker

    worker = StoryWorker(threads=1)
    barrier.wait()
    results.put(("ready", time.time()))
    while (job := jobs.get()) is not None:
        sid, rows = job
        start, cpu, own = time.time(), time.process_time(), time.thread_time()
        ok = isinstance(worker.try_story(sid, rows), dict)
        span = (start, time.time(), float(len(rows)), time.process_time() - cpu, time.thread_time() - own,
                float(os.getpid()))
        results.put(("span", (span, ok)))
    results.put(("done", os.getpid()))


def plain(work: Path, n: int) -> list[dict[str, Any]]:
    """The stories of the archive in ``work/in`` analysed by 1, then 2 plain processes (see the module docs)."""
    import multiprocessing as mp

    from newsprism.scale.batch import plan_stories
    from newsprism.scale.local import LocalEngine
    from newsprism.scale.work import ONE_CPU_ENV

    os.environ.update(ONE_CPU_ENV)  # inherited by the spawned processes before they import anything
    eng = LocalEngine(work / "plain", threads=1)
    eng.featurize(sorted((work / "in").glob("*.jsonl")))
    plan = plan_stories(eng)
    stories: dict[str, list[dict[str, Any]]] = {}
    for table in eng._read(["seq", "article"]):
        for seq, article in zip(table["seq"].to_pylist(), table["article"].to_pylist(), strict=True):
            tag = plan.assign[seq]
            stories.setdefault(tag["story"], []).append({**tag, "seq": seq, "article": article})
    order = sorted(stories.items(), key=lambda kv: -sum(len(r["article"]) for r in kv[1]))  # largest first
    ctx = mp.get_context("spawn")
    out = []
    for procs in (1, 2):
        jobs, results, barrier = ctx.Queue(), ctx.Queue(), ctx.Barrier(procs)
        for job in order:
            jobs.put(job)
        for _ in range(procs):
            jobs.put(None)
        ps = [ctx.Process(target=_plain_worker, args=(jobs, results, barrier)) for _ in range(procs)]
        for proc in ps:
            proc.start()
        spans, ready, done, failed = [], [], 0, 0
        while done < procs:
            kind, value = results.get()
            if kind == "ready":
                ready.append(value)
            elif kind == "span":
                spans.append(value[0])
                failed += not value[1]
            else:
                done += 1
        for proc in ps:
            proc.join()
        begin = max(ready)
        out.append({"engine": "plain", "workers": procs, "articles": n, "stories": len(order),
                    "steady": round(sum(sp[2] for sp in spans) / (max(sp[1] for sp in spans) - begin), 3),
                    "per_worker": _per_worker(spans), "failed": failed,
                    "load": os.getloadavg()[0]})
    return out


def child(engine: str, stories: int, outlets: int, cpus: int) -> list[dict[str, Any]]:
    """Run one configuration (local, or Ray with 1 then 2 workers); one result row per run."""
    from newsprism.scale.batch import run_batch

    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    n = _archive(work / "in", stories, outlets)
    out: list[dict[str, Any]] = []
    if engine == "plain":
        return plain(work, n)
    if engine == "local":
        start = time.perf_counter()
        seen = _Arrivals()
        r = run_batch([work / "in"], work / "local", engine="local", progress=seen)
        out.append({"engine": "local", "workers": 1, "articles": n, "words": WORDS, "stories": r.stories,
                    "steady": _steady(seen.times, r.out),
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
            window = _Window()
            r = run_batch([work / "in"], work / f"ray{workers}", engine=eng, progress=window)
            out.append({"engine": "ray", "workers": workers, "articles": n, "words": WORDS, "stories": r.stories,
                        "wall": time.perf_counter() - start, **{k: round(v, 2) for k, v in r.seconds.items()},
                        "worker_peak_mb": sorted(round(v) for v in eng.worker_peak_mb.values()),
                        "steady": _span_rate(eng.spans, eng.ready_at), "per_worker": _per_worker(eng.spans),
                        "ray_cpu_analyse": window.used(),
                        "load": os.getloadavg()[0], "failed": len(r.failed),
                        "driver_peak_mb": round(_peak_mb()), "ray_start": round(start_s, 1)})
    finally:
        ray.shutdown()
    return out


def project(rows: list[dict[str, Any]], nodes: int, cores: int, price: float, words: int) -> str:
    """The 100-node projection, as a calculation from the measured rates (see the module docs).

    Annotation cost grows with words, so the measured rates are turned into words per second per
    worker and divided by ``words`` per real article; the driver's writing of the reports (measured
    per story on the local engine) bounds the rate unless the workers write them (``--shared-out``).
    """
    two = max((r for r in rows if r["engine"] == "ray" and r["workers"] == 2), key=lambda r: r["articles"])
    loc = max((r for r in rows if r["engine"] == "local"), key=lambda r: r["articles"])
    per_word = two["words"] / two["articles"]
    analyse_wps = (two["steady"] or two["articles"] / two["analyse"]) * per_word / 2  # words/s per worker
    read_wps = two["words"] / two["read"] / 2  # words/s per worker, model loading included
    n_workers = nodes * cores
    analyse_s = 1e6 * words / (analyse_wps * n_workers)
    read_s = 1e6 * words / (read_wps * n_workers)
    hours = (analyse_s + read_s) / 3600
    write_per_story = loc.get("write", 0.0) / max(1, loc["stories"])
    lines = [
        f"projection to 1M articles of {words} words on {nodes} nodes x {cores} one-CPU workers "
        f"({n_workers} workers), from the 2-worker Ray run on {two['articles']} articles "
        f"({per_word:.0f} words each):",
        f"  analysis {analyse_wps:.0f} words/s/worker -> 1e6 x {words} / ({analyse_wps:.0f} x {n_workers}) "
        f"= {analyse_s / 60:.1f} min",
        f"  read (embed + MinHash) {read_wps:.0f} words/s/worker -> 1e6 x {words} / ({read_wps:.0f} x {n_workers}) "
        f"= {read_s / 60:.1f} min",
        f"  cluster time {hours:.2f} h; cost {nodes} x {hours:.2f} h x ${price}/node-hour = "
        f"${nodes * hours * price:.0f} per million articles",
        f"  the driver writing the reports ({write_per_story * 1000:.0f} ms per story measured here) would take "
        f"{write_per_story * 1e6 / 5 / 3600:.1f} h for 200,000 stories: use --shared-out so that workers write them",
        "  assumptions: rates scale linearly with workers (measured 1 -> 2 workers on a shared 2-core machine), "
        "cost linear in words, the driver's plan step (about "
        f"{1e6 * loc['plan'] / loc['articles'] / 60:.0f} min per million articles at the local engine's rate) "
        "and Ray start-up not counted",
    ]
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--stories", default="8,16", help="archive sizes, in stories (comma-separated)")
    p.add_argument("--outlets", type=int, default=4, help="outlets per story (each story has ~1.25x articles)")
    p.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray")
    p.add_argument("--nodes", type=int, default=100)
    p.add_argument("--cores", type=int, default=16, help="workers per node in the projection")
    p.add_argument("--price", type=float, default=0.68, help="$ per node-hour in the projection (16-vCPU on-demand)")
    p.add_argument("--words", type=int, default=600, help="words per real article in the projection")
    p.add_argument("--child", nargs=2, metavar=("ENGINE", "STORIES"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.outlets, args.cpus)))
        return
    rows: list[dict[str, Any]] = []
    print(f"load average {os.getloadavg()} at the start", flush=True)
    for stories in (int(s) for s in args.stories.split(",")):
        for engine in ("local", "plain", "ray"):
            done = subprocess.run([sys.executable, __file__, "--child", engine, str(stories), "--outlets",
                                   str(args.outlets), "--cpus", str(args.cpus)],
                                  capture_output=True, text=True, check=True)
            rows.extend(json.loads(done.stdout.strip().splitlines()[-1]))
            for r in rows[-(1 if engine == "local" else 2):]:
                print(json.dumps(r), flush=True)
    print(f"{'engine':8} {'workers':>7} {'articles':>8} {'read s':>7} {'plan s':>7} {'analyse s':>9} "
          f"{'art/s':>6} {'analysis art/s':>14} {'steady art/s':>12} {'peak MB/worker':>15}")
    for r in rows:
        if r["engine"] == "plain":
            continue
        total = r["read"] + r["plan"] + r["analyse"] + r["tables"]
        print(f"{r['engine']:8} {r['workers']:>7} {r['articles']:>8} {r['read']:>7.1f} {r['plan']:>7.1f} "
              f"{r['analyse']:>9.1f} {r['articles'] / total:>6.2f} {r['articles'] / r['analyse']:>14.2f} "
              f"{r['steady'] or 0:>12.2f} "
              f"{'/'.join(map(str, r['worker_peak_mb'])):>15}")
        for k, w in enumerate(r.get("per_worker", [])):
            print(f"    worker {k + 1}: {w['stories']} stories, {w['articles']:.0f} articles, "
                  f"{w['cpu_s_per_article']:.4f} CPU s/article ({w['thread_cpu_s_per_article']:.4f} in the "
                  f"analysing thread), CPU share {w['cpu_share']:.2f}")
        if r.get("ray_cpu_analyse"):
            print(f"    CPU s from the first story back to the last: {r['ray_cpu_analyse']} "
                  f"(load average {r['load']:.1f})")
    for r in (r for r in rows if r["engine"] == "plain"):
        print(f"plain processes, {r['articles']} articles, {r['workers']} at once: {r['steady']:.2f} articles/s "
              f"(load average {r['load']:.1f})")
        for k, w in enumerate(r["per_worker"]):
            print(f"    process {k + 1}: {w['stories']} stories, {w['articles']:.0f} articles, "
                  f"{w['cpu_s_per_article']:.4f} CPU s/article ({w['thread_cpu_s_per_article']:.4f} in the "
                  f"analysing thread), CPU share {w['cpu_share']:.2f}")
    for n in sorted({r["articles"] for r in rows}):
        p1 = next(r for r in rows if r["engine"] == "plain" and r["workers"] == 1 and r["articles"] == n)
        p2 = next(r for r in rows if r["engine"] == "plain" and r["workers"] == 2 and r["articles"] == n)
        print(f"{n} articles: 1 -> 2 plain processes (the machine's ceiling): {p2['steady'] / p1['steady']:.2f}x")
        one = next(r for r in rows if r["engine"] == "ray" and r["workers"] == 1 and r["articles"] == n)
        two = next(r for r in rows if r["engine"] == "ray" and r["workers"] == 2 and r["articles"] == n)
        steady = f"{two['steady'] / one['steady']:.2f}x" if one["steady"] and two["steady"] else "n/a"
        print(f"{n} articles: 1 -> 2 Ray workers: steady analysis rate {steady}, analysis step "
              f"{one['analyse'] / two['analyse']:.2f}x (with model loading), "
              f"whole batch {one['wall'] / two['wall']:.2f}x")
    print(project(rows, args.nodes, args.cores, args.price, args.words))


if __name__ == "__main__":
    main()
