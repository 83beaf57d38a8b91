"""torch linalg ops."""
