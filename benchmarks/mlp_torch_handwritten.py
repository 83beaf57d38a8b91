"""Benchmark case: the MLP as a plain PyTorch loop (the baseline for lamina on torch).

`nn.Sequential` + `torch.optim.SGD`, per-epoch shuffled minibatches gathered from
tensors made once from the NumPy data. The loss is Keras's categorical crossentropy
on softmax outputs (probabilities clipped to [epsilon, 1 - epsilon]).
"""

import numpy as np
import torch

import common
import mlp_setup


def build_model(seed=0):
    rng = np.random.default_rng(seed)
    hidden = torch.nn.Linear(mlp_setup.NUM_FEATURES, mlp_setup.NUM_HIDDEN)
    output = torch.nn.Linear(mlp_setup.NUM_HIDDEN, mlp_setup.NUM_CLASSES)
    with torch.no_grad():
        # torch stores (out, in) weights; the same Glorot draw as the other cases, transposed.
        hidden.weight.copy_(
            torch.from_numpy(common.glorot_uniform(rng, mlp_setup.NUM_FEATURES, mlp_setup.NUM_HIDDEN).T)
        )
        output.weight.copy_(
            torch.from_numpy(common.glorot_uniform(rng, mlp_setup.NUM_HIDDEN, mlp_setup.NUM_CLASSES).T)
        )
        hidden.bias.zero_()
        output.bias.zero_()
    return torch.nn.Sequential(hidden, torch.nn.ReLU(), output, torch.nn.Softmax(dim=-1))


def main():
    x, y = mlp_setup.make_data()
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    model = build_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=mlp_setup.LEARNING_RATE)

    def run_epoch(batches):
        loss = None
        for batch in batches:
            batch = torch.from_numpy(batch)
            probabilities = model(x[batch]).clamp(mlp_setup.EPSILON, 1.0 - mlp_setup.EPSILON)
            loss = -(y[batch] * probabilities.log()).sum(dim=-1).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        return float(loss.detach())

    epoch_times, loss = common.timed_epochs(
        run_epoch, mlp_setup.NUM_SAMPLES, mlp_setup.BATCH_SIZE, mlp_setup.EPOCHS
    )
    common.report(
        "handwritten", "torch", epoch_times, loss, version=torch.__version__, threads=torch.get_num_threads()
    )


if __name__ == "__main__":
    main()
