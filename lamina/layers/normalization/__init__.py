"""Normalization layers (BatchNormalization, LayerNormalization, ...)."""
