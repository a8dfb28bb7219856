#!/usr/bin/env python3
"""Combines the outputs of one bench/run.sh run into bench/results/<time>.json,
regenerates docs/benchmarks.md and plots time vs map width with gnuplot.

Inputs: Google Benchmark JSON (micro), unum-bench-macro JSON (macro, sweep,
the Unum side of the side by side) and the JSON lines of
bench/sfn-local/run.mjs (the aws-local-stepfunctions side)."""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys


def load_json(path, default):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"report.py: {path}: {e}", file=sys.stderr)
        return default


def load_rows(paths):
    rows = []
    for p in paths:
        rows += load_json(p, {"results": []}).get("results", [])
    return rows


def load_lines(path):
    rows = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    rows.append(json.loads(line))
    except (OSError, ValueError) as e:
        print(f"report.py: {path}: {e}", file=sys.stderr)
    return rows


def scrub(value, work):
    """Replaces this run's temporary directory in every string by $TMP."""
    if isinstance(value, str):
        return value.replace(work, "$TMP") if work else value
    if isinstance(value, list):
        return [scrub(v, work) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v, work) for k, v in value.items()}
    return value


def first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return (out.stdout or out.stderr).splitlines()[0].strip()
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


def cmake_cache(build_dir, key):
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt"), encoding="utf-8") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine(build_dir):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gib = 0.0
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_gib = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    os_name = platform.system()
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    try:
        with open("/proc/loadavg", encoding="utf-8") as f:
            load = " ".join(f.read().split()[:3])
    except OSError:
        load = "unknown"
    compiler = cmake_cache(build_dir, "CMAKE_CXX_COMPILER") or "c++"
    return {
        "cpu": cpu,
        "nproc": len(os.sched_getaffinity(0)),
        "memory_gib": round(mem_gib, 1),
        "os": os_name,
        "kernel": platform.release(),
        "load_average_at_report": load,
        "compiler": first_line([compiler, "--version"]),
        "build_type": cmake_cache(build_dir, "CMAKE_BUILD_TYPE"),
        "node": first_line(["node", "--version"]) if shutil.which("node") else "none",
        "redis_server": first_line(["redis-server", "--version"])
        if shutil.which("redis-server") else "none",
    }


