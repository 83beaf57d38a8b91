"""torch math ops."""
