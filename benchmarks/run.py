"""The whole performance comparison in one command: rustcase against its floor and its peers.

    pip install -e '.[bench]'
    python benchmarks/run.py                      # every measure; prints the table
    python benchmarks/run.py --write docs/benchmarks.md
    python benchmarks/run.py --quick              # the smallest sizes, one run each (the test suite does this)

Whole-process measures are medians of ``--runs`` runs after one warm-up, taken side by side in one run;
the scale measures run in this process on corpora from ``benchmarks/corpus.py``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PY = sys.executable
RUSTCASE = [PY, "-c", "from rustcase.cli import main; main()"]


def timed(command: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of a whole process, after one warm-up run."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        if i:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(func: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


FLOOR_EXPORT = """
import json, sys, pyarrow as pa, pyarrow.parquet as pq, pyarrow.csv as pacsv
src, out, fmt = sys.argv[1], sys.argv[2], sys.argv[3]
import pathlib
for path in sorted(pathlib.Path(src).glob("*.parquet")):
    table = pq.ParquetFile(path).read()
    target = pathlib.Path(out) / (path.stem + "." + fmt)
    if fmt == "csv":
        nested = lambda c: pa.types.is_list(c.type) or pa.types.is_struct(c.type)
        cols = [pa.array([json.dumps(v) for v in c.to_pylist()]) if nested(c) else c for c in table.columns]
        pacsv.write_csv(pa.Table.from_arrays(cols, names=table.column_names), target)
    elif fmt == "parquet":
        pq.write_table(table, target)
    else:
        rows = table.to_pylist()
        text = "\\n".join(json.dumps(r, default=str) for r in rows)
        target.write_text(text if fmt == "jsonl" else "[" + ",".join(json.dumps(r, default=str) for r in rows) + "]")
"""

PEAK = "[int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0]"
"""Peak resident memory of the process itself in kB (ru_maxrss would include the parent's, on Linux)."""

FLOOR_LOAD = """
import sys, pyarrow.parquet as pq
from pydantic import TypeAdapter
from rustcase.models import TABLES
src = sys.argv[1]
for name, spec in TABLES.items():
    TypeAdapter(tuple[spec.model, ...]).validate_python(pq.ParquetFile(f"{src}/{name}.parquet").read().to_pylist())
"""


def startup(runs: int) -> list[tuple[str, float, str, float, str]]:
    base = timed([PY, "-c", "pass"], runs)
    click = timed([PY, "-c", "import click"], runs)
    rows = [
        ("python -c pass", base, "", 0.0, ""),
        ("import rustcase", timed([PY, "-c", "import rustcase"], runs), "python -c pass", base, "≤ 1.5"),
        ("rustcase --help", timed([*RUSTCASE, "--help"], runs), "import click", click, "≤ 1.2"),
    ]
    return rows


def exports(runs: int, tmp: Path, peers: bool) -> list[tuple[str, float, str, float, str]]:
    import rustcase

    shipped = rustcase.paths()
    src = tmp / "shipped"
    src.mkdir(exist_ok=True)
    for table, path in shipped.items():
        (src / f"{table}.parquet").write_bytes(path.read_bytes())
    rows = []
    penguins = timed([PY, "-c", "import palmerpenguins; palmerpenguins.load_penguins()"], runs) if peers else 0.0
    for fmt in ("csv", "json", "jsonl", "parquet"):
        out, floor_out = tmp / f"export-{fmt}", tmp / f"floor-{fmt}"
        floor_out.mkdir(exist_ok=True)
        ours = timed([*RUSTCASE, "export", "--format", fmt, "--out", str(out), "--force"], runs)
        floor = timed([PY, "-c", FLOOR_EXPORT, str(src), str(floor_out), fmt], runs)
        rows.append((f"export {fmt}", ours, "floor script", floor, "≤ 1.2"))
        if peers:
            rows.append((f"export {fmt}", ours, "palmerpenguins.load_penguins()", penguins, "≤ 0.6"))
    floor = timed([PY, "-c", FLOOR_LOAD, str(src)], runs)
    rows.append(
        ("rustcase.load()", timed([PY, "-c", "import rustcase; rustcase.load()"], runs), "floor script", floor, "≤ 1.3")
    )
    if peers:
        env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(tmp / "hf")}
        files = f"{src}/quotes.parquet"
        hf = f"from datasets import load_dataset; load_dataset('parquet', data_files='{files}', split='train')"
        rows.append(
            ("rustcase.load()", rows[-1][1], "datasets.load_dataset (quotes)", timed([PY, "-c", hf], runs, env), "")
        )
        fl = tmp / "export-csv" / "datapackage.json"
        frictionless = [str(Path(PY).parent / "frictionless"), "validate", str(fl)]
        validate = timed([*RUSTCASE, "validate", str(tmp / "export-csv")], runs)
        rows.append(("rustcase validate (export)", validate, "frictionless validate", timed(frictionless, runs), ""))
    return rows


