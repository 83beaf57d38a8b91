"""Recurrent layers: the `RNN` time loop, its cells, and SimpleRNN, LSTM and GRU."""
