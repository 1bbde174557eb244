"""Strict JSON decoding of exchange files: every refused byte or value is located."""

from __future__ import annotations

import codecs
import json
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from matching.exchange.common import ExchangeError, _gc_paused, _q

# CPython refuses int() on more than 4300 digits by default; the format never
# needs more than a handful, so refuse long ones here with a located message.
MAX_INT_DIGITS = 4300


class _Invalid:
    """Stands in for a JSON value that must be refused, until its place is known."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _DuplicateKeys(dict[str, Any]):
    """An object that repeated a key; ``key`` is the first repeated one."""

    key: str = ""


def _path_text(path: Iterable[str | int]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _locate(data: Any) -> tuple[list[str | int], str] | None:
    """Find the first refused node in document order: (path, reason)."""
    # Iterative: the data may nest up to the recursion limit.
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Invalid):
            return path, node.reason
        if isinstance(node, _DuplicateKeys):
            return [*path, node.key], f"duplicate key {_q(node.key)}"
        if isinstance(node, dict):
            stack.extend((v, [*path, k]) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((v, [*path, i]) for i, v in reversed(list(enumerate(node))))
    return None


def _decode(raw: bytes, file: str) -> Any:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ExchangeError(file, None, None, "not UTF-8: the file is UTF-16 or UTF-32 encoded")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ExchangeError(
            file,
            None,
            None,
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at line {line} (offset {exc.start})",
        ) from None

    refused = False

    def constant(name: str) -> _Invalid:
        nonlocal refused
        refused = True
        return _Invalid(f"{name} is not a valid number")

    def integer(digits: str) -> int | _Invalid:
        nonlocal refused
        if len(digits) > MAX_INT_DIGITS:
            refused = True
            return _Invalid(f"integer with {len(digits.lstrip('-'))} digits is too long")
        return int(digits)

    def real(digits: str) -> float | _Invalid:
        nonlocal refused
        value = float(digits)
        if math.isfinite(value):
            return value
        refused = True
        return _Invalid(f"number {_q(digits, 24)} is out of range")

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal refused
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        refused = True
        seen: set[str] = set()
        marked = _DuplicateKeys(obj)
        for key, _ in pairs:
            if key in seen:
                marked.key = key
                break
            seen.add(key)
        return marked

    try:
        with _gc_paused():
            data = json.loads(
                text,
                parse_constant=constant,
                parse_int=integer,
                parse_float=real,
                object_pairs_hook=pairs_hook,
            )
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            file, None, None, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise ExchangeError(file, None, None, "not valid JSON: nested too deeply") from None
    except MemoryError:
        raise ExchangeError(file, None, None, "file too large to read") from None
    except Exception as exc:  # any other decoder complaint is still bad data, not a crash
        raise ExchangeError(file, None, None, f"not valid JSON: {exc}") from None

    if refused:
        found = _locate(data)
        if found is not None:
            path, reason = found
            record_id, index = None, None
            if path and isinstance(path[0], int):
                index = path[0]
                record = data[index]
                rid = record.get("id") if isinstance(record, dict) else None
                record_id = rid.strip() if isinstance(rid, str) and rid.strip() else None
                path = path[1:]
            field = _path_text(path) if path else None
            raise ExchangeError(file, record_id, field, reason, index=index)
        raise ExchangeError(file, None, None, "not valid JSON")
    return data


def read_json(path: str | os.PathLike[str]) -> Any:
    """Read and strictly decode a JSON file; every problem is an ExchangeError.

    Refused: a missing or unreadable file, invalid UTF-8, UTF-16/32, NaN and
    Infinity, numbers out of range, integers over 4300 digits, duplicate keys,
    nesting beyond the recursion limit. A UTF-8 byte order mark is accepted.
    """
    file = os.fspath(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ExchangeError(file, None, None, "file not found") from None
    except IsADirectoryError:
        raise ExchangeError(file, None, None, "is a directory, not a file") from None
    except PermissionError:
        raise ExchangeError(file, None, None, "permission denied") from None
    except OSError as exc:
        raise ExchangeError(file, None, None, f"cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:  # a path with a NUL byte, for one
        raise ExchangeError(file, None, None, f"cannot read: {exc}") from None
    except MemoryError:
        raise ExchangeError(file, None, None, "file too large to read") from None
    return _decode(raw, file)


def decode_json(raw: bytes, file: str = "<input>") -> Any:
    """Like ``read_json`` for bytes already in memory (an upload, say)."""
    return _decode(raw, file)
