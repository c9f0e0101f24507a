"""The exit codes of every verb, and the shape of a verb."""

from __future__ import annotations

import argparse
from collections.abc import Callable

#: 0 success, 1 the answer is "no" (breaches, infeasible), 2 bad input, 70 a bug of ours.
EXIT_OK, EXIT_NO, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 70

#: A verb: its parsed arguments in, its exit code out.
Command = Callable[[argparse.Namespace], int]
