"""The transformer block as a plain PyTorch model (`nn.MultiheadAttention`, `nn.LayerNorm`).

Keras's query/key/value kernels `(dim, heads, key_dim)` become the rows of torch's
`in_proj_weight` `(3 * dim, dim)` (torch splits heads the same way, `heads * key_dim`
contiguous), and the output kernel `(heads, key_dim, dim)` becomes `out_proj.weight`.
"""

import numpy as np
import torch

import handwritten_torch
import transformer_setup as setup

OPTIMIZER = "adam"
_cross_entropy = torch.nn.CrossEntropyLoss()


def _tensor(array):
    return torch.from_numpy(np.ascontiguousarray(array))


def layer_norm_from_keras(gamma, beta):
    layer = torch.nn.LayerNorm(gamma.shape[0], eps=setup.LAYER_NORM_EPSILON)
    with torch.no_grad():
        layer.weight.copy_(_tensor(gamma))
        layer.bias.copy_(_tensor(beta))
    return layer


class EncoderClassifier(torch.nn.Module):
    def __init__(self, weights):
        super().__init__()
        dim = setup.EMBEDDING_DIM
        embeddings, query, query_bias, key, key_bias, value, value_bias, output, output_bias = weights[:9]
        self.embedding = torch.nn.Embedding(setup.VOCABULARY, dim)
        self.attention = torch.nn.MultiheadAttention(dim, setup.NUM_HEADS, batch_first=True)
        with torch.no_grad():
            self.embedding.weight.copy_(_tensor(embeddings))
            kernels = [kernel.reshape(dim, -1).T for kernel in (query, key, value)]
            self.attention.in_proj_weight.copy_(_tensor(np.concatenate(kernels, axis=0)))
            biases = [bias.reshape(-1) for bias in (query_bias, key_bias, value_bias)]
            self.attention.in_proj_bias.copy_(_tensor(np.concatenate(biases)))
            self.attention.out_proj.weight.copy_(_tensor(output.reshape(-1, dim).T))
            self.attention.out_proj.bias.copy_(_tensor(output_bias))
        self.norm1 = layer_norm_from_keras(*weights[9:11])
        self.hidden = handwritten_torch.linear_from_keras(*weights[11:13])
        self.back = handwritten_torch.linear_from_keras(*weights[13:15])
        self.norm2 = layer_norm_from_keras(*weights[15:17])
        self.classifier = handwritten_torch.linear_from_keras(*weights[17:19])

    def forward(self, tokens):
        x = self.embedding(tokens)
        attended, _ = self.attention(x, x, x, need_weights=False)
        x = self.norm1(x + attended)
        x = self.norm2(x + self.back(torch.relu(self.hidden(x))))
        return self.classifier(x.mean(dim=1))


def build_model(weights, dropout_rate):
    return EncoderClassifier(weights)


def prepare(x, y):
    x = torch.from_numpy(x.astype(np.int64))
    return x, None if y is None else torch.from_numpy(y.astype(np.int64))


def loss_fn(logits, y):
    return _cross_entropy(logits, y)


def outputs(model, x):
    return torch.softmax(model(x), dim=-1)
