"""Preprocessing layers: feature normalization, discretization, encoding, hashing and vocabularies."""
