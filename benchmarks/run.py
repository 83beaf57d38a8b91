"""Runs the benchmark, each cell in its own process, prints the tables and writes RESULTS.md and JSON.

Parts (all by default):
- `fit`: each workload x backend x case trains `--rounds` times (rounds interleaved,
  each a fresh process); first and steady epoch, peak RSS, final loss; medians.
- `same_start`: each cell once, deterministic (in order, no dropout, one epoch of a
  subset, the same initial weights): its loss against the hand-written loop's.
- `predict`: `model.predict` throughput and one-sample latencies (MLP and CNN).
- `imports`: `import lamina` and friends in fresh interpreters.
- `growth`: lamina's RSS after epoch 5 and after epoch 50 of a long MLP run.

Usage: `make bench`, or e.g.
`python benchmarks/run.py --quick --workloads mlp cnn --backends jax --cases handwritten lamina --parts fit`.
A full run writes benchmarks/RESULTS.md; every run writes its raw figures to
benchmarks/results/<date>-<time>.json (git-ignored).
"""

import argparse
import datetime
import importlib.util
import json
import sys

import process
import summary
import tables

WORKLOADS = ("mlp", "cnn", "lstm", "transformer")
BACKENDS = ("jax", "torch")
CASES = ("handwritten", "lamina", "keras")
PARTS = ("fit", "same_start", "predict", "imports", "growth")
PREDICT_WORKLOADS = ("mlp", "cnn")
RESULTS_FILE = process.HERE / "RESULTS.md"
RESULTS_FOLDER = process.HERE / "results"


def parse_arguments():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS), choices=WORKLOADS)
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=BACKENDS)
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=CASES)
    parser.add_argument("--parts", nargs="+", default=list(PARTS), choices=PARTS)
    parser.add_argument("--rounds", type=int, default=5, help="processes per cell (medians); 1 with --quick")
    parser.add_argument("--import-rounds", type=int, default=7, help="fresh interpreters per import figure")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 1 round, fewer epochs, no RESULTS.md"
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds allowed per process")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.import_rounds = 1, 1
    if "keras" in args.cases and importlib.util.find_spec("keras") is None:
        print("keras is not installed: its rows are left out", flush=True)
        args.cases.remove("keras")
    return args


def cells(args, workloads):
    return [
        {"workload": workload, "backend": backend, "case": case}
        for workload in workloads
        for backend in args.backends
        for case in args.cases
    ]


def run_rounds(args, keys, mode):
    """Runs every cell `args.rounds` times, rounds outermost (so slow drifts hit every cell alike)."""
    rounds = {index: [] for index in range(len(keys))}
    for round_number in range(args.rounds):
        for index, key in enumerate(keys):
            print(f"[{mode} round {round_number + 1}/{args.rounds}] {key['workload']} {key['case']} "
                  f"on {key['backend']} ...", flush=True)  # fmt: skip
            rounds[index].append(process.run_case(**key, mode=mode, quick=args.quick, timeout=args.timeout))
    return rounds


def measure(args):
    """Runs the selected parts; returns the results dict (figures and raw rounds)."""
    results = {}
    fit_keys = cells(args, args.workloads)
    if "fit" in args.parts or "same_start" in args.parts:
        rounds = run_rounds(args, fit_keys, "fit") if "fit" in args.parts else {}
        fit_cells = [key | summary.fit_cell(rounds.get(index, [])) for index, key in enumerate(fit_keys)]
        summary.add_ratios(fit_cells, ("first_epoch", "steady_epoch", "peak_rss_mb"))
        same_start = []
        if "same_start" in args.parts:
            for key in fit_keys:
                print(f"[same start] {key['workload']} {key['case']} on {key['backend']} ...", flush=True)
                same_start.append(
                    process.run_case(**key, mode="same_start", quick=args.quick, timeout=args.timeout)
                )
        results["fit"] = summary.add_same_start(fit_cells, same_start)
    predict_keys = cells(args, [workload for workload in args.workloads if workload in PREDICT_WORKLOADS])
    if "predict" in args.parts and predict_keys:
        rounds = run_rounds(args, predict_keys, "predict")
        predict_cells = [key | summary.predict_cell(rounds[index]) for index, key in enumerate(predict_keys)]
        results["predict"] = summary.add_ratios(
            predict_cells, ("predict_throughput", "predict_one_latency", "call_one_latency")
        )
    if "imports" in args.parts:
        results["imports"] = measure_imports(args)
    if "growth" in args.parts and "lamina" in args.cases:
        results["growth"] = []
        for backend in args.backends:
            print(f"[growth] mlp lamina on {backend} ...", flush=True)
            result = process.run_case("mlp", "lamina", backend, "growth", args.quick, args.timeout)
            results["growth"].append(summary.growth_row(result) | {"raw": result})
    return results


