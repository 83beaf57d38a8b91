"""Runs the benchmark cases, each in its own process, and prints a table.

For each workload (mlp, cnn, lstm, transformer) and backend (jax, torch) it runs the
hand-written loop, lamina's `fit`, and Keras 3's `fit` when keras is installed. The
table shows the first epoch (which includes tracing/compilation), the steady-state
epoch (median of the other epochs), and each steady-state time divided by the
hand-written loop's. The results are also
written as JSON to benchmarks/results/.

Usage: `make bench`, or
`python benchmarks/run.py [--workloads mlp cnn] [--backends jax torch] [--cases lamina keras]`.
"""

import argparse
import datetime
import importlib.util
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPOSITORY_ROOT = HERE.parent
RESULTS_FOLDER = HERE / "results"

WORKLOADS = ("mlp", "cnn", "lstm", "transformer")
# (case, framework it needs besides the backend's).
CASES = (("handwritten", None), ("lamina", None), ("keras", "keras"))


def case_command(workload, case, backend):
    """The command line of one case: a hand-written script, or `fit_case.py` for lamina / keras."""
    if case == "handwritten":
        return [sys.executable, str(HERE / f"{workload}_{backend}_handwritten.py")]
    return [
        sys.executable,
        str(HERE / "fit_case.py"),
        f"--library={case}",
        f"--workload={workload}",
        f"--backend={backend}",
    ]


def run_case(workload, case, backend, timeout):
    """Runs one case in a fresh interpreter; returns its JSON result, or an error entry."""
    environment = {
        key: value for key, value in os.environ.items() if key not in ("LAMINA_BACKEND", "KERAS_BACKEND")
    }
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(REPOSITORY_ROOT)] + ([environment["PYTHONPATH"]] if environment.get("PYTHONPATH") else [])
    )
    command = case_command(workload, case, backend)
    entry = {"workload": workload, "case": case, "backend": backend}
    try:
        finished = subprocess.run(
            command, env=environment, cwd=HERE, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {**entry, "error": f"timed out after {timeout} s"}
    lines = finished.stdout.strip().splitlines()
    if finished.returncode != 0 or not lines:
        tail = " | ".join(finished.stderr.strip().splitlines()[-3:])
        return {**entry, "error": f"exit {finished.returncode}: {tail}"}
    return {**entry, **json.loads(lines[-1])}


def summarize(results):
    """Adds first-epoch, steady-state and ratio-to-hand-written figures to each result."""
    baseline = {}
    for result in results:
        times = result.get("epoch_times")
        if not times:
            continue
        result["first_epoch"] = times[0]
        result["steady_epoch"] = statistics.median(times[1:]) if len(times) > 1 else times[0]
        if result["case"] == "handwritten":
            baseline[result["workload"], result["backend"]] = result
    for result in results:
        reference = baseline.get((result["workload"], result["backend"]))
        if "steady_epoch" in result and reference:
            result["steady_ratio"] = result["steady_epoch"] / reference["steady_epoch"]
            result["first_ratio"] = result["first_epoch"] / reference["first_epoch"]
    return results


def format_table(results):
    header = (
        "workload",
        "case",
        "backend",
        "first epoch (s)",
        "steady epoch (s)",
        "first / hand",
        "steady / hand",
        "loss",
    )
    rows = []
    for result in results:
        if "error" in result:
            rows.append((result["workload"], result["case"], result["backend"], "failed", "-", "-", "-", "-"))
            continue
        rows.append(
            (
                result["workload"],
                result["case"],
                result["backend"],
                f"{result['first_epoch']:.3f}",
                f"{result['steady_epoch']:.3f}",
                f"{result['first_ratio']:.2f}x" if "first_ratio" in result else "-",
                f"{result['steady_ratio']:.2f}x" if "steady_ratio" in result else "-",
                f"{result['final_loss']:.4f}",
            )
        )
    widths = [max(len(str(row[column])) for row in [header, *rows]) for column in range(len(header))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()
        for row in [header, tuple("-" * width for width in widths), *rows]
    ]
    for result in results:
        if "error" in result:
            lines.append(
                f"{result['workload']} {result['case']} on {result['backend']} failed: {result['error']}"
            )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS), choices=WORKLOADS)
    parser.add_argument("--backends", nargs="+", default=["jax", "torch"], choices=["jax", "torch"])
    parser.add_argument(
        "--cases", nargs="+", default=[case for case, _ in CASES], choices=[case for case, _ in CASES]
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds allowed per case")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    if load_before > 0.5 * (os.cpu_count() or 1):
        print(
            f"warning: the machine is busy (1-minute load {load_before:.1f} on {os.cpu_count()} cores); "
            "timings, torch's above all, will be noisy",
            flush=True,
        )
    results = []
    for workload in args.workloads:
        for backend in args.backends:
            for case, needs in CASES:
                if case not in args.cases:
                    continue
                if needs and importlib.util.find_spec(needs) is None:
                    print(f"skipping {case} on {backend}: {needs} is not installed", flush=True)
                    continue
                print(f"running {workload} {case} on {backend} ...", flush=True)
                results.append(run_case(workload, case, backend, args.timeout))
    summarize(results)
    print()
    print(format_table(results))

    RESULTS_FOLDER.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS_FOLDER / f"{'-'.join(args.workloads)}-{stamp}.json"
    machine = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg()[0],
    }
    path.write_text(json.dumps({"machine": machine, "results": results}, indent=2))
    print(f"\nwritten to {path.relative_to(REPOSITORY_ROOT)}")
    return 1 if any("error" in result for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
