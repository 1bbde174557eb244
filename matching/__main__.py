"""Entry point of ``python -m matching``."""

from __future__ import annotations

import os
import sys

from matching.cli import main

if __name__ == "__main__":
    try:
        status = main()
    except KeyboardInterrupt:
        status = 130
    except BrokenPipeError:
        status = 0
    # Output was written in full or not at all; a reader that closed the pipe early
    # must not make the interpreter print a traceback at exit.
    try:
        sys.stdout.flush()
    except (BrokenPipeError, OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(status)
