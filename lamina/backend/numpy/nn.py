"""numpy nn ops."""
