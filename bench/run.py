"""`make bench` / `hub bench`: the performance picture in one run, written to bench/results.md + PNG.

Each (back end, store size) runs in its own process (bench.store_scale) so peak RSS is that
size's; the extraction comparison (bench.extraction) and, when present, the Slack HTTP-mode load
test (bench.slack_load) run after. Absolute times vary between machines: read the ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZES = (1_000, 10_000, 100_000)
TARGETS = {
    "p99_paste_ms_100k_sqlite": 100.0,
    "lookup_ratio": 2.0,
    "counts_ms": 20.0,
    "leaderboard_ms": 20.0,
    "rss_mb": 300.0,
}


def _mmm(values: list[float]) -> str:
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


def run_store(backend: str, size: int, work: Path) -> dict[str, Any]:
    out = work / f"{backend}-{size}.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.store_scale",
            "--backend",
            backend,
            "--size",
            str(size),
            "--json",
            str(out),
        ],
        check=True,
        cwd=HERE.parent,
    )
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def store_table(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| back end | findings | load s | paste→verdict p50 ms | p95 ms | p99 ms | lookup p50 ms "
        "| lookup p99 ms | /counts ms | /leaderboard ms | /status ms | export ms | peak RSS MB "
        "| DB KB / 1k findings |",
        "| --- | ---: | ---: | --- | --- | --- | ---: | ---: | --- | --- | --- | --- | ---: | ---: |",
    ]
    for r in results:
        paste = r["paste_ms"]
        lookup = sorted(r["lookup_ms"])
        lines.append(
            f"| {r['backend']} | {r['size']:,} | {r['load_s']:.0f} | {_mmm([p['p50'] for p in paste])} "
            f"| {_mmm([p['p95'] for p in paste])} | {_mmm([p['p99'] for p in paste])} "
            f"| {statistics.median(lookup):.1f} | {lookup[int(0.99 * (len(lookup) - 1))]:.1f} "
            f"| {_mmm(r['counts_ms'])} | {_mmm(r['leaderboard_ms']) if 'leaderboard_ms' in r else '—'} "
            f"| {_mmm(r['status_ms'])} | {_mmm(r['export_ms'])} | {r['peak_rss_mb']:.0f} "
            f"| {r['db_kb_per_1k_findings']:.0f} |"
        )
    return lines


def verdicts(results: list[dict[str, Any]]) -> list[str]:
    def find(backend: str, size: int) -> dict[str, Any] | None:
        return next((r for r in results if r["backend"] == backend and r["size"] == size), None)

    lines = ["", "## Against the targets", "", "| target | measured | met |", "| --- | --- | --- |"]
    big, small = find("sqlite", max(SIZES)), find("sqlite", min(SIZES))
    if big and small:
        p99 = statistics.median(p["p99"] for p in big["paste_ms"])
        lines.append(
            f"| p99 paste→verdict < 100 ms at 100k (SQLite) | {p99:.1f} ms | {'yes' if p99 < 100 else 'NO'} |"
        )
        ratio = statistics.median(big["lookup_ms"]) / statistics.median(small["lookup_ms"])
        lines.append(f"| lookup ratio 100k/1k ≤ 2 | {ratio:.2f} | {'yes' if ratio <= 2 else 'NO'} |")
        for command in ("counts", "leaderboard"):
            if f"{command}_ms" in big:
                ms = statistics.median(big[f"{command}_ms"])
                lines.append(f"| /{command} < 20 ms at 100k | {ms:.1f} ms | {'yes' if ms < 20 else 'NO'} |")
        lines.append(
            f"| peak RSS < 300 MB at 100k | {big['peak_rss_mb']:.0f} MB | "
            f"{'yes' if big['peak_rss_mb'] < 300 else 'NO'} |"
        )
    return lines


def chart(results: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for backend in ("sqlite", "postgresql"):
        rows = [r for r in results if r["backend"] == backend]
        if not rows:
            continue
        sizes = [r["size"] for r in rows]
        for q, style in (("p50", "-"), ("p99", "--")):
            axes[0].plot(
                sizes,
                [statistics.median(p[q] for p in r["paste_ms"]) for r in rows],
                style,
                marker="o",
                label=f"{backend} {q}",
            )
        axes[1].plot(sizes, [statistics.median(r["lookup_ms"]) for r in rows], marker="o", label=backend)
    for ax, title in zip(axes, ("paste → verdict (ms)", "deconfliction lookup p50 (ms)"), strict=True):
        ax.set_xscale("log")
        ax.set_xlabel("findings stored")
        ax.set_title(title)
        ax.legend()
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    results = []
    for backend in args.backends.split(","):
        for size in map(int, args.sizes.split(",")):
            print(f"bench: {backend} with {size:,} findings…", file=sys.stderr, flush=True)
            results.append(run_store(backend, size, work))
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {sys.platform}, Python {sys.version.split()[0]}. "
        "Times: min / median / max over 3 runs of 200 pastes (120 new pages from the dev corpus, "
        "80 re-pastes) by 73 participants; pages from WARC, so the network is excluded.",
        "",
        "## Store size",
        "",
        *store_table(results),
        *verdicts(results),
    ]
    try:
        from bench.extraction import load_pages
        from bench.extraction import table as extraction_table

        print("bench: extraction vs ioc-finder and iocextract…", file=sys.stderr, flush=True)
        lines += [
            "",
            "## Extraction (dev corpus)",
            "",
            extraction_table(load_pages(HERE.parents[1] / "shared" / "corpus" / "dev"), 5),
        ]
    except ImportError as exc:
        lines += ["", f"(extraction benchmark not run: {exc})"]
    lines += ["", f"Total benchmark time: {time.perf_counter() - started:.0f} s."]
    args.out.write_text("\n".join(lines) + "\n")
    chart(results, args.out.with_suffix(".png"))
    (args.out.with_suffix(".json")).write_text(json.dumps(results, indent=1, default=str))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
