"""`lamina.random`: random ops and `SeedGenerator`."""

from lamina.random.random import categorical
from lamina.random.random import dropout
from lamina.random.random import normal
from lamina.random.random import randint
from lamina.random.random import shuffle
from lamina.random.random import truncated_normal
from lamina.random.random import uniform
from lamina.random.seed_generator import SeedGenerator

__all__ = [
    "SeedGenerator",
    "categorical",
    "dropout",
    "normal",
    "randint",
    "shuffle",
    "truncated_normal",
    "uniform",
]