def measure_imports(args):
    """Times each import statement in fresh interpreters, rounds outermost.

    The import figures are compared in pairs (`Dense(1)` against `import jax` / `import
    torch`), and file-cache and machine phases move them by tens of percent within a
    minute: interleaving the rounds lets each pair see the same phases.
    """
    statements = []
    for label, backend_variable, statement in process.IMPORT_STATEMENTS:
        backend = (
            backend_variable[1]
            if backend_variable
            else (label.split()[-1] if "lamina" not in label else None)
        )
        if backend is not None and backend not in args.backends:
            continue
        if "keras" in label and "keras" not in args.cases:
            continue
        statements.append(((label, backend), backend_variable, statement))
    for key, backend_variable, statement in statements:
        print(f"[imports warm-up] {key[0]} ({key[1] or 'default backend'}) ...", flush=True)
        process.time_import(statement, backend_variable)  # writes the bytecode caches
    rounds_by_label = {key: [] for key, _, _ in statements}
    for round_number in range(args.import_rounds):
        print(f"[imports round {round_number + 1}/{args.import_rounds}] ...", flush=True)
        for key, backend_variable, statement in statements:
            rounds_by_label[key].append(process.time_import(statement, backend_variable))
    return summary.import_rows(rounds_by_label)


def report_text(results):
    sections = []
    titles = {
        "fit": ("Training (`fit` vs the hand-written loop of the same framework)", tables.training_table),
        "predict": (
            "Inference (10,000 samples; one-sample latency, median of many calls)",
            tables.predict_table,
        ),
        "imports": ("Import time (fresh interpreter, median)", tables.import_table),
        "growth": ("Memory growth (MLP, long run on a smaller dataset)", tables.growth_table),
    }
    for part, (title, table) in titles.items():
        if results.get(part):
            sections.append(f"{title}\n\n{table(results[part])}")
    errors = [
        f"{cell['workload']} {cell['case']} on {cell['backend']}: {error}"
        for part in ("fit", "predict")
        for cell in results.get(part, [])
        for error in cell.get("errors", [])
        + ([cell["same_start_error"]] if cell.get("same_start_error") else [])
    ]
    errors += [
        f"growth on {row['backend']}: {row['error']}" for row in results.get("growth", []) if row.get("error")
    ]
    if errors:
        sections.append("Failures\n\n" + "\n".join(errors))
    return "\n\n".join(sections)


def torch_threads(results):
    counts = {round_["torch_threads"] for cell in results.get("fit", []) for round_ in cell.get("rounds", [])
              if round_.get("torch_threads") is not None}  # fmt: skip
    return ", ".join(str(count) for count in sorted(counts)) or None


def main():
    args = parse_arguments()
    machine = process.machine_facts()
    machine["date"] = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    if machine["load_average_before"][0] > 0.5 * (machine["cores"] or 1):
        load = machine["load_average_before"][0]
        print(f"warning: the machine is busy (1-minute load {load:.1f} on {machine['cores']} cores): "
              "timings, torch's above all, will be noisy", flush=True)  # fmt: skip
    results = measure(args)
    machine["load_average_after"] = process.os.getloadavg()
    machine["torch_threads"] = torch_threads(results)
    options = " ".join(sys.argv[1:]) or "(defaults)"
    text = f"{tables.machine_line(machine)}\nrounds: {args.rounds} per cell; options: {options}"
    text += f"\n\n{report_text(results)}"
    print("\n" + text)

    RESULTS_FOLDER.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS_FOLDER / f"{stamp}.json"
    path.write_text(json.dumps({"machine": machine, "options": vars(args), "results": results}, indent=1))
    print(f"\nraw figures: {path.relative_to(process.REPOSITORY_ROOT)}")
    if not args.quick:
        RESULTS_FILE.write_text(
            "# Benchmark results (latest `make bench`)\n\nWritten by `benchmarks/run.py`; see README.md for "
            f"what each column means.\n\n```\n{text}\n```\n"
        )
        print(f"table: {RESULTS_FILE.relative_to(process.REPOSITORY_ROOT)}")
    failed = any(cell.get("errors") for part in ("fit", "predict") for cell in results.get(part, []))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
