"""torch nn ops."""
