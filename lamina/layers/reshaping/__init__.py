"""Layers that change the shape of their input (Flatten, Reshape, ...)."""
