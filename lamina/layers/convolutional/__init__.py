"""Convolution layers: Conv1D/2D/3D and their transposes."""
