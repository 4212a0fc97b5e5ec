"""Offsets in the unit a tool counts: Unicode code points (rustcase, Python), UTF-16 code units (JavaScript
tools: Label Studio, brat's web client) or UTF-8 bytes. One character outside the Basic Multilingual Plane
is one code point but two UTF-16 units and four bytes, so every later span shifts if the unit is wrong."""

from __future__ import annotations

UNITS = ("codepoint", "utf16", "utf8")
"""The offset units an export can declare."""


def _utf16(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def _utf8(char: str) -> int:
    return len(char.encode("utf-8", "surrogatepass"))


_WIDTH = {"utf16": _utf16, "utf8": _utf8}


class Offsets:
    """Conversion between code point indexes of one text and offsets in ``unit``."""

    def __init__(self, text: str, unit: str) -> None:
        self.unit = unit
        self._to: list[int] = list(range(len(text) + 1))
        if unit != "codepoint":
            width = _WIDTH[unit]
            total = 0
            for i, char in enumerate(text):
                total += width(char)
                self._to[i + 1] = total
        self._from = {offset: index for index, offset in enumerate(self._to)}

    def encode(self, index: int) -> int:
        """The offset in ``unit`` of code point index ``index``."""
        return self._to[index]

    def decode(self, offset: int) -> int:
        """The code point index of ``offset``; `ValueError` when it falls inside a character or the text."""
        try:
            return self._from[offset]
        except (KeyError, TypeError):
            raise ValueError(f"{offset!r} is not a {self.unit} offset between characters of the text") from None
