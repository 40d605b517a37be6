#!/usr/bin/env python3
"""regtrace against what users would use instead, on the same files in the same run.

One command:  python3 bench/run.py [--scales 0.1,1.0,3.0] [--runs 3] [--work DIR]

For each scale it generates the workload (crates/regtrace-workload, deterministic from its
seed), then runs, alternately and --runs times each:
  - import:  `regtrace import` of nodes.csv/edges.csv (full validation, plus its snapshot)
             vs sqlite3 `.import` of both CSVs and an index on edges(dst, src);
  - impact of the most-cited standard (worst case) and of a standard of median citations
             (typical): `regtrace impact ID --format json > file` vs sqlite3's recursive CTE
             writing the ids to a file vs networkx loading the CSVs and calling `ancestors`,
             writing the ids to a file;
  - show, search, stats and `impact --summary`: each against the sqlite3 query answering the
             same question on the peer database (point lookup, LIKE scan, GROUP BY kind, the
             recursive CTE counting per kind);
  - audit:   `regtrace audit --format json > file` (full default rules; no peer);
  - matrix:  `matrix --rows device --cols regulation --format xlsx -o file` (no peer);
  - change record of the most-cited standard with `--kind guideline` (a review per guideline
             that rests on it), on a fresh copy of the database each run (no peer);
  - import ReqIF (scales up to 1.0): the same data exported as one .reqif and imported again,
             alternately with the CSV import of the same data (the issue's bound: at most 2x).
Once, outside the scales, the regulators' lists in tests/fixtures: `import --from
fda-product-classification` of FDA's 2016 file (6,162 product codes; the bound: under 2 s) and
`import --from eu-harmonised-standards` of the EU list.
Every figure is a whole process: wall time (median) and peak RSS (the child's ru_maxrss). It
checks that regtrace's impact counts per kind agree with sqlite3's, and prints a Markdown table
of medians and ratios (peer time / regtrace time) for docs/PERFORMANCE.md.

Needs: a Rust toolchain, python3, sqlite3 (Debian package `sqlite3`), networkx (installed from
PyPI into the running Python if missing).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 2026

NETWORKX_PEER = r"""
import csv, sys
import networkx as nx
nodes_csv, edges_csv, root, out = sys.argv[1:5]
g = nx.DiGraph()
with open(nodes_csv, newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    next(reader)
    g.add_nodes_from(row[0] for row in reader)
with open(edges_csv, newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    next(reader)
    g.add_edges_from((row[0], row[1]) for row in reader)
with open(out, "w", encoding="utf-8") as f:
    for node in nx.ancestors(g, root):
        f.write(node + "\n")
"""

SQLITE_IMPORT = """
CREATE TABLE nodes(id TEXT, kind TEXT, title TEXT, title_ja TEXT, status TEXT, published TEXT, enacted TEXT);
CREATE TABLE edges(src TEXT, dst TEXT, relation TEXT);
.mode csv
.import --skip 1 {nodes} nodes
.import --skip 1 {edges} edges
CREATE INDEX edges_dst ON edges(dst, src);
"""

SQLITE_IMPACT = """
WITH RECURSIVE imp(id) AS (SELECT '{root}' UNION SELECT e.src FROM edges e JOIN imp ON e.dst = imp.id)
SELECT id FROM imp WHERE id <> '{root}';
"""

SQLITE_COUNTS = """
WITH RECURSIVE imp(id) AS (SELECT '{root}' UNION SELECT e.src FROM edges e JOIN imp ON e.dst = imp.id)
SELECT n.kind, count(*) FROM imp JOIN nodes n ON n.id = imp.id WHERE imp.id <> '{root}' GROUP BY n.kind;
"""


def need_tools():
    if shutil.which("sqlite3") is None:
        sys.exit("sqlite3 is missing: apt-get install -y sqlite3")
    if not Path("/usr/bin/time").exists():
        sys.exit("GNU time is missing (it reads each process's peak memory): apt-get install -y time")
    # Checked in a child: importing networkx here would grow this process, and a child's
    # ru_maxrss starts from its parent's size at fork.
    has_networkx = subprocess.run([sys.executable, "-c", "import networkx"], capture_output=True)
    if has_networkx.returncode != 0:
        print("installing networkx from PyPI ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "networkx"], check=True)


def build():
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "regtrace-cli", "-p", "regtrace-workload"],
        cwd=ROOT,
        check=True,
    )
    target = ROOT / "target" / "release"
    return target / "regtrace", target / "regtrace-workload"


def measure(args, stdout=None, stdin=None, ok=(0,)):
    """Runs a command under GNU time; returns (wall seconds, peak RSS in MiB).

    The peak comes from GNU time (%M), which forks from a small process: a child's ru_maxrss
    starts from its parent's size at fork, so measuring from this Python process would add its
    own size to every figure. The wall time includes GNU time's own start (well under 1 ms), the
    same for every tool."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    inp = open(stdin, "rb") if stdin else subprocess.DEVNULL
    rss_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"regtrace-bench-rss-{os.getpid()}"
    try:
        start = time.perf_counter()
        child = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file, *args],
                               stdout=out, stdin=inp, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - start
    finally:
        if stdout:
            out.close()
        if stdin:
            inp.close()
    code = child.returncode
    if code not in ok:
        err = child.stderr.decode("utf-8", "replace")
        sys.exit(f"{' '.join(map(str, args))} failed ({code}): {err}")
    kib = int(rss_file.read_text().split()[-1])
    return seconds, kib / 1024


def run_scale(scale, runs, work, regtrace, workload):
    d = work / f"scale-{scale}"
    d.mkdir(parents=True, exist_ok=True)
    gen = subprocess.run(
        [workload, "--scale", str(scale), "--seed", str(SEED), "--out", d],
        check=True,
        capture_output=True,
        text=True,
    )
    summary = json.loads(gen.stdout)
    nodes, edges = d / "nodes.csv", d / "edges.csv"
    db, sdb = d / "regtrace.db", d / "sqlite.db"
    script = d / "import.sql"
    script.write_text(SQLITE_IMPORT.format(nodes=nodes, edges=edges))
    peer_py = d / "networkx_peer.py"
    peer_py.write_text(NETWORKX_PEER)

    def fresh(path):
        for p in d.glob(path.name + "*"):
            p.unlink()

    results = {}

    def add(op, tool, figure):
        results.setdefault(op, {}).setdefault(tool, []).append(figure)

    for _ in range(runs):
        fresh(db)
        add("import", "regtrace", measure([regtrace, "--db", db, "import", nodes, edges]))
        fresh(sdb)
        add("import", "sqlite3", measure(["sqlite3", sdb], stdin=script))

    # The same data as one ReqIF file (written by regtrace's export, read back through the
    # ReqIF reader and its own-export mapping), against the CSV import above. Up to scale 1.0:
    # beyond, the file runs to gigabytes.
    if scale <= 1.0:
        reqif, rdb = d / "data.reqif", d / "reqif.db"
        subprocess.run([regtrace, "--db", db, "export", "--format", "reqif", "-o", reqif], check=True)
        os.sync()  # the file on disk before timing, as the CSV files are
        # Alternating with a CSV import of the same data: the ratio compares runs taken side
        # by side (this machine's speed drifts over minutes).
        csv_again, csv_db = [], d / "csv-again.db"
        for _ in range(runs):
            fresh(rdb)
            add("import ReqIF (same data)", "regtrace", measure([regtrace, "--db", rdb, "import", reqif]))
            fresh(csv_db)
            csv_again.append(measure([regtrace, "--db", csv_db, "import", nodes, edges]))
        stats = [json.loads(subprocess.run([regtrace, "--db", x, "stats", "--format", "json"],
                                           check=True, capture_output=True, text=True).stdout)
                 for x in (db, rdb)]
        for figures in stats:
            figures.pop("source", None)
        if stats[0] != stats[1]:
            sys.exit(f"the ReqIF import differs from the CSV import: {stats[1]} vs {stats[0]}")
        csv_time = statistics.median(s for s, _ in csv_again)
        reqif_time = statistics.median(s for s, _ in results["import ReqIF (same data)"]["regtrace"])
        results["import ReqIF (same data)"]["agree"] = (
            f"{reqif.stat().st_size / 2**20:.0f} MiB file; same counts as the CSV import; "
            f"{reqif_time / csv_time:.2f}x the time of the CSV import run alternately with it "
            f"({csv_time:.3f} s)")

    for case, root in (("worst", summary["most_cited"]), ("typical", summary["typical"])):
        query = d / f"impact-{case}.sql"
        query.write_text(SQLITE_IMPACT.format(root=root))
        op = f"impact {case} ({root})"
        for _ in range(runs):
            add(op, "regtrace", measure(
                [regtrace, "--db", db, "impact", root, "--format", "json"], stdout=d / "regtrace.json"))
            add(op, "sqlite3", measure(["sqlite3", sdb], stdin=query, stdout=d / "sqlite.txt"))
            add(op, "networkx", measure(
                [sys.executable, peer_py, nodes, edges, root, d / "networkx.txt"]))
        # The answers agree: regtrace's counts per kind against sqlite3's and networkx's.
        mine = json.loads((d / "regtrace.json").read_text(encoding="utf-8"))["counts"]
        counts = subprocess.run(
            ["sqlite3", "-separator", ",", sdb, SQLITE_COUNTS.format(root=root)],
            check=True, capture_output=True, text=True).stdout
        theirs = {k: int(v) for k, v in (line.split(",") for line in counts.split())}
        nx_total = sum(1 for _ in open(d / "networkx.txt", encoding="utf-8"))
        if mine != theirs or sum(mine.values()) != nx_total:
            sys.exit(f"{op}: regtrace {mine} disagrees with sqlite3 {theirs} / networkx {nx_total}")
        results[op]["agree"] = f"{sum(mine.values()):,} nodes reached; counts per kind agree"

    # Point queries and scans, each against the sqlite3 query that answers the same question
    # on the peer database (no index on nodes: the peer as `.import` builds it).
    worst = summary["most_cited"]
    point_queries = [
        ("show STD-50 (point lookup)", ["show", "STD-50"],
         "SELECT * FROM nodes WHERE id = 'STD-50';"),
        ('search "Standard 4242"', ["search", "Standard 4242"],
         "SELECT id FROM nodes WHERE id LIKE '%Standard 4242%' OR title LIKE '%Standard 4242%' "
         "OR title_ja LIKE '%Standard 4242%';"),
        ("stats (counts per kind)", ["stats"], "SELECT kind, count(*) FROM nodes GROUP BY kind;"),
        (f"impact {worst} --summary (counts per kind)", ["impact", worst, "--summary"],
         SQLITE_COUNTS.format(root=worst)),
    ]
    for op, args, sql in point_queries:
        query = d / "point.sql"
        query.write_text(sql)
        for _ in range(runs):
            add(op, "regtrace", measure([regtrace, "--db", db, *args, "--format", "json"],
                                        stdout=d / "point.json"))
            add(op, "sqlite3", measure(["sqlite3", sdb], stdin=query, stdout=d / "point.txt"))

    for _ in range(runs):
        add("audit (full default rules)", "regtrace", measure(
            [regtrace, "--db", db, "audit", "--format", "json"], stdout=d / "audit.json", ok=(0, 1)))

    # The traceability matrix every device against every regulation, streamed to a workbook.
    for _ in range(runs):
        add("matrix --rows device --cols regulation --format xlsx", "regtrace", measure(
            [regtrace, "--db", db, "matrix", "--rows", "device", "--cols", "regulation",
             "--format", "xlsx", "-o", d / "matrix.xlsx"]))

    # A change to the most-cited standard, opening one review per guideline that rests on it,
    # each run on a fresh copy of the database (recording writes to it).
    cdb = d / "change.db"
    for _ in range(runs):
        fresh(cdb)
        for p in d.glob(db.name + "*"):
            shutil.copy(p, d / p.name.replace(db.name, cdb.name, 1))
        add(f"change record {worst} --kind guideline", "regtrace", measure(
            [regtrace, "--db", cdb, "change", "record", worst, "--what", "new edition",
             "--date", "2026-01-01", "--by", "bench", "--kind", "guideline"]))
    return summary, results


def run_lists(runs, work, regtrace):
    """The regulators' lists of tests/fixtures imported whole: (operation, [(s, MiB)]) pairs."""
    fixtures = ROOT / "tests" / "fixtures"
    lists = [
        ("import FDA product classification (6,162 codes)", "fda-product-classification",
         fixtures / "fda" / "foiclass-2016.txt"),
        ("import EU harmonised standards (65 editions)", "eu-harmonised-standards", fixtures / "eu-mdr"),
    ]
    work.mkdir(parents=True, exist_ok=True)
    out = []
    for op, name, path in lists:
        db = work / f"{name}.db"
        figures = []
        for _ in range(runs):
            for p in work.glob(db.name + "*"):
                p.unlink()
            figures.append(measure([regtrace, "--db", db, "import", "--from", name, path]))
        out.append((op, figures))
    return out


def table(all_results, runs):
    lines = [
        f"| scale | nodes / edges | operation | regtrace | sqlite3 | networkx | sqlite3 ÷ regtrace | networkx ÷ regtrace |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for scale, summary, results in all_results:
        size = f"{summary['nodes']:,} / {summary['edges']:,}"
        for op, tools in results.items():
            med = {t: (statistics.median(s for s, _ in f), max(m for _, m in f))
                   for t, f in tools.items() if t != "agree"}

            def cell(t):
                if t not in med:
                    return "—"
                s, m = med[t]
                return f"{s:.3f} s, {m:.0f} MiB" if s >= 0.01 else f"{s * 1000:.1f} ms, {m:.0f} MiB"

            def ratio(t):
                return f"{med[t][0] / med['regtrace'][0]:.1f}×" if t in med else "—"

            lines.append(f"| {scale} | {size} | {op} | {cell('regtrace')} | {cell('sqlite3')} | "
                         f"{cell('networkx')} | {ratio('sqlite3')} | {ratio('networkx')} |")
    return "\n".join(lines) + f"\n\nMedians of {runs} runs each, run alternately; peak RSS is the largest of the runs."


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="0.1,1.0,3.0", help="comma-separated scale factors")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (median reported)")
    parser.add_argument("--work", default="/tmp/regtrace-bench", help="where data and databases go")
    args = parser.parse_args()
    need_tools()
    regtrace, workload = build()
    work = Path(args.work)
    all_results = []
    for scale in [float(s) for s in args.scales.split(",")]:
        print(f"scale {scale} ...", file=sys.stderr)
        summary, results = run_scale(scale, args.runs, work, regtrace, workload)
        for op, tools in results.items():
            if "agree" in tools:
                print(f"  {op}: {tools['agree']}", file=sys.stderr)
        all_results.append((scale, summary, results))
    print(table(all_results, args.runs))
    print("\n| list | time | peak memory |\n| --- | ---: | ---: |")
    for op, figures in run_lists(args.runs, work, regtrace):
        seconds = statistics.median(s for s, _ in figures)
        print(f"| {op} | {seconds:.3f} s | {max(m for _, m in figures):.0f} MiB |")


if __name__ == "__main__":
    main()
