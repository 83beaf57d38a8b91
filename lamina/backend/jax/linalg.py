"""jax linalg ops."""
