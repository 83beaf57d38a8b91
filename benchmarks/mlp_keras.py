"""Benchmark case: the same MLP trained by Keras 3 itself (`--backend jax|torch`)."""

import argparse
import os

import mlp_setup
from mlp_keras_api import train


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("jax", "torch"), default="jax")
    args = parser.parse_args()
    # Keras reads its backend at import time.
    os.environ["KERAS_BACKEND"] = args.backend
    import keras

    epoch_times, final_loss = train(keras)
    mlp_setup.report("keras", args.backend, epoch_times, final_loss, version=keras.__version__)


if __name__ == "__main__":
    main()
