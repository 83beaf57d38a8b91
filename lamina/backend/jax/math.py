"""jax math ops."""
