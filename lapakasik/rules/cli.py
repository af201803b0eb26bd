"""``rules params --on DATE``, ``rules estimate --format json`` and ``rules estimate --batch FILE``, as a pure function.

The Django management command (``python -m lapakasik rules …``) only forwards its arguments and
streams here, so the command, ``python -m lapakasik.rules`` and the tests share one behaviour.
Exit status: 0 ok, 2 invalid input (a JSON error naming the field is printed on stdout). With
``--batch`` a case that is invalid is answered by its own error entry (exit 0); 2 means the file itself
could not be read as a JSON list of cases.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from .api import error_dict, error_json, estimate, estimate_many
from .errors import RulesInputError
from .params import params_missing_on, params_on, stale_parameters

EXIT_OK = 0
EXIT_INPUT_ERROR = 2


def run(argv: list[str], stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    arguments = _parser().parse_args(argv)
    if arguments.command == "params":
        return _params(arguments, stdout)
    if arguments.batch is not None:
        return _estimate_batch(arguments.batch, stdin, stdout)
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
    estimate_command.add_argument(
        "--batch",
        metavar="FILE.json",
        help="estimate every case of a JSON list in FILE (- for stdin) instead of one case on stdin",
    )
    return parser


def _estimate(stdin: TextIO, stdout: TextIO) -> int:
    try:
        result = estimate(stdin.read())
    except RulesInputError as error:
        print(error_json(error), file=stdout)
        return EXIT_INPUT_ERROR
    print(json.dumps(result, ensure_ascii=False, indent=2), file=stdout)
    return EXIT_OK


def _estimate_batch(path: str, stdin: TextIO, stdout: TextIO) -> int:
    """``{"results": [{"result": …} | {"error": …}, …], "computed": n, "refused": m}``, in the file's order."""
    try:
        cases = _read_batch(path, stdin)
    except RulesInputError as error:
        print(error_json(error), file=stdout)
        return EXIT_INPUT_ERROR
    answers = estimate_many(cases)
    results = [
        {"error": error_dict(answer)} if isinstance(answer, RulesInputError) else {"result": answer}
        for answer in answers
    ]
    refused = sum(1 for answer in answers if isinstance(answer, RulesInputError))
    body = {"results": results, "computed": len(answers) - refused, "refused": refused}
    print(json.dumps(body, ensure_ascii=False, indent=2), file=stdout)
    return EXIT_OK


def _read_batch(path: str, stdin: TextIO) -> list[Any]:
    try:
        text = stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RulesInputError(
            "batch",
            f"Berkas tidak dapat dibaca: {error}",
            f"The file cannot be read: {error}",
            code="file_unreadable",
        ) from None
    try:
        cases = json.loads(text)
    except ValueError:
        raise RulesInputError(
            "batch", "Bukan JSON yang valid.", "Not valid JSON.", code="json_invalid"
        ) from None
    if not isinstance(cases, list):
        raise RulesInputError(
            "batch", "Harus berupa daftar kasus JSON.", "Must be a JSON list of cases.", code="list_type"
        )
    # A case that is not an object goes in as its JSON text, refused as ``estimate`` refuses such input.
    return [case if isinstance(case, dict) else json.dumps(case) for case in cases]


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
