"""Shared by the whole exchange package: the error type, message quoting, the GC pause."""

from __future__ import annotations

import contextlib
import gc
import json
import re
from collections.abc import Iterator

_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _one_line(text: str) -> str:
    return _UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _q(value: object, limit: int = 60) -> str:
    """Quote a value for a message: short, one line, JSON-ish."""
    text = value if isinstance(value, str) else json.dumps(value, default=repr)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return '"' + _one_line(text) + '"'


class ExchangeError(ValueError):
    """Bad exchange data; ``str()`` is one line naming file, record and field.

    ``record_id`` is None for whole-file problems and for records without a
    usable id (then ``index``, 0-based, tells which record); ``field`` is None
    when the problem is not one key's value.
    """

    def __init__(
        self,
        file: str,
        record_id: str | None,
        field: str | None,
        message: str,
        *,
        index: int | None = None,
    ) -> None:
        self.file = file
        self.record_id = record_id
        self.field = field
        self.message = message
        self.index = index
        super().__init__(self._line())

    def _line(self) -> str:
        parts = [_one_line(self.file)]
        if self.record_id is not None:
            parts.append(f"record {_q(self.record_id)}")
        elif self.index is not None:
            parts.append(f"record #{self.index + 1}")
        if self.field is not None:
            parts.append(f"field {_q(self.field)}")
        parts.append(_one_line(self.message))
        return ": ".join(parts)

    def __str__(self) -> str:
        return self._line()


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building many acyclic objects.

    Each generation-0 collection rescans the growing heap, which made decoding
    10^5 records three times slower; the decoded data has no cycles to find.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
