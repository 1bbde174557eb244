"""Command line: ``python -m matching rank --offers O --requests R --top K`` writes rankings."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import NoReturn

from matching.exchange import ExchangeError, load_offers, load_requests
from matching.labels import label_for
from matching.types import Match

__all__ = ["main", "rankings_document"]

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: usage mistakes are bad input too."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see --help)\n")


def _positive_top(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--top: expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"--top: must be at least 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of ``python -m matching``."""
    parser = _Parser(
        prog="python -m matching",
        description="Rank offers for school requests (exchange format in, rankings JSON out).",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    rank = commands.add_parser(
        "rank",
        help="rank offers for every request and write the rankings JSON to standard output",
        description=(
            "Rank the offers for every request. Writes one JSON object "
            '{"rankings": [{"request_id", "matches": [{"offer_id", "score", "label", '
            '"reasons"}]}]} to standard output; requests in input order, matches by score '
            "(ties by offer id); label is zeer_goed, goed or redelijk. Bad input: exit "
            "status 2 and one line on standard error."
        ),
    )
    rank.add_argument("--offers", required=True, help="offers.json (exchange format)")
    rank.add_argument("--requests", required=True, help="requests.json (exchange format)")
    rank.add_argument(
        "--top", type=_positive_top, default=10, help="at most this many matches per request"
    )
    rank.add_argument(
        "--lang", choices=("nl", "en"), default="nl", help="language of the reasons (default nl)"
    )
    return parser


def rankings_document(
    request_ids: Sequence[str], results: Sequence[Sequence[Match]]
) -> dict[str, list[dict[str, object]]]:
    """Return the exchange format's ranking object for ranked requests.

    Parameters
    ----------
    request_ids : sequence of str
        Request ids in input order.
    results : sequence of sequence of Match
        The matches of each request, best first.

    Returns
    -------
    dict
        ``{"rankings": [{"request_id": ..., "matches": [{"offer_id", "score",
        "label", "reasons"}, ...]}, ...]}``; ``label`` is ``labels.label_for(score)``.
    """
    return {
        "rankings": [
            {
                "request_id": request_id,
                "matches": [
                    {
                        "offer_id": m.offer_id,
                        "score": round(m.score, 4),
                        "label": label_for(round(m.score, 4)),
                        "reasons": list(m.reasons),
                    }
                    for m in matches
                ],
            }
            for request_id, matches in zip(request_ids, results, strict=True)
        ]
    }


def _fail(message: str) -> int:
    # One line, whatever the message holds: callers parse standard error line by line.
    print(" ".join(message.split()), file=sys.stderr)
    return EXIT_BAD_INPUT


def _rank(args: argparse.Namespace) -> int:
    try:
        offers = load_offers(args.offers)
        requests = load_requests(args.requests)
    except ExchangeError as exc:
        return _fail(str(exc))
    except (MemoryError, RecursionError) as exc:
        return _fail(f"input too large or nested too deeply: {type(exc).__name__}")
    except OSError as exc:
        return _fail(f"cannot read input: {exc.strerror or exc}")
    except (ValueError, TypeError, KeyError) as exc:
        return _fail(f"bad input: {exc}")

    # Imported here: scikit-learn is only needed once the input has been read.
    from matching.index import MatchIndex

    try:
        index = MatchIndex(offers)
        results = index.query_many(requests, top=args.top, lang=args.lang)
        document = rankings_document([r.id for r in requests], results)
        text = json.dumps(document, ensure_ascii=False)
    except MemoryError:
        return _fail("out of memory while ranking")
    except RecursionError:
        return _fail("input nested too deeply")
    except ValueError as exc:
        return _fail(f"bad input: {exc}")

    try:
        sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): not an error of ours, and no traceback.
        return 0
    except OSError as exc:
        return _fail(f"cannot write output: {exc.strerror or exc}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 success, 2 bad input).

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        The exit status.
    """
    args = build_parser().parse_args(argv)
    if args.command == "rank":
        return _rank(args)
    return EXIT_BAD_INPUT  # pragma: no cover - argparse requires a known command
