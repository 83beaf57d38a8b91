"""The LSTM as a plain PyTorch model (`nn.Embedding` + the fused `nn.LSTM`).

Keras's gate order (input, forget, cell, output) is torch's (i, f, g, o), so the
kernels only transpose; Keras's one bias goes to `bias_ih`, and `bias_hh` is zero and frozen.
"""

import numpy as np
import torch

import handwritten_torch
import lstm_setup as setup

OPTIMIZER = "adam"
_binary_cross_entropy = torch.nn.BCEWithLogitsLoss()


class LastStepClassifier(torch.nn.Module):
    def __init__(self, weights):
        super().__init__()
        embeddings, kernel, recurrent_kernel, bias, dense, dense_bias = weights
        self.embedding = torch.nn.Embedding(setup.VOCABULARY, setup.EMBEDDING_DIM)
        self.lstm = torch.nn.LSTM(setup.EMBEDDING_DIM, setup.UNITS, batch_first=True)
        self.dense = handwritten_torch.linear_from_keras(dense, dense_bias)
        with torch.no_grad():
            self.embedding.weight.copy_(torch.from_numpy(embeddings))
            self.lstm.weight_ih_l0.copy_(torch.from_numpy(np.ascontiguousarray(kernel.T)))
            self.lstm.weight_hh_l0.copy_(torch.from_numpy(np.ascontiguousarray(recurrent_kernel.T)))
            self.lstm.bias_ih_l0.copy_(torch.from_numpy(bias))
            self.lstm.bias_hh_l0.zero_()
        # Keras has one bias; a trainable second one would double every bias step.
        self.lstm.bias_hh_l0.requires_grad_(False)

    def forward(self, tokens):
        sequence, _ = self.lstm(self.embedding(tokens))
        return self.dense(sequence[:, -1])


def build_model(weights, dropout_rate):
    return LastStepClassifier(weights)


def prepare(x, y):
    return torch.from_numpy(x.astype(np.int64)), None if y is None else torch.from_numpy(y)


def loss_fn(logits, y):
    return _binary_cross_entropy(logits, y)


def outputs(model, x):
    return torch.sigmoid(model(x))
