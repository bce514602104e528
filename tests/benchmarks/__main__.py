"""``python -m tests.benchmarks [--scale 10k|100k|1m] [--only CASE…] [--json OUT]``.

Builds (or reuses) the synthetic catalogue of the scale, measures the machine's limits, runs every
case of the bench modules present, each in fresh processes, and prints a table: case, figure,
target, the machine limit it is compared with, the ratio, and pass / slow / FAIL. A case fails when
one of its own correctness checks fails; "slow" means correct but short of its target.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sqlite3
import sys
import time
from pathlib import Path

from tests.benchmarks import harness
from tests.benchmarks.harness import (DATA_DIR, CaseResult, CaseSpec, Context, format_table,
                                      run_case, scale_to_n, statistic, table_rows)


def machine() -> dict:
    """What the figures were measured on."""
    import psutil
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": psutil.cpu_count(logical=True),
            "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "os": platform.platform(), "load_average": [round(x, 2) for x in os.getloadavg()]}


def run_benchmarks(scale: str = "10k", only: list[str] | None = None, *, smoke: bool = False,
                   repeat: int | None = None, json_out: str | None = None,
                   skip: list[str] | None = None, log=print) -> dict:
    """Run the benchmarks and return everything measured.

    Args:
        scale: ``10k``, ``100k``, ``1m`` or a number of records.
        only: case name patterns to run (``store.bulk_import``, ``search``, ``search.*``).
        skip: case name patterns not to run.
        smoke: the quick CI run (one run per case, small files).
        repeat: runs per case, overriding each case's own.
        json_out: write the results there as JSON.
        log: where progress lines go.

    Returns:
        ``{"machine", "scale", "n", "limits", "results", "rows", "notes"}``; ``results`` are
        :class:`CaseResult` values.
    """
    from tests.benchmarks.synth_catalogue import ensure_catalogue

    n = scale_to_n(scale)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    specs, notes = harness.discover(only)
    if smoke:
        specs = [s for s in specs if s.options["smoke"]]
    if skip:
        specs = [s for s in specs if not any(harness._matches(s.name, pat) for pat in skip)]
    started = time.perf_counter()
    log(f"synthetic catalogue of {n:,} records …")
    catalogue, manifest = ensure_catalogue(n)
    log(f"  {catalogue} ({time.perf_counter() - started:.1f} s)")
    base = Context(scale=str(scale), n=n, catalogue=str(catalogue), manifest=manifest,
                   workdir="", data_dir=str(DATA_DIR), limits={}, smoke=smoke)

    log("machine limits …")
    limit_spec = CaseSpec("limits", "tests.benchmarks.limits", "case_limits",
                          {"repeat": 1, "smoke": True, "timeout": 3600, "needs_catalogue": True})
    limit_result = run_case(limit_spec, base, repeat=1)
    if not limit_result.correct:
        notes.append("machine limits: " + "; ".join(
            limit_result.errors + [c["name"] for c in limit_result.checks if not c["ok"]]))
    limits = {f.name: statistic(f.samples, f.stat) for f in limit_result.figures}
    for key, value in limits.items():
        log(f"  {key:28} {value:,.2f}")
    base = dataclasses.replace(base, limits=limits)

    results: list[CaseResult] = []
    for spec in specs:
        log(f"{spec.name} …")
        res = run_case(spec, base, repeat)
        results.append(res)
        status = "skipped: " + res.skipped if res.skipped else ("ok" if res.correct else "FAILED")
        log(f"  {status} ({res.seconds:.1f} s, {res.runs} run(s))")
        for err in res.errors:
            log("  " + err.strip().replace("\n", "\n  "))
        for chk in res.checks:
            if not chk["ok"]:
                log(f"  check failed: {chk['name']} {chk['detail']}")
        for line in format_table(table_rows([res], limits)).splitlines()[2:]:
            log("  " + line)  # the rows so far, in case a long run is stopped
    rows = table_rows(results, limits)
    out = {"machine": machine(), "scale": str(scale), "n": n, "manifest": manifest,
           "limits": limits, "results": results,
           "rows": rows, "notes": notes, "limits_correct": limit_result.correct,
           "seconds": time.perf_counter() - started}
    if json_out:
        serial = dict(out, results=[r.as_dict() for r in results])
        Path(json_out).write_text(json.dumps(serial, indent=1, ensure_ascii=False, default=str))
    return out


def main(argv: list[str] | None = None) -> int:
    """The command line; exits 1 when any case failed a correctness check."""
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__.split("\n\n")[1])
    parser.add_argument("--scale", default="10k", help="10k, 100k, 1m or a number of records")
    parser.add_argument("--only", nargs="+", metavar="CASE", help="case names or patterns")
    parser.add_argument("--skip", nargs="+", metavar="CASE", help="case names or patterns not to run")
    parser.add_argument("--json", metavar="OUT", help="also write the results as JSON")
    parser.add_argument("--repeat", type=int, help="runs per case (default: each case's own)")
    parser.add_argument("--smoke", action="store_true", help="quick run: one run per case, small files")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args(argv)
    if args.list:
        specs, notes = harness.discover(args.only)
        for spec in specs:
            if not any(harness._matches(spec.name, pat) for pat in args.skip or ()):
                print(spec.name)
        for note in notes:
            print("#", note)
        return 0
    out = run_benchmarks(args.scale, args.only, smoke=args.smoke, repeat=args.repeat,
                         json_out=args.json, skip=args.skip, log=lambda m: print(m, file=sys.stderr, flush=True))
    m = out["machine"]
    print(f"\nArchivist benchmarks at {out['n']:,} records — {m['cpu']}, {m['cores']} cores,"
          f" {m['ram_gb']} GB RAM, Python {m['python']}, SQLite {m['sqlite']};"
          f" load average {m['load_average'][1]:.1f} at the end of the run\n")
    print(format_table(out["rows"]))
    built = out["manifest"]
    if built.get("import_seconds"):
        print(f"\nthe cached catalogue was built through the bulk path at"
              f" {built['records'] / built['import_seconds']:,.0f} records/s (search index included;"
              f" generation excluded)")
    for note in out["notes"]:
        print(f"note: {note}")
    failed = [r.name for r in out["results"] if not r.skipped and not r.correct]
    if failed or not out["limits_correct"]:
        print(f"\nFAILED correctness: {', '.join(failed) or 'machine limits'}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
