#!/usr/bin/env python3
"""A bounded load test of `regtrace serve` on loopback: how fast the explorer answers under
concurrent readers.

One command:  python3 bench/load.py --db DB [--clients 8] [--requests 200] [--typical ID]
                                   [--hostile N --worst ID --matrix ROWS,COLS]

It starts `regtrace --db DB serve --read-only` on a free port, times the first request (the data
loaded into memory) against `regtrace --db DB stats`, then runs CLIENTS threads that each send
REQUESTS requests, cycling through three pages and their API twins: a search, a node, and the
impact of a typical node (the bench's `typical` standard; give it with --typical). Every answer
must be 200. It prints the latency percentiles per page in milliseconds, for
docs/PERFORMANCE.md. Use bench/run.py's database at scale 1.0 (`--work DIR`, then
DIR/scale-1.0/regtrace.db) for the issue's figures.

With --hostile N, N more threads send the heaviest requests a page on another site could make
a browser send, over and over while the clients run: the worst-case impact as streamed JSON
(--worst, read whole), the matrix page of --matrix ROWS,COLS (refused above the page limit),
its streamed download abandoned after 1 MB (the client goes away), and a thousand reviews.
The clients' percentiles then say whether the other pages still answer in time.
"""

import argparse
import http.client
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start(regtrace, db):
    child = subprocess.Popen([regtrace, "--db", db, "serve", "--addr", "127.0.0.1:0", "--read-only"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line = child.stderr.readline()
    if "http://" not in line:
        child.kill()
        sys.exit(f"the server did not start: {line}")
    addr = line.split("http://")[1].split("/")[0]
    host, port = addr.rsplit(":", 1)
    return child, host, int(port)


def hostile(host, port, path, keep):
    """GET `path`, reading at most `keep` bytes of the answer before going away; its status."""
    conn = http.client.HTTPConnection(host, port, timeout=300)
    conn.request("GET", path)
    response = conn.getresponse()
    read = 0
    while read < keep:
        chunk = response.read(min(1 << 16, keep - read))
        if not chunk:
            break
        read += len(chunk)
    conn.close()
    return response.status


def get(host, port, path):
    conn = http.client.HTTPConnection(host, port, timeout=120)
    start = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    if response.status != 200:
        sys.exit(f"{path}: {response.status} {body[:200]!r}")
    return elapsed


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200, help="requests per client")
    parser.add_argument("--typical", default="STD-373", help="the node whose impact is asked")
    parser.add_argument("--search", default="Standard 4242")
    parser.add_argument("--node", default="STD-50")
    parser.add_argument("--hostile", type=int, default=0, help="threads sending the heaviest requests meanwhile")
    parser.add_argument("--worst", default="STD-0", help="the node whose impact is the largest")
    parser.add_argument("--matrix", default="test_method,device", help="ROWS,COLS of a matrix too large for a page")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "regtrace-cli"], cwd=ROOT, check=True)
    regtrace = ROOT / "target" / "release" / "regtrace"

    started = time.perf_counter()
    subprocess.run([regtrace, "--db", args.db, "stats"], check=True, stdout=subprocess.DEVNULL)
    stats_time = time.perf_counter() - started

    child, host, port = start(regtrace, args.db)
    try:
        q = urllib.parse.quote(args.search)
        pages = {
            "search": [f"/search?q={q}", f"/api/search?q={q}"],
            "node": [f"/nodes/{args.node}", f"/api/nodes/{args.node}"],
            "impact (typical)": [f"/impact?id={args.typical}", f"/api/impact?id={args.typical}"],
        }
        # The first request loads the data (the graph for search and nodes, the snapshot).
        first = {name: get(host, port, paths[1]) for name, paths in pages.items()}
        latencies = {name: [] for name in pages}
        lock = threading.Lock()

        def client(n):
            order = list(pages.items())
            for i in range(args.requests):
                name, paths = order[(i + n) % len(order)]
                elapsed = get(host, port, paths[i % 2])
                with lock:
                    latencies[name].append(elapsed)

        rows, cols = args.matrix.split(",")
        heavy = [
            (f"/api/impact?id={args.worst}", 1 << 40),
            (f"/matrix?rows={rows}&cols={cols}", 1 << 40),
            (f"/api/matrix-links.csv?rows={rows}&cols={cols}", 1 << 20),
            ("/reviews?state=all&limit=1000", 1 << 40),
        ]
        done = threading.Event()
        answered = {path: {} for path, _ in heavy}

        def attacker(n):
            i = n
            while not done.is_set():
                path, keep = heavy[i % len(heavy)]
                try:
                    status = hostile(host, port, path, keep)
                except OSError as e:
                    status = type(e).__name__
                with lock:
                    answered[path][status] = answered[path].get(status, 0) + 1
                i += 1

        attackers = [threading.Thread(target=attacker, args=(n,)) for n in range(args.hostile)]
        for t in attackers:
            t.start()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        wall = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - wall
        done.set()
        for t in attackers:
            t.join()
    finally:
        child.kill()
        child.wait()

    total = sum(len(v) for v in latencies.values())
    print(f"first requests (data loaded): " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in first.items())
          + f"; `regtrace stats` {stats_time * 1000:.0f} ms")
    print(f"{args.clients} clients, {total} requests in {wall:.1f} s ({total / wall:.0f} requests/s)\n")
    if args.hostile:
        print(f"meanwhile {args.hostile} threads of heavy requests, answered (status: count):")
        for path, statuses in answered.items():
            print(f"  {path}: {statuses}")
        print()
    print("| page (HTML and /api alternately) | requests | p50 | p95 | p99 | max |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, values in latencies.items():
        ms = [v * 1000 for v in values]
        print(f"| {name} | {len(ms)} | {statistics.median(ms):.1f} ms | {percentile(ms, 95):.1f} ms | "
              f"{percentile(ms, 99):.1f} ms | {max(ms):.1f} ms |")


if __name__ == "__main__":
    main()