def md_escape(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def fmt_ms(v):
    return f"{v:.2f}" if v < 100 else f"{v:.0f}"


def macro_table(rows):
    out = ["| case | store | platform | gc | instances | median ms | min ms "
           "| max ms | µs / transition | datastore ops / transition |",
           "|---|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        head = (f"| {r['case']} | `{r['store']}` | `{r['platform']}` "
                f"| {r.get('gc', 'delete')} ")
        if r.get("status") != "ok":
            out.append(head + f"| {r.get('status')}: {md_escape(r.get('error', ''))[:160]} "
                       "| | | | | |")
            continue
        ms = r["wall_ms"]
        out.append(head + f"| {r['instances']} | {fmt_ms(ms['median'])} | "
                   f"{fmt_ms(ms['min'])} | {fmt_ms(ms['max'])} | "
                   f"{r['per_transition_us']:.1f} | "
                   f"{r['datastore_ops_per_transition']:.2f} |")
    return "\n".join(out)


def micro_table(micro):
    out = ["| benchmark | time per iteration | CPU | iterations | counters |",
           "|---|---:|---:|---:|---|"]
    skip = {"name", "family_index", "per_family_instance_index", "run_name",
            "run_type", "repetitions", "repetition_index", "threads",
            "iterations", "real_time", "cpu_time", "time_unit",
            "items_per_second"}
    for b in micro.get("benchmarks", []):
        unit = b.get("time_unit", "ns")
        counters = ", ".join(f"{k} {v:.2f}" for k, v in b.items()
                             if k not in skip and isinstance(v, (int, float)))
        if "items_per_second" in b:
            counters = (counters + ", " if counters else "") + \
                f"{b['items_per_second'] / 1e6:.1f} M items/s"
        out.append(f"| {b['name']} | {b['real_time']:.0f} {unit} | "
                   f"{b['cpu_time']:.0f} {unit} | {b['iterations']} | {counters} |")
    return "\n".join(out)


# The Unum columns of the side by side: (key, heading). The key is
# (workers=1?, traced?); the default platform runs a worker per core.
UNUM_COLUMNS = [((False, True), "Unum, traced as `unum run`, workers = cores"),
                ((True, True), "Unum, traced, workers=1"),
                ((False, False), "Unum, --no-trace, workers = cores"),
                ((True, False), "Unum, --no-trace, workers=1")]


def unum_column(row):
    return ("workers=1" in row.get("platform", ""), bool(row.get("trace", True)))


def side_by_side(peer_rows, unum_rows):
    peer = {r.get("case"): r for r in peer_rows}
    unum = {}
    for r in unum_rows:
        unum.setdefault(r.get("case"), {})[unum_column(r)] = r
    cases = list(dict.fromkeys([r.get("case") for r in unum_rows] +
                               [r.get("case") for r in peer_rows]))
    table = []
    for c in cases:
        p, u = peer.get(c, {}), unum.get(c, {})
        main = u.get((False, True), {})
        row = {"case": c, "aws_local_stepfunctions": p,
               "unum": {head: u.get(key, {}) for key, head in UNUM_COLUMNS},
               "ratio": None}
        if p.get("status") == "ok" and main.get("status") == "ok":
            row["ratio"] = p["wall_ms"]["median"] / main["wall_ms"]["median"]
        table.append(row)
    out = ["| case | aws-local-stepfunctions (one thread) median ms (tasks run) | " +
           " | ".join(f"{head} median ms" for _, head in UNUM_COLUMNS) +
           " | ratio (aws-local / Unum traced, workers = cores) |",
           "|---|---:|" + "---:|" * len(UNUM_COLUMNS) + "---:|"]

    def cell(r, count_key=None):
        if r.get("status") == "ok":
            ms = fmt_ms(r['wall_ms']['median'])
            return f"{ms} ({r.get(count_key)})" if count_key else ms
        return f"{r.get('status', 'not run')}: {md_escape(r.get('error', ''))[:120]}"
    for t in table:
        ratio = f"{t['ratio']:.2f}" if t["ratio"] is not None else "–"
        cells = [cell(t["unum"][head]) for _, head in UNUM_COLUMNS]
        out.append(f"| {t['case']} | {cell(t['aws_local_stepfunctions'], 'tasks')} | "
                   + " | ".join(cells) + f" | {ratio} |")
    return table, "\n".join(out)


def aws_tables(rows):
    """The AWS backends measured locally (unum-bench-aws)."""
    out = []
    for r in rows:
        if r.get("status") != "ok":
            out.append(f"{r.get('case')}: {r.get('status')}: "
                       f"{md_escape(r.get('error', ''))}")
        elif r["case"] == "lambda-in-flight":
            out.append(f"`lambda://` sending {r['invocations']} asynchronous "
                       "Invoke requests to a local server that answers 202 "
                       f"after {r['server_ms_per_request']} ms (every request "
                       "accepted once):\n")
            out.append("| max_in_flight | seconds | invocations / s |")
            out.append("|---:|---:|---:|")
            for run in r["runs"]:
                out.append(f"| {run['max_in_flight']} | {run['seconds']:.2f} | "
                           f"{run['per_second']:.0f} |")
            out.append("")
        elif r["case"] == "dynamodb-fan-in":
            out.append(f"`dynamodb://` on dynalite: {r['members']:,} members "
                       f"added to one fan-in set by {r['threads']} threads in "
                       f"{r['seconds']:.1f} s ({r['adds_per_second']:.0f} "
                       "adds/s); every size from 1 to "
                       f"{r['members']:,} came back exactly once.\n")
    return "\n".join(out) if out else "(not measured in this run: NO_AWS=1)"


def commit():
    """The commit measured, with "+changes" when the tree differs from it."""
    head = first_line(["git", "rev-parse", "--short=12", "HEAD"])
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return head + ("+changes" if dirty else "")


def sweep_series(rows):
    """[(title, [(width, ms)])], one series per (store, platform, gc)."""
    groups = {}
    for r in rows:
        if r.get("status") == "ok" and r["case"].startswith("map-"):
            key = (r["store"], r["platform"], r.get("gc", "delete"))
            groups.setdefault(key, []).append(
                (int(r["case"][4:]), r["wall_ms"]["median"]))
    return [(f"{s} + {p}, gc={g}", sorted(pts))
            for (s, p, g), pts in groups.items()]


# Published by the reference implementation (NSDI 2023, Unum on AWS
# Lambda + DynamoDB): fan-out + fan-in time at 2 and at 512 branches.
REFERENCE_FANOUT_MS = {2: 411, 512: 16400}


def latency_tables(sweep_latency, chain_latency):
    """The cloud-latency model: per transition on a chain, and fan-out +
    fan-in vs width next to the reference's published numbers."""
    chain = ["| case | gc | median ms | ms / transition | datastore ops / transition |",
             "|---|---|---:|---:|---:|"]
    for r in chain_latency:
        if r.get("status") != "ok":
            chain.append(f"| {r.get('case')} | {r.get('gc')} | "
                         f"{r.get('status')}: {md_escape(r.get('error', ''))[:120]} | | |")
            continue
        ms = r["wall_ms"]["median"]
        chain.append(f"| {r['case']} | {r.get('gc')} | {fmt_ms(ms)} | "
                     f"{ms / max(r['instances'], 1):.1f} | "
                     f"{r['datastore_ops_per_transition']:.2f} |")
    widths = sorted({int(r["case"][4:]) for r in sweep_latency
                     if r.get("status") == "ok" and r["case"].startswith("map-")})
    by = {(int(r["case"][4:]), r.get("gc", "delete")): r["wall_ms"]["median"]
          for r in sweep_latency if r.get("status") == "ok"}
    fan = ["| branches | gc=delete ms | gc=expire ms | reference (published) ms |",
           "|---:|---:|---:|---:|"]
    for w in widths:
        def cell(g):
            return fmt_ms(by[(w, g)]) if (w, g) in by else "–"
        ref = REFERENCE_FANOUT_MS.get(w)
        fan.append(f"| {w} | {cell('delete')} | {cell('expire')} | "
                   f"{ref if ref else '–'} |")
    return "\n".join(chain), "\n".join(fan)


def plot(series, png, work):
    """series: [(title, [(width, ms)])]; returns an error text or ''."""
    if not shutil.which("gnuplot"):
        return "gnuplot is not installed (Debian: apt-get install gnuplot-nox)"
    series = [(t, pts) for t, pts in series if pts]
    if not series:
        return "no sweep results to plot"
    script = [
        "set terminal png size 900,560",
        f"set output '{png}'",
        "set title 'Unum: map of N no-op branches with fan-in (median wall time)'",
        "set xlabel 'map width (branches)'",
        "set ylabel 'wall time per workflow (ms)'",
        "set logscale xy 2", "set grid", "set key top left",
        "set format y '%g'",
    ]
    plots = []
    for i, (title, pts) in enumerate(series):
        data = os.path.join(work, f"sweep-{i}.dat")
        with open(data, "w", encoding="utf-8") as f:
            for w, ms in pts:
                f.write(f"{w} {ms}\n")
        plots.append(f"'{data}' using 1:2 with linespoints lw 2 title '{title}'")
    script.append("plot " + ", ".join(plots))
    path = os.path.join(work, "sweep.gp")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(script) + "\n")
    out = subprocess.run(["gnuplot", path], capture_output=True, text=True)
    return out.stderr.strip() if out.returncode != 0 else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--quick", default="0")
    ap.add_argument("--micro", required=True)
    ap.add_argument("--macro", nargs="+", required=True)
    ap.add_argument("--sweep", nargs=2, required=True,
                    metavar=("PLAIN", "LATENCY"))
    ap.add_argument("--chain-latency", default="")
    ap.add_argument("--sfn-peer", required=True)
    ap.add_argument("--sfn-unum", required=True)
    ap.add_argument("--aws", default="")
    ap.add_argument("--results", required=True)
    ap.add_argument("--markdown", required=True)
    ap.add_argument("--plot", required=True)
    ap.add_argument("--work", default="")
    a = ap.parse_args()

    macro = load_rows(a.macro)
    sweep_plain = load_rows([a.sweep[0]])
    sweep_latency = load_rows([a.sweep[1]])
    chain_latency = load_rows([a.chain_latency]) if a.chain_latency else []
    peer = load_lines(a.sfn_peer)
    unum_sfn = load_rows([a.sfn_unum])
    aws = load_lines(a.aws) if a.aws else []
    micro = load_json(a.micro, {})
    sbs, sbs_md = side_by_side(peer, unum_sfn)
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    measured = commit()
    doc = scrub({
        "date": when,
        "commit": measured,
        "quick": a.quick == "1",
        "machine": machine(a.build_dir),
        "micro": micro.get("benchmarks", []),
        "macro": macro,
        "map_width_sweep": {"plain": sweep_plain, "latency_model": sweep_latency},
        "chain_latency_model": chain_latency,
        "side_by_side": sbs,
        "aws_backends": aws,
    }, a.work)
    os.makedirs(os.path.dirname(a.results), exist_ok=True)
    with open(a.results, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")

    plot_error = plot(sweep_series(sweep_plain) + sweep_series(sweep_latency),
                      a.plot, a.work or ".")
    chain_md, fan_md = latency_tables(sweep_latency, chain_latency)
    latency_note = ""
    skipped = [r for r in sweep_latency if r.get("status") != "ok"]
    if skipped:
        latency_note = ("\nThe latency-model series was not measured: "
                        f"{md_escape(skipped[0].get('error', ''))}\n")

    m = doc["machine"]
    mode = "QUICK=1: smaller cases, fewer runs" if doc["quick"] else "full"
    sweep_rows = sorted([r for r in sweep_plain + sweep_latency
                         if r.get("status") == "ok"],
                        key=lambda r: (r["store"], r.get("gc", ""),
                                       int(r["case"][4:])))
    md = f"""# Benchmarks

Where the targets stand, with before/after numbers and a profile:
[performance.md](performance.md).

Generated by `bash bench/run.sh` ({mode}) on {when}, at commit
{measured}; the raw numbers are in
`bench/results/` (one JSON file per run; only a sample is committed). Do not
read these as cloud numbers: everything here runs in one process on one
machine, so a "transition" costs what the runtime, the datastore client
and the in-process platform cost, not network round trips.

## Machine

| | |
|---|---|
| CPU | {m['cpu']} |
| cores available (nproc) | {m['nproc']} (shared with other work while measuring) |
| load average (1, 5, 15 min) when the report was written | {m['load_average_at_report']} |
| memory | {m['memory_gib']} GiB |
| OS | {m['os']} (kernel {m['kernel']}) |
| compiler | {m['compiler']}, {m['build_type']} |
| Node (side by side) | {m['node']} |
| Redis | {m['redis_server']} |

## How to run

```sh
bash bench/run.sh             # full run; regenerates this page and the plot
QUICK=1 bash bench/run.sh     # smaller cases, fewer runs (about 1 min here)
REDIS_URL=redis://127.0.0.1:6379/0 bash bench/run.sh   # use this Redis
build-bench/unum-bench-macro --case chain-100 --case map-1000 \\
    --store memory:// --store sqlite:///tmp/b.db --platform 'inproc://' --reps 5
build-bench/unum-bench-micro --benchmark_filter=Runtime
```

`bench/redis_bench.sh` measures the distributed case (`unum worker`
processes sharing a Redis platform) and is not part of this page.

Definitions: a run's wall time is from `RunWorkflow` being called (the
platform's worker threads started) until the session record is written and
garbage collection has drained; the store is opened before the clock
starts. A *transition* is one function instance run; µs / transition is the
median wall time divided by the instances. Each case first runs once with
a counting wrapper around the store, which gives the datastore operations
(the result polling is not counted); then once more untimed; then the
timed runs on the bare store. Median, min and max are over the timed runs,
and every run's result is checked.

## Micro benchmarks (Google Benchmark)

`BM_RuntimeChainStep` is one full protocol step of a chain function on the
memory store with a platform that only records invocations: checkpoint
lookup, the (identity) user code, checkpoint write, GC of the parent's
checkpoint and the next invocation — the per-transition orchestration
overhead without any I/O.

{micro_table(micro)}

## Whole workflows

Functions are no-ops or trivial arithmetic (each result is checked);
`chain-N` is N functions in a row, `map-N` fans out to N branches and fans
back in, `pipeline-WxD` is W parallel lanes of D stages with a final fan-in,
`example-*` are the apps under `examples/` with their example input.

{macro_table(macro)}

## Time vs map width

![map width sweep](images/bench-map-width.png)
{latency_note}
{macro_table(sweep_rows)}

## The cloud-latency model

With `memory://?latency=aws` and `inproc://?latency=aws` every datastore
call and every invocation waits a sampled service latency (medians: async
Lambda invoke 44 ms, DynamoDB read 7 ms, write 20 ms; log-normal spread
0.25; a delivery sends invokes 64 at a time; `src/common/latency_model.h`).
This reproduces the shape of a run on AWS on one machine; the absolute
numbers are only as good as those medians.

Per transition on a chain (each step: the invoke, the checkpoint write and,
with `gc=delete`, the delete of the parent's checkpoint):

{chain_md}

Fan-out to N branches and fan-in (`map-N`), with the reference
implementation's published numbers beside (it invokes branches one after
another, so it grows linearly):

{fan_md}

## Side by side: a centralized interpreter vs Unum

The same state machines, with every Task a no-op, run by [aws-local-stepfunctions](https://github.com/nibble-4bits/aws-local-stepfunctions)
(one Node process interpreting the machine centrally, tasks as local
functions) and by Unum (the machine compiled to Unum IR, checkpoints on,
memory store, embedded platform). A no-op Task returns its input
(`sfn-chain-N`, `sfn-map-N`: N Task states in a row; a Task, a Map of N
Tasks, a Task) or, for an example's `unum-step-functions.json`, what the
example's real function returned for that very input in one recorded run
of its IR workflow (every Map branch its own output), so Maps and Choices
see the shapes they expect while no task computes anything. Every run of
both sides is checked: Unum's result against the IR workflow's (for the
generated machines, the computed one), the peer's against the same; a
wrong result, or a Task input that was never recorded, fails the run and
`bench/run.sh`. Both sides run each machine once untimed, then the timed
runs; the Node side times `StateMachine.run` to its result (one thread, one
execution at a time), the Unum side `RunWorkflow` as above: traced as
`unum run` records the session trace by default, and with `--no-trace`;
on the default platform (a worker thread per core) and on one worker
thread. A ratio above 1 means Unum finished first. Neither side pays
network costs here, so this compares interpreter overhead only: Unum's
per-step checkpoints and GC against a single in-memory interpreter loop.

{sbs_md}

## AWS backends, locally

`unum-bench-aws` (`bench/aws/aws_bench.cc`): how much `lambda://` gains by
keeping requests in flight, and a fan-in set larger than one DynamoDB item
on dynalite (one Node.js process, so a floor, not DynamoDB's speed).

{aws_tables(aws)}
"""
    if plot_error:
        md += f"\n(The plot was not regenerated: {md_escape(plot_error)})\n"
    with open(a.markdown, "w", encoding="utf-8") as f:
        f.write(scrub(md, a.work))
    print(f"report.py: wrote {a.results} and {a.markdown}"
          + (f"; plot: {plot_error}" if plot_error else ""), file=sys.stderr)


if __name__ == "__main__":
    main()
