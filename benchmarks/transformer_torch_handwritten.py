"""Benchmark case: the transformer block as a plain PyTorch loop (`nn.MultiheadAttention`, Adam)."""

import numpy as np
import torch

import handwritten_torch
import transformer_setup as setup


class EncoderClassifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        dim = setup.EMBEDDING_DIM
        self.embedding = torch.nn.Embedding(setup.VOCABULARY, dim)
        self.attention = torch.nn.MultiheadAttention(dim, setup.NUM_HEADS, batch_first=True)
        self.norm1 = torch.nn.LayerNorm(dim, eps=setup.LAYER_NORM_EPSILON)
        self.hidden = torch.nn.Linear(dim, setup.FEED_FORWARD_DIM)
        self.back = torch.nn.Linear(setup.FEED_FORWARD_DIM, dim)
        self.norm2 = torch.nn.LayerNorm(dim, eps=setup.LAYER_NORM_EPSILON)
        self.classifier = torch.nn.Linear(dim, setup.NUM_CLASSES)

    def forward(self, tokens):
        x = self.embedding(tokens)
        attended, _ = self.attention(x, x, x, need_weights=False)
        x = self.norm1(x + attended)
        x = self.norm2(x + self.back(torch.relu(self.hidden(x))))
        return self.classifier(x.mean(dim=1))


def main():
    x, y = setup.make_data()
    loss_fn = torch.nn.CrossEntropyLoss()
    x, y = x.astype(np.int64), y.astype(np.int64)
    epoch_times, loss = handwritten_torch.train_with_adam(EncoderClassifier(), loss_fn, x, y, setup)
    handwritten_torch.report(epoch_times, loss)


if __name__ == "__main__":
    main()
