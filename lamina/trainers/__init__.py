"""`lamina.trainers`: the training loop shared by every backend."""