def pins(runs: int, load: float) -> list[tuple[str, float, str, float, str]]:
    """What checking a pin against the data read costs: the content fingerprint of every table's Arrow rows
    and of its records, computed once per process on first read, beside a whole ``rustcase.load()``."""
    import rustcase
    from rustcase import versions
    from rustcase.models import TABLES

    tables = {table: rustcase.read_table(table) for table in TABLES}
    records = {table: rustcase.load_table(table) for table in TABLES}
    rows = in_process(lambda: [versions.rows_fingerprint(t.to_pylist()) for t in tables.values()], runs)
    models = in_process(lambda: [versions.table_fingerprint(r) for r in records.values()], runs)
    return [
        ("pin check: Arrow rows, all tables", rows, "rustcase.load()", load, ""),
        ("pin check: records, all tables", models, "rustcase.load()", load, ""),
    ]


def scale(sizes: list[int], tmp: Path) -> tuple[list[list[str]], list[str]]:
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    from pydantic import TypeAdapter

    import rustcase
    from corpus import generate
    from rustcase import formats

    rows, notes = [], []
    per_row = {}
    for size in sizes:
        tables = generate(size)
        directory = tmp / f"corpus-{size}"
        directory.mkdir()
        for name, data in tables.items():
            pq.write_table(data, directory / f"{name}.parquet")
        total = sum(t.num_rows for t in tables.values())
        arrow_bytes = sum(t.nbytes for t in tables.values())
        seconds = in_process(lambda d=directory: rustcase.validate(d), 1 if size >= 500_000 else 3)
        per_row[size] = seconds / total
        child = subprocess.run(
            [
                PY,
                "-c",
                f"import rustcase; r = rustcase.validate({str(directory)!r}); print(r.exit_code, {PEAK})",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        code, peak_kb = child.stdout.split()
        base = subprocess.run(
            [
                PY,
                "-c",
                f"import rustcase, rustcase.validation, pyarrow.compute; rustcase.load_articles(); print({PEAK})",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        extra = (int(peak_kb) - int(base.stdout)) * 1024
        quotes = tables["quotes"]
        flat = quotes.select([f.name for f in quotes.schema if not pa.types.is_list(f.type)])
        big = 1 if size >= 500_000 else 3
        csv_ours = in_process(lambda q=quotes: formats.write(q, "csv", pa.BufferOutputStream()), 3)
        jsonl_ours = in_process(lambda q=quotes: formats.write(q, "jsonl", pa.BufferOutputStream()), big)
        csv_arrow = in_process(lambda f=flat: pacsv.write_csv(f, pa.BufferOutputStream()), 3)
        rows.append(
            [
                f"{size:,}",
                f"{total:,}",
                f"{total / seconds:,.0f}",
                f"{code}",
                f"{extra / arrow_bytes:.2f}",
                f"{csv_arrow / csv_ours:.2f}",
                f"{csv_arrow / jsonl_ours:.2f}",
            ]
        )
    if len(sizes) > 1:
        ratio = per_row[sizes[-1]] / per_row[sizes[-2]]
        notes.append(f"time per row at {sizes[-1]:,} / at {sizes[-2]:,}: {ratio:.2f} (goal ≤ 1.3)")
    middle = sizes[min(1, len(sizes) - 1)]
    records = generate(middle)["quotes"].to_pylist()
    adapter = TypeAdapter(list[rustcase.Quote])
    seconds = in_process(lambda: adapter.validate_python(records), 1)
    notes.append(f"row-by-row pydantic validation of {middle:,} quotes: {middle / seconds:,.0f} rows/s")
    return rows, notes


PEERS = {
    "jsonl": ("pyarrow.json.read_json", "import pyarrow.json as j; j.read_json({path!r})"),
    "json": ("json.loads", "import json; json.loads(open({path!r}, 'rb').read())"),
    "csv": ("pyarrow.csv.read_csv", "import pyarrow.csv as c; c.read_csv({path!r})"),
    "parquet": ("pyarrow.parquet.read_table", "import pyarrow.parquet as pq; pq.read_table({path!r})"),
}
"""How a reader without rustcase's bounds reads the same file."""

BOUNDED = """
import resource
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
{code}
print("PEAK", {peak})
"""


def _bounded(code: str, timeout: float = 120, limit: int = 8 << 30) -> tuple[str, float, str]:
    """Outcome, seconds and peak memory (MB) of a child process held to ``limit`` bytes of address space."""
    start = time.perf_counter()
    try:
        command = [PY, "-c", BOUNDED.format(limit=limit, code=code, peak=PEAK)]
        child = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"hangs (killed after {timeout:.0f} s)", timeout, ""
    seconds = time.perf_counter() - start
    out = dict(line.split(" ", 1) for line in child.stdout.splitlines() if " " in line)
    if child.returncode or "PEAK" not in out:
        error = (child.stderr.strip().splitlines() or ["killed"])[-1]
        return f"fails: {error[:70]}", seconds, ""
    outcome = f"exit {out['EXIT']}" if "EXIT" in out else "read"
    return outcome, seconds, f"{int(out['PEAK']) // 1024:,}"


def hostile(tmp: Path, quotes: int, header_bytes: int) -> tuple[list[list[str]], list[str]]:
    """`rustcase validate` on hostile files, beside a reader without bounds on the same file: a large
    generated corpus in each format, a forged Parquet footer, an endless CSV header, deep JSON and a FIFO."""
    import rustcase
    from corpus import generate
    from hostile import deep_json, fifo, forged_parquet, long_header
    from rustcase import formats

    directory = tmp / "hostile"
    directory.mkdir()
    corpus = generate(quotes)["quotes"]
    cases = []
    for fmt in formats.FORMATS:
        path = directory / fmt / f"quotes.{fmt}"
        path.parent.mkdir()
        with path.open("wb") as sink:
            formats.write(corpus, fmt, sink)
        cases.append((f"{corpus.num_rows:,} generated quotes, {fmt}", path))
    shipped = rustcase.paths()["quotes"].read_bytes()
    forged = directory / "forged" / "quotes.parquet"
    forged.parent.mkdir()
    forged.write_bytes(forged_parquet(shipped, len(rustcase.load_quotes()), 2 * 10**10))
    cases.append(("Parquet footer claiming 2·10^10 rows", forged))
    header = long_header(directory / "quotes.csv", header_bytes)
    cases.append((f"CSV header of {header_bytes >> 20} MB on one line", header))
    cases.append(("JSON Lines record nested 100,000 deep", deep_json(directory / "quotes.jsonl", 100_000)))
    (directory / "fifo").mkdir()
    cases.append(("FIFO named quotes.csv", fifo(directory / "fifo" / "quotes.csv")))
    validate = "import rustcase; print('EXIT', rustcase.validate({path!r}).exit_code)"
    idle_path = directory / "idle.jsonl"
    rustcase.export_tables(idle_path.parent / "idle", "jsonl", ["quotes"])
    idle = _bounded(validate.format(path=str(idle_path.parent / "idle" / "quotes.jsonl")))[2]
    rows, notes = [], [f"validate of the shipped quotes.jsonl (the idle cost): {idle} MB"]
    for name, path in cases:
        size = path.stat().st_size if path.is_file() else 0
        ours = _bounded(validate.format(path=str(path)))
        peer_name, peer_code = PEERS[path.suffix.lstrip(".")]
        theirs = _bounded(peer_code.format(path=str(path)), timeout=10 if not path.is_file() else 120)
        rows.append([name, f"{size / 1e6:,.1f}", ours[0], f"{ours[1]:.1f}", ours[2]])
        rows[-1] += [peer_name, theirs[0], f"{theirs[1]:.1f}", theirs[2]]
        if size > 10_000_000 and ours[0] in ("exit 0", "exit 1") and ours[2] and idle:
            per_byte = (int(ours[2].replace(",", "")) - int(idle.replace(",", ""))) * 1e6 / size
            notes.append(f"{name}: validate peaks {per_byte:.1f} bytes per input byte above the idle cost")
    return rows, notes


ENGINE_RUN = f"""
import sys, time, rustcase
start = time.perf_counter()
report = rustcase.validate(sys.argv[1], engine=sys.argv[2])
print(report.exit_code, report.rows, time.perf_counter() - start, {PEAK})
"""
READ_RUN = f"""
import pathlib, sys, time, polars as pl
start = time.perf_counter()
rows = 0
for table in sorted(pathlib.Path(sys.argv[1]).glob("*.parquet")):
    frame = pl.scan_parquet(table).select(pl.all().hash().sum(), pl.len().alias("__rows"))
    rows += frame.collect(engine="streaming")["__rows"][0]
print(0, rows, time.perf_counter() - start, {PEAK})
"""
READER = "peer: polars reads and hashes every value, no check"
"""The peer of the scale table: every value of every table decoded once, and nothing checked (the floor)."""


def engines(
    sizes: list[int], names: list[str], corpora: Path, arrow_max: int, repeat: int = 1
) -> tuple[list[str], list[list[str]]]:
    """rustcase validate by each engine on generated corpora, each run in a fresh process: rows/s end to end
    (reading included, start-up excluded) and the process's peak resident memory; with ``repeat``, the median
    rows/s of that many runs, the slowest and fastest beside it, and the highest peak."""
    import corpus

    header = ["engine"] + [f"{label} at {size:,} quotes" for size in sizes for label in ("rows/s", "peak MB")]
    names = [*names, READER]
    results = {name: [] for name in names}
    for size in sizes:
        directory = corpora / f"scale-{size}"
        if not (directory / ".complete").exists():
            corpus.write(size, directory)
            (directory / ".complete").write_text("", encoding="utf-8")
        for name in names:
            if name == "arrow" and size > arrow_max:
                results[name] += ["not run", "(in memory)"]
                continue
            run = READ_RUN if name == READER else ENGINE_RUN
            speeds, peaks = [], []
            for _ in range(repeat):
                child = subprocess.run([PY, "-c", run, str(directory), name], capture_output=True, text=True)
                if child.returncode:
                    break
                code, rows, seconds, peak_kb = child.stdout.split()
                speeds.append(int(rows) / float(seconds))
                peaks.append(int(peak_kb) // 1024)
            if child.returncode:
                results[name] += ["failed", child.stderr.strip().splitlines()[-1][:40] if child.stderr else ""]
                continue
            cell = f"{statistics.median(speeds):,.0f}" + ("" if code == "0" else f" (exit {code})")
            if repeat > 1:
                cell += f" ({min(speeds):,.0f}–{max(speeds):,.0f})"
            results[name] += [cell, f"{max(peaks):,}"]
    return header, [[name, *cells] for name, cells in results.items()]


CORPUS_RUN = f"""
import glob, os, shutil, sys, tempfile, time
kind, directory = sys.argv[1], sys.argv[2]
out = tempfile.mkdtemp()
start = time.perf_counter()
if kind.startswith("export"):
    import rustcase
    rustcase.export_tables(os.path.join(out, "x"), "jsonl", corpus=directory)
elif kind.startswith("read whole"):
    import pyarrow.parquet as pq
    from rustcase import formats
    for path in glob.glob(os.path.join(directory, "*.parquet")):
        with open(os.path.join(out, os.path.basename(path) + ".jsonl"), "wb") as sink:
            formats.write(pq.read_table(path), "jsonl", sink)
elif kind.startswith("rustcase sql"):
    import rustcase
    rustcase.sql("SELECT kind, count(*), sum(length(text)) FROM quotes GROUP BY kind", corpus=directory)
else:
    import duckdb
    quotes = os.path.join(directory, "quotes.parquet").replace("'", "''")
    duckdb.sql(f"SELECT kind, count(*), sum(length(text)) FROM read_parquet('{{quotes}}') GROUP BY kind").fetchall()
seconds = time.perf_counter() - start
shutil.rmtree(out)
print(seconds, {PEAK})
"""
CORPUS_KINDS = {
    "export --corpus -f jsonl (streamed)": "all",
    "read whole + formats.write jsonl (peer)": "all",
    "rustcase sql --corpus, an aggregate of quotes": "quotes",
    "duckdb read_parquet, the same aggregate (peer)": "quotes",
}


def corpus_io(sizes: list[int], corpora: Path) -> tuple[list[str], list[list[str]]]:
    """export and sql over the generated corpora (of `engines`), each beside its peer, each run in a fresh
    process: rows per second (of all tables, or of quotes for a query) and peak resident memory."""
    import pyarrow.parquet as pq

    header = ["run"] + [f"{label} at {size:,} quotes" for size in sizes for label in ("rows/s", "peak MB")]
    results: dict[str, list[str]] = {kind: [] for kind in CORPUS_KINDS}
    for size in sizes:
        directory = corpora / f"scale-{size}"
        counts = {p.stem: pq.read_metadata(p).num_rows for p in directory.glob("*.parquet")}
        for kind, rows in CORPUS_KINDS.items():
            child = subprocess.run([PY, "-c", CORPUS_RUN, kind, str(directory)], capture_output=True, text=True)
            if child.returncode:
                results[kind] += ["failed", child.stderr.strip().splitlines()[-1][:40] if child.stderr else ""]
                continue
            seconds, peak_kb = child.stdout.split()
            done = sum(counts.values()) if rows == "all" else counts["quotes"]
            results[kind] += [f"{done / float(seconds):,.0f}", f"{int(peak_kb) // 1024:,}"]
    return header, [[kind, *cells] for kind, cells in results.items()]


def versions() -> str:
    names = ["rustcase", "pyarrow", "pydantic", "click", "palmerpenguins", "datasets", "frictionless"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="10000,100000,999000")
    parser.add_argument("--quick", action="store_true", help="sizes 1000 and 2000, one run, no peers")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--write", type=Path, help="also write the report (Markdown) to this file")
    parser.add_argument("--hostile-quotes", type=int, default=200_000, help="size of the hostile-input corpus")
    parser.add_argument("--header-mb", type=int, default=200, help="size of the one-line CSV header")
    parser.add_argument("--scale-sizes", default="100000,1000000,10000000", help="corpus sizes for the engines")
    parser.add_argument("--engines", default="arrow,duckdb,polars", help="validation engines to compare")
    parser.add_argument("--arrow-max", type=int, default=1_000_000, help="largest corpus for the in-memory engine")
    parser.add_argument("--corpora", type=Path, help="keep generated corpora here (reused by the next run)")
    parser.add_argument("--only-scale", action="store_true", help="only the engines' scale section")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each engine cell (the median is shown)")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    sizes = [1000, 2000] if args.quick else [int(s) for s in args.sizes.split(",")]
    scale_sizes = [1000, 2000] if args.quick else [int(s) for s in args.scale_sizes.split(",")]
    peers = not (args.quick or args.no_peers)
    import rustcase  # compiled as pip compiles an installed wheel, even where PYTHONDONTWRITEBYTECODE is set

    subprocess.run([PY, "-m", "compileall", "-q", str(Path(rustcase.__file__).parent)], check=True)
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        engine_header, engine_rows = engines(
            scale_sizes, args.engines.split(","), args.corpora or tmp, args.arrow_max, args.repeat
        )
        corpus_header, corpus_rows = corpus_io(scale_sizes, args.corpora or tmp)
        scale_section = [
            "",
            "Scale: `rustcase validate --engine E` on generated corpora (`benchmarks/corpus.py`), "
            "one fresh process per cell, rows of all tables per second and peak resident memory (VmHWM).",
            "",
            table(engine_header, engine_rows),
            "",
            "Export and SQL over the same corpora, each beside its peer (a fresh process per cell).",
            "",
            table(corpus_header, corpus_rows),
        ]
        if args.only_scale:
            print("\n".join(scale_section))
            return 0
        measures = startup(runs) + exports(runs, tmp, peers)
        measures += pins(runs, next(m[1] for m in measures if m[0] == "rustcase.load()"))
        scale_rows, notes = scale(sizes, tmp)
        quotes, header = (2000, 4 << 20) if args.quick else (args.hostile_quotes, args.header_mb << 20)
        hostile_rows, hostile_notes = hostile(tmp, quotes, header)
    comparison = [
        [
            name,
            f"{ours * 1000:.0f} ms",
            other,
            f"{theirs * 1000:.0f} ms" if theirs else "",
            f"{ours / theirs:.2f}" if theirs else "",
            goal,
        ]
        for name, ours, other, theirs, goal in measures
    ]
    report = "\n".join(
        [
            f"Measured {datetime.date.today()} on {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; {versions()}.",
            f"Command: `python benchmarks/run.py{' --quick' if args.quick else ''}`; "
            f"medians of {runs} whole-process runs after a warm-up.",
            "",
            table(["measure", "rustcase", "compared with", "it", "ratio", "goal"], comparison),
            "",
            table(
                [
                    "quotes",
                    "rows (all tables)",
                    "validate rows/s",
                    "validate exit",
                    "peak memory / Arrow size",
                    "CSV write vs pyarrow.csv",
                    "JSONL write vs pyarrow.csv",
                ],
                scale_rows,
            ),
            "",
            *[f"- {n}" for n in notes],
            *scale_section,
            f"- peak RSS of this benchmark process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB",
            "",
            "Hostile input: each command in its own process, held to 8 GiB of address space (peak resident MB).",
            "",
            table(
                ["file", "MB", "rustcase validate", "s", "peak MB", "compared with", "it", "s", "peak MB"],
                hostile_rows,
            ),
            "",
            *[f"- {n}" for n in hostile_notes],
        ]
    )
    print(report)
    if args.write:
        text = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        marker = "<!-- figures -->"
        head = text.split(marker)[0] if marker in text else "# Benchmarks\n\n"
        args.write.write_text(head + marker + "\n" + report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
