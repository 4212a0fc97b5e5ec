"""Hostile input files, made on the spot for the benchmark's "hostile input" section and the misuse tests.

Nothing here is committed as data: each function writes one file into a directory it is given.
"""

from __future__ import annotations

import os
from pathlib import Path


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def forged_parquet(source: bytes, rows: int, claimed: int) -> bytes:
    """A Parquet file whose footer claims ``claimed`` rows where ``source`` holds ``rows``: every ``num_rows``
    in the footer (the file's and its row groups'; Thrift compact encoding, field header 0x16 and a zigzag
    varint) is rewritten. The same bytes can stand for something else: only rewrites that still parse are kept."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def whole(footer: bytes) -> bytes:
        return body + footer + len(footer).to_bytes(4, "little") + b"PAR1"

    def parses(footer: bytes) -> bool:
        try:
            pq.ParquetFile(pa.BufferReader(whole(footer))).metadata.row_group(0)
            return True
        except (OSError, pa.ArrowException, IndexError):
            return False

    length = int.from_bytes(source[-8:-4], "little")
    body, footer = source[: -8 - length], source[-8 - length : -8]
    old, new = b"\x16" + _varint(rows * 2), b"\x16" + _varint(claimed * 2)
    at = footer.find(old)
    while at >= 0:
        forged = footer[:at] + new + footer[at + len(old) :]
        if parses(forged):
            footer = forged
        at = footer.find(old, at + 1)
    if pq.ParquetFile(pa.BufferReader(whole(footer))).metadata.num_rows != claimed:
        raise ValueError("num_rows not found in the footer")
    return whole(footer)


def long_header(path: Path, size: int) -> Path:
    """A CSV file whose header is one line of ``size`` bytes (no newline), written in 1 MiB pieces."""
    piece = b"x," * (1 << 19)
    with path.open("wb") as f:
        for _ in range(size // len(piece)):
            f.write(piece)
    return path


def deep_json(path: Path, depth: int) -> Path:
    """A JSON Lines record whose list field is nested ``depth`` deep."""
    path.write_text('{"co_speaker_ids": ' + "[" * depth + "]" * depth + "}\n", encoding="utf-8")
    return path


def fifo(path: Path) -> Path:
    """A FIFO named like a table file: reading it would wait for a writer forever."""
    os.mkfifo(path)
    return path
