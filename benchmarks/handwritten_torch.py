"""The hand-written PyTorch training and inference loops every PyTorch baseline shares.

`torch.nn` modules with `torch.optim` (SGD, or Adam with Keras's epsilon 1e-7),
minibatches gathered from tensors made once. A workload module
(`<workload>_torch_handwritten.py`) supplies `build_model(weights, dropout_rate)`
(from the Keras-layout initial weights), `prepare(x, y)` (NumPy arrays to tensors in
PyTorch's layout), `loss_fn(outputs, targets)`, `outputs(model, x)` (inference) and
`OPTIMIZER` ("sgd" or "adam").
"""

import numpy as np
import torch

import common

BETA_1 = 0.9
BETA_2 = 0.999
ADAM_EPSILON = 1e-7


class KerasAdam(torch.optim.Optimizer):
    """Adam with Keras's epsilon placement, for the same-start check only.

    `torch.optim.Adam` adds epsilon after the bias correction of `sqrt(v)`, Keras
    before it, which moves small-gradient weights (an LSTM's embedding rows) by about
    1e-3 relative after a few steps; the timed runs keep `torch.optim.Adam`.
    """

    def __init__(self, params, lr):
        super().__init__(params, {"lr": lr})
        self.step_count = 0

    @torch.no_grad()
    def step(self):
        self.step_count += 1
        for group in self.param_groups:
            scale = group["lr"] * (1 - BETA_2**self.step_count) ** 0.5 / (1 - BETA_1**self.step_count)
            for parameter in group["params"]:
                if parameter.grad is None:
                    continue
                state = self.state[parameter]
                if not state:
                    state["m"], state["v"] = torch.zeros_like(parameter), torch.zeros_like(parameter)
                state["m"].lerp_(parameter.grad, 1 - BETA_1)
                state["v"].mul_(BETA_2).addcmul_(parameter.grad, parameter.grad, value=1 - BETA_2)
                parameter.sub_(scale * state["m"] / (state["v"].sqrt() + ADAM_EPSILON))


def train(module, setup, x, y, epochs, shuffle=True, dropout_rate=0.0, keras_adam=False):
    """Trains from `setup.initial_weights()`; returns `(epoch_times, epoch_mean_losses)`.

    `keras_adam` swaps `torch.optim.Adam` for `KerasAdam` (the same-start check).
    """
    model = module.build_model(setup.initial_weights(), dropout_rate)
    model.train()
    x, y = module.prepare(x, y)
    if module.OPTIMIZER == "adam" and keras_adam:
        optimizer = KerasAdam(model.parameters(), setup.LEARNING_RATE)
    elif module.OPTIMIZER == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=setup.LEARNING_RATE, eps=ADAM_EPSILON)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=setup.LEARNING_RATE)

    def run_epoch(batches):
        losses = []
        for batch in batches:
            batch = torch.from_numpy(batch)
            loss = module.loss_fn(model(x[batch]), y[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses.append(loss.detach())
        return float(torch.stack(losses).mean())

    return common.timed_epochs(run_epoch, len(x), setup.BATCH_SIZE, epochs, shuffle)


def predict_figures(module, setup, x, latency_calls):
    """Throughput of a batched inference-mode loop over `x`, and the latency of one-sample calls."""
    model = module.build_model(setup.initial_weights(), 0.0)
    model.eval()
    x, _ = module.prepare(x, None)
    batch_size = setup.BATCH_SIZE

    @torch.inference_mode()
    def predict_all():
        return np.concatenate(
            [
                module.outputs(model, x[begin : begin + batch_size]).numpy()
                for begin in range(0, len(x), batch_size)
            ]
        )

    one = x[:1]

    @torch.inference_mode()
    def predict_one():
        return module.outputs(model, one).numpy()

    latency = common.median_latency_seconds(predict_one, latency_calls)
    return {
        "predict_throughput": common.best_throughput(predict_all, len(x)),
        "predict_one_latency": latency,
        "call_one_latency": latency,
    }


def linear_from_keras(kernel, bias):
    """A `torch.nn.Linear` holding a Keras Dense kernel `(in, out)` (torch stores `(out, in)`)."""
    layer = torch.nn.Linear(kernel.shape[0], kernel.shape[1])
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel.T)))
        layer.bias.copy_(torch.from_numpy(bias))
    return layer
