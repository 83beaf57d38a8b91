"""Image preprocessing layers: resizing, cropping, rescaling and random augmentation."""

from lamina.layers.preprocessing.image.center_crop import CenterCrop
from lamina.layers.preprocessing.image.random_brightness import RandomBrightness
from lamina.layers.preprocessing.image.random_contrast import RandomContrast
from lamina.layers.preprocessing.image.random_crop import RandomCrop
from lamina.layers.preprocessing.image.random_flip import RandomFlip
from lamina.layers.preprocessing.image.random_rotation import RandomRotation
from lamina.layers.preprocessing.image.random_translation import RandomTranslation
from lamina.layers.preprocessing.image.random_zoom import RandomZoom
from lamina.layers.preprocessing.image.rescaling import Rescaling
from lamina.layers.preprocessing.image.resizing import Resizing

__all__ = [
    "CenterCrop",
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "Resizing",
]
