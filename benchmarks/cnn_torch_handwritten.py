"""The CNN as a plain PyTorch model on NCHW images (the images are moved to NCHW once, before training).

The Keras-layout initial weights are mapped: conv kernels HWIO -> OIHW, and the
Dense kernel's rows from Keras's (height, width, channel) flatten order to torch's
(channel, height, width).
"""

import numpy as np
import torch

import cnn_setup as setup
import handwritten_torch

OPTIMIZER = "adam"
_cross_entropy = torch.nn.CrossEntropyLoss()


def conv_from_keras(kernel, bias):
    layer = torch.nn.Conv2d(kernel.shape[2], kernel.shape[3], kernel.shape[:2])
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel.transpose(3, 2, 0, 1))))
        layer.bias.copy_(torch.from_numpy(bias))
    return layer


def build_model(weights, dropout_rate):
    conv1, conv1_bias, conv2, conv2_bias, dense, dense_bias = weights
    side, channels = setup.pooled_side(), setup.FILTERS[1]
    dense = dense.reshape(side, side, channels, -1).transpose(2, 0, 1, 3).reshape(dense.shape)
    return torch.nn.Sequential(
        conv_from_keras(conv1, conv1_bias),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        conv_from_keras(conv2, conv2_bias),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Dropout(dropout_rate),
        handwritten_torch.linear_from_keras(dense, dense_bias),
    )


def prepare(x, y):
    x = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
    return x, None if y is None else torch.from_numpy(y.astype(np.int64))


def loss_fn(logits, y):
    return _cross_entropy(logits, y)


def outputs(model, x):
    return torch.softmax(model(x), dim=-1)
