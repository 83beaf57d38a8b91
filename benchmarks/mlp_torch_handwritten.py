"""The MLP as a plain PyTorch model (the baseline for lamina on torch), trained by `handwritten_torch`.

The loss is Keras's categorical crossentropy on softmax outputs (probabilities
clipped to [epsilon, 1 - epsilon]).
"""

import torch

import handwritten_torch
import mlp_setup as setup

OPTIMIZER = "sgd"


def build_model(weights, dropout_rate):
    hidden_kernel, hidden_bias, output_kernel, output_bias = weights
    return torch.nn.Sequential(
        handwritten_torch.linear_from_keras(hidden_kernel, hidden_bias),
        torch.nn.ReLU(),
        handwritten_torch.linear_from_keras(output_kernel, output_bias),
        torch.nn.Softmax(dim=-1),
    )


def prepare(x, y):
    return torch.from_numpy(x), None if y is None else torch.from_numpy(y)


def loss_fn(probabilities, y):
    probabilities = probabilities.clamp(setup.EPSILON, 1.0 - setup.EPSILON)
    return -(y * probabilities.log()).sum(dim=-1).mean()


def outputs(model, x):
    return model(x)
