"""Benchmark case: the CNN as a plain PyTorch loop (nn.Sequential on NCHW images, Adam).

The images are moved to PyTorch's native NCHW layout once, before training, as a
PyTorch user would store them; layers use PyTorch's default initialization.
"""

import numpy as np
import torch

import cnn_setup
import handwritten_torch


def build_model():
    torch.manual_seed(0)
    first, second = cnn_setup.FILTERS
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, first, cnn_setup.KERNEL_SIZE),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(first, second, cnn_setup.KERNEL_SIZE),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(cnn_setup.flat_features(), cnn_setup.NUM_CLASSES),
    )


def main():
    x, y = cnn_setup.make_data()
    x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    loss_fn = torch.nn.CrossEntropyLoss()
    y = y.astype(np.int64)
    epoch_times, loss = handwritten_torch.train_with_adam(build_model(), loss_fn, x, y, cnn_setup)
    handwritten_torch.report(epoch_times, loss)


if __name__ == "__main__":
    main()
