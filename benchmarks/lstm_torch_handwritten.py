"""Benchmark case: the LSTM as a plain PyTorch loop (`nn.LSTM`, PyTorch's fused kernel, Adam)."""

import torch

import handwritten_torch
import lstm_setup


class LastStepClassifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.lstm = torch.nn.LSTM(lstm_setup.NUM_FEATURES, lstm_setup.UNITS, batch_first=True)
        self.dense = torch.nn.Linear(lstm_setup.UNITS, 1)

    def forward(self, x):
        outputs, _ = self.lstm(x)
        return self.dense(outputs[:, -1])


def main():
    x, y = lstm_setup.make_data()
    loss_fn = torch.nn.BCEWithLogitsLoss()
    epoch_times, loss = handwritten_torch.train_with_adam(LastStepClassifier(), loss_fn, x, y, lstm_setup)
    handwritten_torch.report(epoch_times, loss)


if __name__ == "__main__":
    main()
