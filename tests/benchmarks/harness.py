"""The benchmark harness: discovers cases, runs each in a fresh process, aggregates and judges.

Writing a case (in ``tests/benchmarks/bench_<area>.py``)
--------------------------------------------------------
A bench module exposes functions named ``case_<name>(ctx)`` (or a dict ``CASES`` of name →
function). Each takes a :class:`Context` and returns a :class:`Figure` or a list of them (plain
dicts with the same keys are accepted too). It checks its own work with ``ctx.check(...)`` so a
fast result that skipped work fails::

    from tests.benchmarks.harness import Figure, case

    @case(repeat=3)
    def case_ranked(ctx):
        cat = open_catalogue(ctx.catalogue)         # the cached synthetic catalogue: read only
        times = [...]                                # one sample per query, in ms
        ctx.check("common word hits", hits == ctx.manifest["markers"]["qxhalf"])
        return Figure("search ranked", times, "ms", stat="p95", better="lower",
                      target=30 if ctx.n <= 100_000 else 100, limit="fts5_query_p95_ms")

The case runs ``repeat`` times, each time in a new Python process (``--repeat`` overrides), and
its samples are pooled: the table shows the chosen statistic (median or p95) over all of them.
``ctx.workdir`` is an empty folder of its own; ``ctx.writable_catalogue()`` copies the catalogue
there for cases that edit. ``ctx.smoke`` is true in the CI smoke run: do little (a few images).
``ctx.limits`` holds the machine limits measured at the start of the same run (see ``limits.py``):
name a limit in ``Figure.limit`` and the table shows ``value / limit`` as the ratio; give
``target_ratio`` when the target itself is a ratio (JPEG ingest ≥ 0.8 × the draft-decode bound).
A module that fails to import (ImportError) is skipped with a note, and so is a case that raises
ImportError (a part it needs is not written yet); a case that raises anything else fails.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = Path(__file__).resolve().parent / "_data"
BENCH_MODULES = ("bench_store", "bench_search", "bench_gui", "bench_scans", "bench_export")
SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
DEFAULT_TIMEOUT = 3600


def scale_to_n(scale: str) -> int:
    """Records for a scale name (``10k``, ``100k``, ``1m``) or a plain number."""
    key = str(scale).lower().replace("_", "")
    if key in SCALES:
        return SCALES[key]
    if key.isdigit() and int(key) > 0:
        return int(key)
    raise ValueError(f"unknown scale {scale!r}; use one of {', '.join(SCALES)} or a number")


@dataclass
class Figure:
    """One measured figure of a case.

    Attributes:
        name: what was measured ("bulk import", "search ranked").
        samples: measurements (one per run, or one per query).
        unit: "rows/s", "ms", "MB" ...
        stat: the statistic shown and judged: median, p95, max or min.
        better: "higher" or "lower".
        target: absolute target in ``unit`` (None: no absolute target).
        limit: name of the machine limit to compare with (a key of ``ctx.limits``).
        target_ratio: target for ``value / limit`` (None: the ratio is shown, not judged).
        note: a short remark printed with the figure.
        limit_samples: the limit measured by the case itself, on the same input and between its
            own runs, pooled like ``samples``; when given, their median is the limit instead of
            the one measured at the start of the run. A bound that varies with the input or with
            the moment (this machine's speed drifts by a fifth over seconds) is then compared
            like with like.
    """

    name: str
    samples: list[float] | float
    unit: str
    stat: str = "median"
    better: str = "higher"
    target: float | None = None
    limit: str | None = None
    target_ratio: float | None = None
    note: str = ""
    limit_samples: list[float] | None = None

    def __post_init__(self):
        if isinstance(self.samples, (int, float)):
            self.samples = [float(self.samples)]
        self.samples = [float(s) for s in self.samples]
        if self.limit_samples is not None:
            if not self.limit:
                raise ValueError("limit_samples need the limit's name")
            self.limit_samples = [float(s) for s in self.limit_samples]
        if self.stat not in ("median", "p95", "max", "min"):
            raise ValueError(f"unknown stat {self.stat!r}")
        if self.better not in ("higher", "lower"):
            raise ValueError(f"better must be 'higher' or 'lower', not {self.better!r}")


@dataclass
class Context:
    """What a case gets (serialisable, passed to the case's own process).

    Attributes:
        scale: the scale name given on the command line.
        n: records in the synthetic catalogue.
        catalogue: the cached synthetic catalogue folder (shared: do not write to it).
        manifest: what the generator put in it (counts, marker words and their record counts).
        workdir: an empty folder for this run only.
        data_dir: the cache folder shared across runs (``tests/benchmarks/_data``).
        limits: machine limits measured in this run.
        smoke: a quick CI run: keep the work small.
        run_index: which repetition this is (0-based).
    """

    scale: str
    n: int
    catalogue: str | None
    manifest: dict
    workdir: str
    data_dir: str
    limits: dict
    smoke: bool = False
    run_index: int = 0
    checks: list = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        """Record a correctness check; a failed check fails the case."""
        self.checks.append({"name": name, "ok": bool(ok), "detail": str(detail)})
        return bool(ok)

    def writable_catalogue(self) -> Path:
        """A private copy of the synthetic catalogue in ``workdir`` (for cases that edit)."""
        if not self.catalogue:
            raise RuntimeError("this run has no synthetic catalogue")
        dest = Path(self.workdir) / "catalogue.archivist"
        if not dest.exists():
            copy_catalogue_folder(Path(self.catalogue), dest)
        return dest


def copy_catalogue_folder(src: Path, dest: Path) -> None:
    """Copy a catalogue folder consistently (SQLite backup for the database, files for the rest)."""
    import sqlite3
    dest.mkdir(parents=True)
    for item in src.iterdir():
        if item.name.startswith(("catalogue.sqlite", "catalogue.backup-")):
            continue
        if item.is_dir():
            shutil.copytree(item, dest / item.name)
        else:
            shutil.copy2(item, dest / item.name)
    source = sqlite3.connect(f"file:{src / 'catalogue.sqlite'}?mode=ro", uri=True)
    target = sqlite3.connect(dest / "catalogue.sqlite")
    with target:
        source.backup(target)
    target.execute("PRAGMA journal_mode = WAL")
    source.close()
    target.close()


def case(*, repeat: int = 3, smoke: bool = True, timeout: float = DEFAULT_TIMEOUT,
         needs_catalogue: bool = True) -> Callable:
    """Decorate a case function with its options.

    Args:
        repeat: fresh-process runs whose samples are pooled (1 in the smoke run); or a function
            of the number of records giving it (fewer runs at 1M).
        smoke: whether the case runs in the CI smoke run.
        timeout: seconds before a run is killed and fails.
        needs_catalogue: whether the synthetic catalogue must exist first.
    """
    def wrap(fn):
        fn.bench_options = {"repeat": repeat, "smoke": smoke, "timeout": timeout,
                            "needs_catalogue": needs_catalogue}
        return fn
    return wrap


@dataclass
class CaseSpec:
    """A discovered case."""

    name: str
    module: str
    function: str
    options: dict


def discover(only: list[str] | None = None, modules=BENCH_MODULES) -> tuple[list[CaseSpec], list[str]]:
    """Find the cases of the bench modules that are present.

    Args:
        only: name patterns (``store.bulk_import``, ``search.*``, ``search``); None for all.

    Returns:
        The cases in module order, and notes on modules skipped.
    """
    specs, notes = [], []
    for mod_name in modules:
        full = f"tests.benchmarks.{mod_name}"
        if not (Path(__file__).parent / f"{mod_name}.py").exists():
            notes.append(f"{mod_name}: absent, skipped")
            continue
        try:
            mod = importlib.import_module(full)
        except ImportError as exc:
            notes.append(f"{mod_name}: not importable ({exc}), skipped")
            continue
        area = mod_name.removeprefix("bench_")
        found: dict[str, Callable] = {}
        for name, fn in getattr(mod, "CASES", {}).items():
            found[name] = fn
        for name, fn in inspect.getmembers(mod, inspect.isfunction):
            if name.startswith("case_") and fn.__module__ == mod.__name__:
                found.setdefault(name.removeprefix("case_"), fn)
        for name, fn in found.items():
            full_name = f"{area}.{name}"
            if only and not any(_matches(full_name, pat) for pat in only):
                continue
            opts = {"repeat": 3, "smoke": True, "timeout": DEFAULT_TIMEOUT, "needs_catalogue": True}
            opts.update(getattr(fn, "bench_options", {}))
            specs.append(CaseSpec(full_name, full, fn.__name__, opts))
    return specs, notes


def _matches(name: str, pattern: str) -> bool:
    return name == pattern or fnmatch(name, pattern) or name.split(".")[0] == pattern


# -- statistics --------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """The ``q`` percentile (0–100) by linear interpolation between closest ranks."""
    if not values:
        return math.nan
    data = sorted(values)
    if len(data) == 1:
        return data[0]
    pos = (len(data) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def statistic(values: list[float], stat: str) -> float:
    """median, p95, max or min of ``values``."""
    if stat == "median":
        return percentile(values, 50)
    if stat == "p95":
        return percentile(values, 95)
    return max(values) if stat == "max" else min(values)


# -- running one case in its own process ---------------------------------------------------------
def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    Read from ``VmHWM`` where there is one: ``ru_maxrss`` survives ``execve`` on Linux, so a
    case process would report the (larger) harness process it was started from.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024



def _child_main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    ctx = Context(**spec["ctx"])
    result: dict[str, Any] = {"figures": [], "checks": [], "error": None}
    started = time.perf_counter()
    try:
        mod = importlib.import_module(spec["module"])
        out = getattr(mod, spec["function"])(ctx)
        if out is None:
            out = []
        if isinstance(out, (Figure, dict)):
            out = [out]
        figures = [f if isinstance(f, Figure) else Figure(**f) for f in out]
        result["figures"] = [dataclasses.asdict(f) for f in figures]
    except AssertionError as exc:
        ctx.check("assertion", False, str(exc) or traceback.format_exc(limit=3))
    except ImportError as exc:  # a part the case needs is not written yet
        result["skipped"] = str(exc)
    except Exception:  # noqa: BLE001 - a case that raises fails, with its traceback
        result["error"] = traceback.format_exc()
    result["checks"] = ctx.checks
    result["seconds"] = time.perf_counter() - started
    result["peak_rss_mb"] = peak_rss_mb()
    result["children_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    Path(spec["result"]).write_text(json.dumps(result))
    return 0


def run_in_process(module: str, function: str, ctx: Context, timeout: float) -> dict:
    """Run ``module.function(ctx)`` in a fresh Python process and return its result dict."""
    with tempfile.TemporaryDirectory(prefix="bench-spec-") as tmp:
        spec_path, result_path = Path(tmp) / "spec.json", Path(tmp) / "result.json"
        spec_path.write_text(json.dumps({"module": module, "function": function,
                                         "ctx": dataclasses.asdict(ctx),
                                         "result": str(result_path)}))
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        try:
            proc = subprocess.run([sys.executable, "-m", "tests.benchmarks.harness", "--child",
                                   str(spec_path)], cwd=REPO, env=env, capture_output=True,
                                  text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"figures": [], "checks": [], "error": f"timed out after {timeout:.0f} s"}
        if not result_path.exists():
            tail = (proc.stderr or proc.stdout)[-2000:]
            return {"figures": [], "checks": [],
                    "error": f"the case process died (exit {proc.returncode}): {tail}"}
        result = json.loads(result_path.read_text())
        result["output"] = proc.stdout[-4000:]
        return result


@dataclass
class CaseResult:
    """A case's pooled result over its runs."""

    name: str
    figures: list[Figure]
    checks: list[dict]
    errors: list[str]
    peak_rss_mb: float
    seconds: float
    runs: int
    skipped: str | None = None
    workers_peak_rss_mb: float = 0.0

    @property
    def correct(self) -> bool:
        """No error and every check passed."""
        return not self.errors and all(c["ok"] for c in self.checks)

    def as_dict(self) -> dict:
        """A JSON-friendly form (figures with their samples)."""
        out = dataclasses.asdict(self)
        out["correct"] = self.correct
        return out


def run_case(spec: CaseSpec, base_ctx: Context, repeat: int | None = None) -> CaseResult:
    """Run a case ``repeat`` times, each in a fresh process, and pool the samples."""
    runs = spec.options["repeat"]
    runs = runs(base_ctx.n) if callable(runs) else runs
    runs = repeat or (1 if base_ctx.smoke else runs)
    pooled: dict[str, Figure] = {}
    checks, errors = [], []
    peak, workers_peak, seconds = 0.0, 0.0, 0.0
    skipped = None
    for i in range(runs):
        workdir = Path(tempfile.mkdtemp(prefix=f"bench-{spec.name}-", dir=base_ctx.data_dir))
        ctx = dataclasses.replace(base_ctx, workdir=str(workdir), run_index=i, checks=[])
        try:
            res = run_in_process(spec.module, spec.function, ctx, spec.options["timeout"])
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        if res.get("skipped"):
            skipped = res["skipped"]
            break
        if res.get("error"):
            errors.append(res["error"])
        checks.extend(res.get("checks", []))
        peak = max(peak, res.get("peak_rss_mb", 0))
        workers_peak = max(workers_peak, res.get("children_peak_rss_mb", 0))
        seconds += res.get("seconds", 0)
        for raw in res.get("figures", []):
            fig = Figure(**raw)
            if fig.name in pooled:
                pooled[fig.name].samples.extend(fig.samples)
                if fig.limit_samples is not None:
                    pooled[fig.name].limit_samples = (
                        (pooled[fig.name].limit_samples or []) + fig.limit_samples)
            else:
                pooled[fig.name] = fig
    return CaseResult(spec.name, list(pooled.values()), checks, errors, peak, seconds, runs, skipped,
                      workers_peak)


# -- judging and printing --------------------------------------------------------------------------
def judge(fig: Figure, limits: dict) -> dict:
    """The row of the table for one figure: value, target, limit, ratio and verdict on speed."""
    value = statistic(fig.samples, fig.stat)
    beside = bool(fig.limit_samples)
    if beside:
        limit = statistic(fig.limit_samples, "median")
    else:
        limit = limits.get(fig.limit) if fig.limit else None
    ratio = value / limit if limit else None
    ok = True
    if fig.target is not None:
        ok = value >= fig.target if fig.better == "higher" else value <= fig.target
    if fig.target_ratio is not None:
        if ratio is None:
            ok = False
        else:
            ok = ok and (ratio >= fig.target_ratio if fig.better == "higher"
                         else ratio <= fig.target_ratio)
    if fig.target_ratio is not None:
        target_text = f"{'≥' if fig.better == 'higher' else '≤'} {fig.target_ratio:g}× limit"
    elif fig.target is not None:
        target_text = f"{'≥' if fig.better == 'higher' else '≤'} {_num(fig.target)} {fig.unit}"
    else:
        target_text = "—"
    return {"figure": f"{fig.name} ({fig.stat})" if len(fig.samples) > 1 else fig.name,
            "value": value, "unit": fig.unit, "target": target_text,
            "limit_name": f"{fig.limit}, measured beside it" if beside else fig.limit,
            "limit": limit, "ratio": ratio, "fast_enough": ok,
            "samples": len(fig.samples), "note": fig.note,
            "median": statistic(fig.samples, "median"), "p95": statistic(fig.samples, "p95")}


def _num(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}" if abs(x) >= 0.1 else f"{x:.3g}"


def table_rows(results: list[CaseResult], limits: dict) -> list[dict]:
    """One row per figure (plus peak memory), each with its verdict."""
    rows = []
    for res in results:
        if res.skipped:
            rows.append({"case": res.name, "figure": "(skipped)", "value": None, "unit": "",
                         "target": "—", "limit": None, "limit_name": None, "ratio": None,
                         "result": "skipped", "note": res.skipped})
            continue
        verdict_base = "PASS" if res.correct else "FAIL"
        for fig in res.figures:
            row = judge(fig, limits)
            row["case"] = res.name
            if verdict_base == "FAIL":
                row["result"] = "FAIL (check)"
            elif fig.target is None and fig.target_ratio is None:
                row["result"] = "ok"  # correct; no target to judge the speed by
            else:
                row["result"] = "pass" if row["fast_enough"] else "slow"
            rows.append(row)
        if not res.figures:
            rows.append({"case": res.name, "figure": "(no figures)", "value": None, "unit": "",
                         "target": "—", "limit": None, "limit_name": None, "ratio": None,
                         "result": "FAIL (check)" if not res.correct else "pass", "note": ""})
        rows.append({"case": res.name, "figure": "peak RSS", "value": res.peak_rss_mb, "unit": "MB",
                     "target": "—", "limit": None, "limit_name": None, "ratio": None,
                     "result": "", "note": f"{res.runs} run(s), {res.seconds:.1f} s"})
        if res.workers_peak_rss_mb > 0:
            rows.append({"case": res.name, "figure": "peak RSS of a worker process",
                         "value": res.workers_peak_rss_mb, "unit": "MB", "target": "—",
                         "limit": None, "limit_name": None, "ratio": None, "result": "",
                         "note": "largest child process the case waited for"})
    return rows


def format_table(rows: list[dict]) -> str:
    """The results as a Markdown table (readable in a terminal and pasteable into the README)."""
    header = ["case", "figure", "value", "target", "machine limit", "ratio", "result"]
    lines = []
    for r in rows:
        limit = "—"
        if r.get("limit_name"):
            limit = f"{_num(r.get('limit'))} ({r['limit_name']})"
        value = "—" if r.get("value") is None else f"{_num(r['value'])} {r['unit']}"
        ratio = "—" if r.get("ratio") is None else f"{r['ratio']:.2f}"
        lines.append([r["case"], r["figure"], value, r["target"], limit, ratio, r["result"]])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
    out = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
           "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths)) + " |" for line in lines]
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        # run through the imported module so that cases and this code share one Figure class
        from tests.benchmarks import harness as _imported
        sys.exit(_imported._child_main(sys.argv[2]))
    sys.exit("run the benchmarks with: python -m tests.benchmarks")
