"""Benchmark case: a workload trained by `fit` — lamina's or Keras 3's — on jax or torch.

Usage: `python fit_case.py --library lamina --workload cnn --backend torch`.
The workload's Keras program lives in `<workload>_keras_api.py` and is the same
code for both libraries.
"""

import argparse
import importlib
import os

import common


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--library", choices=("lamina", "keras"), default="lamina")
    parser.add_argument("--workload", choices=("mlp", "cnn", "lstm", "transformer"), default="mlp")
    parser.add_argument("--backend", choices=("jax", "torch"), default="jax")
    args = parser.parse_args()
    # Both libraries read their backend at import time.
    os.environ["LAMINA_BACKEND" if args.library == "lamina" else "KERAS_BACKEND"] = args.backend
    library = importlib.import_module(args.library)
    program = importlib.import_module(f"{args.workload}_keras_api")
    epoch_times, final_loss = program.train(library)
    version = getattr(library, "__version__", None) or library.version()
    common.report(args.library, args.backend, epoch_times, final_loss, version=version)


if __name__ == "__main__":
    main()
