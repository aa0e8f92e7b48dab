"""`pufa selftest --mutate`: the mutation check for the test suite (filled in below)."""

from __future__ import annotations

import argparse


def add_selftest_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("selftest", help="check that the tests catch broken features")
    p.add_argument("--mutate", action="store_true")
    p.set_defaults(func=lambda args: 0)
