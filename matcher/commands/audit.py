"""``matcher audit verify LOG``; ``matcher audit override LOG CANDIDATE --decision D --reason R``.

Human oversight from the command line: check a log, or add a reasoned decision to it.
"""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="verify an audit log, or record a human override in it",
        description="Audit trail of ranking and allocation runs (hash-chained JSON Lines).",
    )
    sub = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)

    verify = sub.add_parser("verify", help="check that a log is complete and unaltered")
    verify.add_argument("log", help="audit log (JSON Lines)")
    verify.add_argument(
        "--expected-head",
        metavar="SHA256",
        help="hash of the last record kept elsewhere (anchors the log if the head file is lost)",
    )
    verify.add_argument("--json", action="store_true", help="print the result as JSON")
    verify.set_defaults(func=run_verify)

    override = sub.add_parser("override", help="record a human decision and its reason")
    override.add_argument("log", help="audit log (JSON Lines)")
    override.add_argument("candidate_id")
    override.add_argument(
        "--decision", required=True,
        help="shortlist, interview or eligible (the candidate counts as eligible), reject or "
        "ineligible (counts as ineligible)",
    )  # fmt: skip
    override.add_argument("--reason", required=True, help="why (required, non-empty)")
    override.add_argument(
        "--run-id", help="the run this decision departs from (default: the log's last run)"
    )
    override.add_argument("--actor", help="who decided (a role or staff id, not a name)")
    override.set_defaults(func=run_override)


def run_verify(args: argparse.Namespace) -> int:
    from matcher.audit import verify_audit_log

    result = verify_audit_log(args.log, expected_head=args.expected_head)
    if args.json:
        print(
            json.dumps(
                {
                    "ok": result.ok,
                    "n_records": result.n_records,
                    "runs": result.runs,
                    "overrides": result.overrides,
                    "last_hash": result.last_hash,
                    "problems": list(result.problems),
                },
                indent=2,
            )
        )
    elif result.ok:
        print(
            f"OK: {result.n_records} records ({result.runs} runs, {result.overrides} overrides), "
            f"last hash {result.last_hash}"
        )
    else:
        print(f"FAILED: {args.log}: {len(result.problems)} problem(s)", file=sys.stderr)
        for problem in result.problems:
            print(f"- {problem}", file=sys.stderr)
    return 0 if result.ok else 1


def run_override(args: argparse.Namespace) -> int:
    from pathlib import Path

    from matcher.audit import AuditLog, verify_audit_log
    from matcher.errors import AuditError

    if not Path(args.log).is_file():
        raise AuditError(f"{args.log}: no such audit log")
    if not verify_audit_log(args.log).runs:
        raise AuditError(
            f"{args.log}: the log records no run to decide on; rank with --audit {args.log} first"
        )
    log = AuditLog(args.log)
    log.record_override(
        args.candidate_id, args.decision, args.reason, run_id=args.run_id, actor=args.actor
    )
    n, last = log.head
    print(
        f"recorded the decision {args.decision!r} for {args.candidate_id}; log now {n} records, "
        f"last hash {last}\napply it with: matcher rank|report ... --overrides {args.log}"
    )
    return 0
