"""The loop the hand-written PyTorch cases share: Adam over shuffled minibatches of tensors made once."""

import torch

import common


def train_with_adam(model, loss_fn, x, y, setup):
    """Trains `model` with `torch.optim.Adam`; returns `(epoch_times, last_loss)`.

    `x` and `y` are NumPy arrays, turned into tensors once; each step gathers its
    minibatch, runs forward, `loss_fn(outputs, targets)`, backward and the update.
    """
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    optimizer = torch.optim.Adam(model.parameters(), lr=setup.LEARNING_RATE, eps=1e-7)

    def run_epoch(batches):
        loss = None
        for batch in batches:
            batch = torch.from_numpy(batch)
            loss = loss_fn(model(x[batch]), y[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        return float(loss.detach())

    return common.timed_epochs(run_epoch, len(x), setup.BATCH_SIZE, setup.EPOCHS)


def report(epoch_times, loss):
    common.report(
        "handwritten", "torch", epoch_times, loss, version=torch.__version__, threads=torch.get_num_threads()
    )
