"""Layers that combine a list of inputs (Add, Concatenate, Dot, ...)."""
