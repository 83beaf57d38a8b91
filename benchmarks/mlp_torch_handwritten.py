"""Benchmark case: the MLP as a plain PyTorch loop (the baseline for lamina on torch).

`nn.Sequential` + `torch.optim.SGD`, per-epoch shuffled minibatches sliced from
tensors made once from the NumPy data. The loss is Keras's categorical crossentropy
on softmax outputs (probabilities clipped to [epsilon, 1 - epsilon]).
"""

import time

import numpy as np
import torch

import mlp_setup


def build_model(seed=0):
    rng = np.random.default_rng(seed)
    hidden = torch.nn.Linear(mlp_setup.NUM_FEATURES, mlp_setup.NUM_HIDDEN)
    output = torch.nn.Linear(mlp_setup.NUM_HIDDEN, mlp_setup.NUM_CLASSES)
    with torch.no_grad():
        # torch stores (out, in) weights; the same Glorot draw as the other cases, transposed.
        hidden.weight.copy_(
            torch.from_numpy(mlp_setup.glorot_uniform(rng, mlp_setup.NUM_FEATURES, mlp_setup.NUM_HIDDEN).T)
        )
        output.weight.copy_(
            torch.from_numpy(mlp_setup.glorot_uniform(rng, mlp_setup.NUM_HIDDEN, mlp_setup.NUM_CLASSES).T)
        )
        hidden.bias.zero_()
        output.bias.zero_()
    return torch.nn.Sequential(hidden, torch.nn.ReLU(), output, torch.nn.Softmax(dim=-1))


def main():
    x, y = mlp_setup.make_data()
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    model = build_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=mlp_setup.LEARNING_RATE)
    rng = np.random.default_rng(0)
    epoch_times = []
    loss = None
    for _ in range(mlp_setup.EPOCHS):
        start = time.perf_counter()
        order = torch.from_numpy(rng.permutation(mlp_setup.NUM_SAMPLES))
        x_epoch, y_epoch = x[order], y[order]
        for begin in range(0, mlp_setup.NUM_SAMPLES, mlp_setup.BATCH_SIZE):
            end = begin + mlp_setup.BATCH_SIZE
            probabilities = model(x_epoch[begin:end])
            probabilities = probabilities.clamp(mlp_setup.EPSILON, 1.0 - mlp_setup.EPSILON)
            loss = -(y_epoch[begin:end] * probabilities.log()).sum(dim=-1).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        loss = float(loss.detach())
        epoch_times.append(time.perf_counter() - start)
    mlp_setup.report(
        "handwritten", "torch", epoch_times, loss, version=torch.__version__, threads=torch.get_num_threads()
    )


if __name__ == "__main__":
    main()
