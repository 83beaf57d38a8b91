"""One benchmark cell, run in its own interpreter: a workload, a case, a backend and what to measure.

Usage: `python case.py --case lamina --workload cnn --backend torch --mode fit [--quick]`.

- case `handwritten` runs `<workload>_<backend>_handwritten.py` through
  `handwritten_<backend>.py`; `lamina` and `keras` run `<workload>_keras_api.py` with
  that library (its backend chosen through LAMINA_BACKEND / KERAS_BACKEND).
- mode `fit`: timed epochs (first and steady), epoch losses, peak RSS;
  `same_start`: one in-order epoch of a subset without dropout, its mean loss;
  `predict`: throughput on 10,000 samples and one-sample latencies;
  `growth`: RSS after each epoch of a long MLP run (`fit` cases only).

It prints one JSON line (the last line of its output), which `run.py` reads. Thread
settings come from the environment (`run.py` sets them before the interpreter starts).
"""

import argparse
import importlib
import os

import common

WORKLOADS = ("mlp", "cnn", "lstm", "transformer")
PREDICT_SAMPLES = 10_000


def latency_calls(quick):
    return 20 if quick else 200


def run_handwritten(args, setup):
    framework = importlib.import_module(f"handwritten_{args.backend}")
    module = importlib.import_module(f"{args.workload}_{args.backend}_handwritten")
    version = importlib.import_module(args.backend).__version__
    if args.mode == "fit":
        x, y = setup.make_data()
        epochs = setup.QUICK_EPOCHS if args.quick else setup.EPOCHS
        times, losses = framework.train(module, setup, x, y, epochs, dropout_rate=dropout_rate(setup))
        return {"epoch_times": times, "epoch_losses": losses, "version": version}
    if args.mode == "same_start":
        x, y = setup.make_data()
        count = setup.SAME_START_SAMPLES
        options = {"keras_adam": True} if args.backend == "torch" else {}
        _, losses = framework.train(module, setup, x[:count], y[:count], 1, shuffle=False, **options)
        return {"same_start_loss": losses[-1], "version": version}
    if args.mode == "predict":
        x, _ = setup.make_data(PREDICT_SAMPLES)
        return {**framework.predict_figures(module, setup, x, latency_calls(args.quick)), "version": version}
    raise SystemExit(f"case.py: mode {args.mode!r} is not measured for the hand-written loops")


def dropout_rate(setup):
    return getattr(setup, "DROPOUT_RATE", 0.0)


def run_keras_api(args, setup):
    # Both libraries read their backend when imported.
    os.environ["LAMINA_BACKEND" if args.case == "lamina" else "KERAS_BACKEND"] = args.backend
    library = importlib.import_module(args.case)
    program = importlib.import_module(f"{args.workload}_keras_api")
    import keras_api_runner as runner

    version = getattr(library, "__version__", None) or library.version()
    if args.mode == "fit":
        epochs = setup.QUICK_EPOCHS if args.quick else setup.EPOCHS
        times, losses = runner.timed_fit(library, program, setup, epochs)
        return {"epoch_times": times, "epoch_losses": losses, "version": version}
    if args.mode == "same_start":
        return {"same_start_loss": runner.same_start(library, program, setup), "version": version}
    if args.mode == "predict":
        x, _ = setup.make_data(PREDICT_SAMPLES)
        return {
            **runner.predict_figures(library, program, setup, x, latency_calls(args.quick)),
            "version": version,
        }
    return {**runner.growth(library, program, setup, args.quick), "version": version}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--case", choices=("handwritten", "lamina", "keras"), default="lamina")
    parser.add_argument("--workload", choices=WORKLOADS, default="mlp")
    parser.add_argument("--backend", choices=("jax", "torch"), default="jax")
    parser.add_argument("--mode", choices=("fit", "same_start", "predict", "growth"), default="fit")
    parser.add_argument("--quick", action="store_true", help="fewer epochs and latency calls (smoke runs)")
    args = parser.parse_args()
    setup = importlib.import_module(f"{args.workload}_setup")
    run = run_handwritten if args.case == "handwritten" else run_keras_api
    common.report(
        workload=args.workload, case=args.case, backend=args.backend, mode=args.mode, **run(args, setup)
    )


if __name__ == "__main__":
    main()
