"""Pooling layers (MaxPooling2D, GlobalAveragePooling1D, ...)."""
