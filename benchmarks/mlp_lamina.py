"""Benchmark case: the MLP trained by lamina's `fit` (`--backend jax|torch`)."""

import argparse
import os

import mlp_setup
from mlp_keras_api import train


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("jax", "torch"), default="jax")
    args = parser.parse_args()
    # The backend is fixed at import time, so it is set before lamina is imported.
    os.environ["LAMINA_BACKEND"] = args.backend
    import lamina

    epoch_times, final_loss = train(lamina)
    mlp_setup.report("lamina", args.backend, epoch_times, final_loss, version=lamina.__version__)


if __name__ == "__main__":
    main()
