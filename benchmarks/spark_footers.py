"""What the Spark engine's driver reads before the jobs: the corpus's files, row counts and schemas.

    python benchmarks/spark_footers.py --files 250 [--out DIR]   # needs rustcase[spark] and Java

Side by side, on one generated corpus (quotes and mentions in ``--files`` files each): pyarrow on the local
path, the Hadoop FileSystem API on its ``file://`` URI (what `rustcase.validate_spark` does for a URI), and
the alternative of Spark jobs (per table, the row counts grouped by ``_metadata.file_path`` and the schema).
Each measure is the best of ``--runs``, after a warm-up job.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=250, help="Parquet files for quotes and for mentions")
    parser.add_argument("--out", type=Path, help="the corpus directory (default: a new temporary one)")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    from pyspark.sql import SparkSession

    from rustcase import engines
    from rustcase.engines.spark import HadoopFiles, session
    from rustcase.validation import Report

    out = args.out or Path(tempfile.mkdtemp()) / "corpus"
    if not out.exists():
        corpus.write(20 * args.files, out, files=args.files, chunk=2)
    spark: SparkSession = session()
    uri = f"file://{out.resolve()}"
    spark.read.parquet(f"{uri}/articles.parquet").count()  # start-up and the first job's warm-up

    def local() -> object:
        return engines.sources(out, Report())

    def hadoop() -> object:
        return engines.sources(uri, Report(), HadoopFiles(spark))

    def jobs() -> object:  # the listing, then the jobs
        for source in engines.sources(uri, Report(), HadoopFiles(spark)).values():
            spark.read.parquet(*source.uris).groupBy("_metadata.file_path").count().collect()
            spark.read.parquet(source.uris[0]).schema  # noqa: B018
        return None

    files = sum(len(s.files) for s in engines.sources(out, Report()).values())
    print(f"{files} Parquet files, {spark.sparkContext.master}")
    for name, run in [("pyarrow, local path", local), ("Hadoop API, file:// URI", hadoop), ("Spark jobs", jobs)]:
        best = min(_timed(run) for _ in range(args.runs))
        print(f"| {name} | {best:.2f} s | {best / files * 1000:.1f} ms per file |")


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
