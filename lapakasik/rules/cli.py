"""``rules params --on DATE`` and ``rules estimate --format json``, as a pure function.

The Django management command (``python -m lapakasik rules …``) only forwards its arguments and
streams here, so the command, ``python -m lapakasik.rules`` and the tests share one behaviour.
Exit status: 0 ok, 2 invalid input (a JSON error naming the field is printed on stdout).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from .api import error_json, estimate
from .errors import RulesInputError
from .params import params_missing_on, params_on, stale_parameters

EXIT_OK = 0
EXIT_INPUT_ERROR = 2


def run(argv: list[str], stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    arguments = _parser().parse_args(argv)
    if arguments.command == "params":
        return _params(arguments, stdout)
    return _estimate(stdin, stdout)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rules", description="Benefit law: parameters and estimates")
    commands = parser.add_subparsers(dest="command", required=True)
    params = commands.add_parser("params", help="list the parameters in force on a date")
    params.add_argument("--on", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
    params.add_argument(
        "--stale", action="store_true", help="list parameters past their review date (or never confirmed)"
    )
    params.add_argument("--format", choices=("text", "json"), default="text")
    estimate_command = commands.add_parser(
        "estimate", help="read one case as JSON on stdin, print the result"
    )
    estimate_command.add_argument("--format", choices=("json",), default="json")
    return parser


def _estimate(stdin: TextIO, stdout: TextIO) -> int:
    try:
        result = estimate(stdin.read())
    except RulesInputError as error:
        print(error_json(error), file=stdout)
        return EXIT_INPUT_ERROR
    print(json.dumps(result, ensure_ascii=False, indent=2), file=stdout)
    return EXIT_OK


def _params(arguments: argparse.Namespace, stdout: TextIO) -> int:
    if arguments.on is None and not arguments.stale:
        raise SystemExit("rules params: give --on YYYY-MM-DD or --stale")
    arguments.on = arguments.on or date.today()
    if arguments.stale:
        return _stale(arguments, stdout)
    rows = params_on(arguments.on)
    missing = params_missing_on(arguments.on)
    if arguments.format == "json":
        body = {"on": arguments.on, "parameters": rows, "not_defined": missing}
        print(json.dumps(body, default=_json_default, ensure_ascii=False, indent=2), file=stdout)
        return EXIT_OK
    for row in rows:
        period = f"{row['valid_from']}..{row['valid_to'] or ''}"
        doubt = "  [U]" if row["doubt"] else ""
        print(f"{row['name']} = {_show(row['value'])}  ({period}; {row['ref']}){doubt}", file=stdout)
    if missing:
        print(f"# not defined on {arguments.on}: {', '.join(missing)}", file=stdout)
    return EXIT_OK


def _stale(arguments: argparse.Namespace, stdout: TextIO) -> int:
    """Parameters nobody has checked against the source recently enough; listing is not failing."""
    rows = stale_parameters(arguments.on)
    if arguments.format == "json":
        body = {"on": arguments.on, "stale": rows}
        print(json.dumps(body, default=_json_default, ensure_ascii=False, indent=2), file=stdout)
        return EXIT_OK
    for row in rows:
        checked = "never confirmed" if row["never_confirmed"] else f"confirmed {row['confirmed_on']}"
        print(f"{row['name']}: review by {row['review_by']} ({checked})", file=stdout)
    print(f"# {len(rows)} parameter(s) due for review on {arguments.on}", file=stdout)
    return EXIT_OK


def _show(value: Any) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON serialisable: {value!r}")
