"""jax nn ops."""
