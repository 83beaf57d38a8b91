"""Layers that regularize training (Dropout, ...)."""
