"""The exceptions rustcase raises; every one says what was wrong and where, for one-line CLI messages."""

from __future__ import annotations


class RustcaseError(Exception):
    """Base of every error rustcase raises on purpose."""


class UnknownTableError(RustcaseError, KeyError):
    """A table name that is not one of rustcase's tables."""

    def __init__(self, table: str) -> None:
        from rustcase.tables import TABLE_KEYS

        self.table = table
        super().__init__(f"unknown table {table!r}; the tables are: {', '.join(TABLE_KEYS)}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownFormatError(RustcaseError, ValueError):
    """An export format rustcase does not write."""


class ExportError(RustcaseError):
    """An export that cannot be written (existing files, an unwritable directory)."""


class UnknownEngineError(RustcaseError, ValueError):
    """A validation engine rustcase does not have."""


class UnknownVersionError(RustcaseError, LookupError):
    """A data version or fingerprint that no shipped version has; the message lists the available ones."""


class DataFileError(RustcaseError):
    """A data file that is missing, damaged or changed, or cannot be read as the table it should hold."""


class MissingExtraError(RustcaseError, ImportError):
    """An optional dependency (pandas, polars) that the call needs is not installed."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(f"{package} is not installed; install it with: pip install 'rustcase[{extra}]'")
