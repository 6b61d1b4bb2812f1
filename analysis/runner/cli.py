"""The command line: ``python -m analysis.runner run|check|index``.

Owns argument parsing, the terminal summary and exit codes (0 every job succeeded or was
unchanged, 1 some failed, 2 the run file or a parameter is wrong and nothing ran, 3 another
run is writing to the reports folder and nothing ran). Jobs left out because their
ceasefire's windows do not fit the data, or because they name curated ceasefire ids while the
run reads an ETH/PRIO table, are listed as ``skipped`` with the reason; they are not failures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis import paths
from analysis.runner.gallery import build_index
from analysis.runner.outcomes import STATUS_OK, STATUS_UNCHANGED, SUCCESS, JobResult
from analysis.runner.parameters import RunFileError
from analysis.runner.publish import ReportsBusy
from analysis.runner.runfile import SkippedJob, plan_run_file
from analysis.runner.schedule import EXECUTORS, run_jobs

STATUS_SKIPPED = "skipped"


def summary_table(results: Sequence[JobResult], skipped: Sequence[SkippedJob] = ()) -> str:
    """A plain-text table of job outcomes for the terminal.

    Parameters
    ----------
    results : sequence of JobResult
        From :func:`analysis.runner.schedule.run_jobs`.
    skipped : sequence of SkippedJob
        Jobs left out, with the reason (listed last).

    Returns
    -------
    str
        One line per job: name, status, seconds, and the folder, the first error line or the
        reason it was skipped; unchanged jobs say that their published copy stands.
    """
    rows = [("job", "status", "seconds", "detail")]
    for r in results:
        lines = (r.error or "").splitlines() or [""]
        detail = r.folder if r.status == STATUS_OK else lines[0]
        if r.status == STATUS_UNCHANGED:
            detail = "nothing changed: the published copy stands"
        rows.append((r.name, r.status, f"{r.seconds:.1f}", detail[:100]))
    for job in skipped:
        rows.append((job.name, STATUS_SKIPPED, "-", job.reason[:160]))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}  {d}" for a, b, c, d in rows]
    lines.insert(1, "-" * min(120, max(len(line) for line in lines)))
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis.runner",
        description="Run parameterised notebooks into shareable HTML reports.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the jobs of a run file")
    check = sub.add_parser("check", help="expand and validate a run file; run nothing")
    for p in (run, check):
        p.add_argument("run_file", type=Path, help="YAML run file, e.g. notebooks/reports.yml")
        p.add_argument(
            "-p",
            "--parameter",
            nargs=2,
            action="append",
            default=[],
            metavar=("NAME", "VALUE"),
            help="override a parameter in every job whose notebook declares it (typed by "
            "the notebook's declaration, not guessed)",
        )
        p.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="GLOB",
            help="run only jobs whose name matches (repeatable)",
        )
        p.add_argument("--timeout", type=float, default=None, help="seconds per job")
    run.add_argument("--workers", type=int, default=None, help="parallel jobs (default: cores)")
    run.add_argument("--executor", choices=EXECUTORS, default="process")
    run.add_argument(
        "--scheduler", default=None, help="Dask scheduler address (with --executor dask)"
    )
    run.add_argument("--show-code", action="store_true", help="keep code cells in the HTML")
    run.add_argument("--reports-dir", default=None, help="output folder (default: reports/)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument(
        "--force",
        action="store_true",
        help="rerun every job, also those whose notebook, parameters, inputs and package "
        "code are unchanged since their published report",
    )
    run.add_argument(
        "--wait",
        action="store_true",
        help="if another run is writing to the reports folder, wait for it (default: stop)",
    )
    sub.add_parser("index", help="rebuild reports/index.html").add_argument(
        "--reports-dir", default=None
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments after the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 if every job succeeded or was unchanged, 1 if any failed, 2 on bad input, 3 when
        another run holds the reports folder.
    """
    args = _parser().parse_args(argv)
    if args.command == "index":
        print(build_index(paths.reports_dir(args.reports_dir)))
        return 0
    try:
        plan = plan_run_file(
            args.run_file, dict(args.parameter), timeout=args.timeout, only=args.only
        )
    except RunFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        for job in plan.jobs:
            print(f"{job.name}: {job.notebook.name} {json.dumps(job.parameters)}")
        for left_out in plan.skipped:
            print(f"{left_out.name}: {STATUS_SKIPPED} ({left_out.reason})")
        return 0
    try:
        results = run_jobs(
            plan.jobs,
            reports_root=args.reports_dir,
            workers=args.workers,
            executor=args.executor,
            scheduler=args.scheduler,
            show_code=args.show_code,
            progress=not args.no_progress,
            run_file=args.run_file,
            skipped=plan.skipped,
            force=args.force,
            wait=args.wait,
        )
    except ReportsBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    print(summary_table(results, plan.skipped))
    unchanged = sum(r.status == STATUS_UNCHANGED for r in results)
    print(f"{len(results) - unchanged} run, {unchanged} unchanged (--force reruns them)")
    if plan.skipped:
        print(f"{len(plan.skipped)} job(s) skipped, each with its reason above (not failures)")
    root = paths.reports_dir(args.reports_dir)
    print(f"index: {root / 'index.html'}")
    return 0 if all(r.status in SUCCESS for r in results) else 1
