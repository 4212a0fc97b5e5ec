"""The checks run by polars: lazy scans of the Parquet files, a join and ``str.slice`` for the spans
(``rustcase[polars]``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from rustcase import checks
from rustcase.engines import Source, flags
from rustcase.errors import MissingExtraError

if TYPE_CHECKING:
    import polars as pl

ENGINE: Literal["streaming", "in-memory"] = "streaming"
"""polars' streaming engine: batches of rows, so memory stays bounded as the corpus grows."""


class PolarsBackend:
    """`rustcase.engines.Backend` on polars' lazy frames."""

    def __init__(self) -> None:
        try:
            import polars
        except ImportError:
            raise MissingExtraError("polars", "polars") from None
        self.pl = polars
        self.errors: tuple[type[Exception], ...] = (polars.exceptions.PolarsError, OSError)
        self.loaded: tuple[pl.DataFrame, pl.Series] | None = None

    def scan(self, source: Source) -> pl.LazyFrame:
        """The table with ``__index``, its row over all files (from 0), in the files' order (a column of the
        files by that name, never a table's, is dropped: it is reported as unexpected)."""
        import pyarrow as pa

        index = "__index"
        while index in source.schema.names:
            index += "_"
        options: dict[str, Any] = {}
        if source.mixed:  # integer widths differ between files: each is read as int64
            wide = pa.schema([f.with_type(pa.int64()) if pa.types.is_integer(f.type) else f for f in source.schema])
            options = {
                "schema": self.pl.DataFrame(wide.empty_table()).schema,
                "cast_options": self.pl.ScanCastOptions(integer_cast="upcast"),
            }
        frame = self.pl.scan_parquet(list(source.files), hive_partitioning=False, row_index_name=index, **options)
        return frame if index == "__index" else frame.drop("__index").rename({index: "__index"})

    def flag(self, column: checks.Column, kind: str, is_list: bool) -> pl.Expr:
        c = self.pl.col(column.name)
        if kind == "required":
            return c.is_null()
        if kind == "nested":
            return c.list.len() > 0 if is_list else c.is_not_null()
        if kind == "enum":
            return ~c.is_in(list(column.enum))
        if kind == "pattern":
            return ~c.str.contains(checks.regex(column.pattern or ""))
        if kind == "min_length":  # the byte length says it when nothing but emptiness is refused
            return c.str.len_bytes() < 1 if column.min_length == 1 else c.str.len_chars() < (column.min_length or 0)
        if kind == "minimum":
            return c < (column.minimum or 0)
        return c > (column.maximum or 0)

    def flagged(self, source: Source, table: checks.TableChecks) -> list[dict[str, Any]]:
        import pyarrow as pa

        pl = self.pl
        lists = {f.name for f in source.schema if pa.types.is_list(f.type) or pa.types.is_large_list(f.type)}
        exprs = [
            self.flag(c, kind, c.name in lists).fill_null(False).alias(f"{c.name}:{kind}")
            for c in table.columns
            for kind in flags(c)
        ]
        if not exprs:
            return []
        names = ["__index", *table.names]
        frame = self.scan(source)
        if source.table == "articles" and {"article_id", "text"} <= set(table.names):  # read once, kept
            texts = self.article_texts(source)[1]  # for the spans, which need them all
            frame = frame.drop("text").with_columns(pl.lit(texts).gather(pl.col("__index")).alias("text"))
        found = (
            frame.select(*names, *exprs)
            .filter(pl.any_horizontal(*(pl.col(e.meta.output_name()) for e in exprs)))
            .collect(engine=ENGINE)
        )
        return found.to_dicts()

    def rows(self, frame: pl.LazyFrame) -> list[tuple[Any, ...]]:
        return sorted(frame.collect(engine=ENGINE).rows())

    def duplicates(self, source: Source, key: str) -> list[tuple[int, Any]]:
        pl = self.pl
        frame = self.scan(source).select("__index", key)
        hashes = frame.select(hashed(pl.col(key))).collect(engine=ENGINE).to_series().to_numpy()
        hashes = hashes if hashes.flags.writeable else hashes.copy()
        hashes.sort()  # in place: 8 bytes a row, where a hash set takes several times that
        if not (hashes[1:] == hashes[:-1]).any():  # every hash differs, so every key does (the usual case)
            return []
        del hashes
        repeated = frame.group_by(key).agg(pl.len()).filter(pl.col("len") > 1).select(key)
        return [(r[0], r[1]) for r in self.rows(frame.join(repeated, on=key, nulls_equal=True))]

    def missing(self, source: Source, column: str, targets: list[Source]) -> list[tuple[int, Any]]:
        """An anti-join on the values themselves (polars compares the strings: no hash decides an answer)."""
        pl = self.pl
        if sum(source.rows) == 0 or _all_null(source, column):
            return []
        frame = self.scan(source).select("__index", column).filter(pl.col(column).is_not_null())
        keys = [self.scan(t).select(pl.col(checks.table_checks(t.table).key).alias(column)) for t in targets]
        if keys:
            frame = frame.join(pl.concat(keys), on=column, how="anti")
        return [(r[0], r[1]) for r in self.rows(frame)]

    def partial(self, source: Source, names: list[str]) -> list[int]:
        pl = self.pl
        valid = [pl.col(n).is_not_null() for n in names]
        frame = self.scan(source).select("__index", *names)
        return [r[0] for r in self.rows(frame.filter(pl.any_horizontal(valid) & ~pl.all_horizontal(valid)))]

    def article_texts(self, articles: Source) -> tuple[pl.DataFrame, pl.Series]:
        """Each article ID with the number and length of its first row (the row the Arrow validator looks
        up), and the texts: read once, by the articles' column checks (which need the texts too) or else by
        the first span check, and kept, since every span needs them."""
        if self.loaded is None:
            pl = self.pl
            text = pl.col("text")
            query = self.scan(articles).select("article_id", text, text.str.len_chars().alias("__length"))
            frame = query.collect(engine=ENGINE).rechunk()
            firsts = frame.select("article_id", "__length").with_row_index("__row")
            self.loaded = firsts.unique("article_id", keep="first", maintain_order=True), frame["text"]
        return self.loaded

    def spans(
        self, source: Source, span: checks.Span, articles: Source, unique: bool
    ) -> list[tuple[int, int, int, int, str, Any]]:
        pl = self.pl
        s, e, x, t = pl.col(span.start), pl.col(span.end), pl.col(span.text), pl.col("__text")
        outside = (s < 0) | (e < s) | (e > pl.col("__length"))
        piece = t.str.slice(s.clip(0), (e - s).clip(0))  # the slice of a span outside is not used, never fails
        firsts, texts = self.article_texts(articles)
        frame = (
            self.scan(source)
            .select("__index", "article_id", span.start, span.end, span.text)
            .filter(x.is_not_null() & s.is_not_null() & e.is_not_null())
            .join(firsts.lazy(), on="article_id")
            .with_columns(pl.lit(texts).gather(pl.col("__row")).alias("__text"))  # not joined: a join copies
            .filter(outside | (piece != x))
            .select("__index", s, e, "__length", x, pl.when(outside).then(None).otherwise(piece))
        )
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in self.rows(frame)]

    def keys(self, source: Source, values: list[str]) -> set[str]:
        key = checks.table_checks(source.table).key
        found = self.scan(source).select(key).filter(self.pl.col(key).is_in(values)).collect(engine=ENGINE)
        return set(found[key].to_list())

    def texts(self, articles: Source, ids: list[str]) -> dict[str, str]:
        firsts, texts = self.article_texts(articles)
        found = firsts.filter(self.pl.col("article_id").is_in(ids))
        return {article: texts[row] for article, row in found.select("article_id", "__row").rows()}


def hashed(column: pl.Expr) -> pl.Expr:
    """A 64-bit hash of each value: equal values hash alike; a collision of unequal ones costs a comparison."""
    return column.hash()


def _all_null(source: Source, column: str) -> bool:
    """Whether the Parquet footers say a column holds no value in any file."""
    import pyarrow.parquet as pq

    for file in source.files:
        meta = pq.read_metadata(file)
        leaves = [i for i in range(meta.num_columns) if meta.schema.column(i).path == column]
        if len(leaves) != 1:
            return False
        for group in map(meta.row_group, range(meta.num_row_groups)):
            stats = group.column(leaves[0]).statistics
            if stats is None or not stats.has_null_count or stats.null_count != group.num_rows:
                return False
    return True
