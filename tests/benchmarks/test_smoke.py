"""The CI smoke run of the benchmarks: 10,000 records and a few small images.

It keeps the benchmark code and its correctness checks working: every case must pass its own
checks. Timings are printed, never asserted (CI machines are noisy); the large scales are run by
hand with ``python -m tests.benchmarks --scale 100k``.
"""

import math

import pytest

from tests.benchmarks import harness
from tests.benchmarks.__main__ import run_benchmarks


def test_statistics_and_verdicts():
    assert harness.percentile([1, 2, 3, 4, 5], 50) == 3
    assert harness.percentile([10.0], 95) == 10.0
    assert math.isclose(harness.percentile(list(range(1, 101)), 95), 95.05)
    fig = harness.Figure("search", [5, 6, 40], "ms", stat="p95", better="lower", target=30,
                         limit="fts")
    row = harness.judge(fig, {"fts": 2.0})
    assert not row["fast_enough"] and math.isclose(row["ratio"], row["value"] / 2.0)
    ingest = harness.Figure("ingest", [8.0], "files/s", target_ratio=0.8, limit="bound")
    assert harness.judge(ingest, {"bound": 10.0})["fast_enough"]
    assert not harness.judge(ingest, {"bound": 11.0})["fast_enough"]
    assert not harness.judge(ingest, {})["fast_enough"]  # no limit measured: cannot pass


def test_a_limit_measured_beside_the_figure_is_the_one_judged():
    ingest = harness.Figure("ingest", [8.0], "files/s", target_ratio=0.8, limit="bound",
                            limit_samples=[9.0, 11.0])
    row = harness.judge(ingest, {"bound": 20.0})  # the start-of-run limit is not used
    assert row["limit"] == 10.0 and math.isclose(row["ratio"], 0.8) and row["fast_enough"]
    assert row["limit_name"] == "bound, measured beside it"
    with pytest.raises(ValueError, match="limit's name"):
        harness.Figure("ingest", [8.0], "files/s", limit_samples=[10.0])


def test_limits_measured_beside_are_pooled_over_runs(monkeypatch, tmp_path):
    runs = iter([[8.0, [10.0, 10.0]], [8.0, [14.0, 14.0]], [8.0, [13.0, 13.0]]])

    def fake_run(module, function, ctx, timeout):
        value, beside = next(runs)
        fig = harness.Figure("ingest", value, "files/s", limit="bound", limit_samples=beside)
        return {"figures": [harness.dataclasses.asdict(fig)], "checks": []}

    monkeypatch.setattr(harness, "run_in_process", fake_run)
    spec = harness.CaseSpec("x.ingest", "m", "f", {"repeat": 3, "timeout": 10})
    ctx = harness.Context("10k", 10, None, {}, "", str(tmp_path), {})
    res = harness.run_case(spec, ctx)
    (fig,) = res.figures
    assert fig.samples == [8.0, 8.0, 8.0] and sorted(fig.limit_samples) == [10, 10, 13, 13, 14, 14]
    assert harness.judge(fig, {})["limit"] == 13.0


def test_a_case_that_skips_its_checks_fails():
    res = harness.CaseResult("x", [harness.Figure("f", 1.0, "ms")],
                             [{"name": "hits", "ok": False, "detail": ""}], [], 1.0, 0.1, 1)
    rows = harness.table_rows([res], {})
    assert rows[0]["result"] == "FAIL (check)"


@pytest.mark.slow
def test_smoke_run_passes_every_correctness_check(capsys):
    out = run_benchmarks("10k", smoke=True, log=lambda m: None)
    with capsys.disabled():
        print("\n" + harness.format_table(out["rows"]))
        for note in out["notes"]:
            print("note:", note)
    assert out["limits_correct"], out["notes"]
    for key in ("cores", "jpeg_draft_files_s_bound", "sha256_mb_s_core", "disk_read_mb_s",
                "sqlite_insert_rows_s", "fts5_query_p95_ms"):
        assert out["limits"][key] > 0, key
    ran = [r for r in out["results"] if not r.skipped]
    assert any(r.name == "store.bulk_import" for r in ran)
    failures = {r.name: r.errors + [c for c in r.checks if not c["ok"]]
                for r in ran if not r.correct}
    assert not failures, failures
    for r in ran:
        assert r.figures, f"{r.name} measured nothing"
        assert r.checks, f"{r.name} checked nothing"
