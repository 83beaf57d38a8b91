"""numpy linalg ops."""
