"""numpy math ops."""
