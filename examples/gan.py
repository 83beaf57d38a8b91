"""A GAN whose training step is written once and runs on every backend.

The generator learns to produce iris flowers' petal measurements (length and
width, scikit-learn's `load_iris`: three clusters) from Gaussian noise; the
discriminator learns to tell them from real ones. `train_step` uses two
optimizers and two losses, with `keras.ops.value_and_gradients` for the
gradients: on JAX the step is compiled, on PyTorch it runs eagerly, and the
code is the same.

    LAMINA_BACKEND=jax python examples/gan.py
    LAMINA_BACKEND=torch python examples/gan.py
"""

import numpy as np
from sklearn.datasets import load_iris

import lamina as keras
from lamina import ops

LATENT_SIZE = 8
EPOCHS = 150
SEED = 0


def load_petals():
    """Returns the standardized petal measurements, shape (150, 2), with their mean and std."""
    petals = load_iris().data[:, 2:4].astype("float32")
    mean, std = petals.mean(axis=0), petals.std(axis=0)
    return (petals - mean) / std, mean, std


class GAN(keras.Model):
    """A generator and a discriminator trained against each other."""

    def __init__(self, latent_size=LATENT_SIZE, **kwargs):
        super().__init__(**kwargs)
        self.latent_size = latent_size
        self.generator = keras.Sequential(
            [
                keras.Input((latent_size,)),
                keras.layers.Dense(32, activation="relu"),
                keras.layers.Dense(32, activation="relu"),
                keras.layers.Dense(2),
            ],
            name="generator",
        )
        self.discriminator = keras.Sequential(
            [
                keras.Input((2,)),
                keras.layers.Dense(32, activation="relu"),
                keras.layers.Dense(32, activation="relu"),
                keras.layers.Dense(1),
            ],
            name="discriminator",
        )
        self.seed_generator = keras.random.SeedGenerator(SEED)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def sample(self, count):
        noise = keras.random.normal((count, self.latent_size), seed=self.seed_generator)
        return self.generator(noise)

    def train_step(self, data):
        real, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        batch_size = ops.shape(real)[0]
        crossentropy = keras.losses.BinaryCrossentropy(from_logits=True)

        def discriminator_loss():
            fake = self.sample(batch_size)
            logits = ops.concatenate([self.discriminator(fake), self.discriminator(real)], axis=0)
            labels = ops.concatenate([ops.zeros((batch_size, 1)), ops.ones((batch_size, 1))], axis=0)
            return crossentropy(labels, logits)

        d_loss, grads = ops.value_and_gradients(discriminator_loss, self.discriminator.trainable_variables)
        self.d_optimizer.apply(grads, self.discriminator.trainable_variables)

        def generator_loss():
            return crossentropy(ops.ones((batch_size, 1)), self.discriminator(self.sample(batch_size)))

        g_loss, grads = ops.value_and_gradients(generator_loss, self.generator.trainable_variables)
        self.g_optimizer.apply(grads, self.generator.trainable_variables)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


def main(epochs=EPOCHS, verbose=1):
    """Trains the GAN; returns `(real, generated)` petal measurements in centimetres."""
    keras.utils.set_random_seed(SEED)
    petals, mean, std = load_petals()
    gan = GAN()
    gan.compile(
        d_optimizer=keras.optimizers.Adam(learning_rate=2e-3, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(learning_rate=2e-3, beta_1=0.5),
    )
    gan.fit(petals, batch_size=30, epochs=epochs, shuffle=True, verbose=verbose)
    noise = np.random.default_rng(SEED).normal(size=(1000, LATENT_SIZE)).astype("float32")
    generated = np.asarray(gan.generator.predict(noise, verbose=0)) * std + mean
    real = petals * std + mean
    if verbose:
        print("real petals      mean", real.mean(axis=0).round(2), "std", real.std(axis=0).round(2))
        print("generated petals mean", generated.mean(axis=0).round(2), "std", generated.std(axis=0).round(2))
    return real, generated


if __name__ == "__main__":
    main(verbose=2)
