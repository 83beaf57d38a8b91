"""initializers.get / serialize / deserialize and config round trips."""

import pytest

import lamina
from lamina import initializers

CASES = [
    (initializers.Zeros, {}, {}),
    (initializers.Ones, {}, {}),
    (initializers.Constant, {"value": 1.5}, {"value": 1.5}),
    (initializers.Identity, {"gain": 2.0}, {"gain": 2.0}),
    (initializers.RandomNormal, {"seed": 1}, {"seed": 1, "mean": 0.0, "stddev": 0.05}),
    (initializers.RandomUniform, {}, {"seed": None, "minval": -0.05, "maxval": 0.05}),
    (initializers.TruncatedNormal, {"stddev": 1.0}, {"seed": None, "mean": 0.0, "stddev": 1.0}),
    (
        initializers.VarianceScaling,
        {"scale": 2.0, "mode": "fan_out", "distribution": "uniform", "seed": 3},
        {
            "seed": 3,
            "scale": 2.0,
            "mode": "fan_out",
            "distribution": "uniform",
            "input_axes": None,
            "output_axes": None,
        },
    ),
    (initializers.GlorotUniform, {}, {"seed": None, "input_axes": None, "output_axes": None}),
    (initializers.GlorotNormal, {"seed": 2}, {"seed": 2, "input_axes": None, "output_axes": None}),
    (initializers.HeNormal, {}, {"seed": None, "input_axes": None, "output_axes": None}),
    (initializers.HeUniform, {}, {"seed": None, "input_axes": None, "output_axes": None}),
    (initializers.LecunNormal, {}, {"seed": None, "input_axes": None, "output_axes": None}),
    (initializers.LecunUniform, {}, {"seed": None, "input_axes": None, "output_axes": None}),
    (initializers.Orthogonal, {"gain": 2.0, "seed": 5}, {"seed": 5, "gain": 2.0}),
]


@pytest.mark.parametrize("cls, kwargs, expected_config", CASES, ids=[case[0].__name__ for case in CASES])
def test_config_round_trip(cls, kwargs, expected_config):
    initializer = cls(**kwargs)
    assert initializer.get_config() == expected_config
    assert cls.from_config(initializer.get_config()).get_config() == expected_config
    serialized = initializers.serialize(initializer)
    assert serialized == {
        "module": "keras.initializers",
        "class_name": cls.__name__,
        "config": expected_config,
        "registered_name": None,
    }
    revived = initializers.deserialize(serialized)
    assert type(revived) is cls
    assert revived.get_config() == expected_config
    assert initializers.get(serialized).get_config() == expected_config
    assert type(initializer.clone()) is cls


SNAKE_NAMES = {
    "zeros": initializers.Zeros,
    "ones": initializers.Ones,
    "constant": initializers.Constant,
    "identity": initializers.Identity,
    "orthogonal": initializers.Orthogonal,
    "random_normal": initializers.RandomNormal,
    "random_uniform": initializers.RandomUniform,
    "truncated_normal": initializers.TruncatedNormal,
    "variance_scaling": initializers.VarianceScaling,
    "glorot_uniform": initializers.GlorotUniform,
    "glorot_normal": initializers.GlorotNormal,
    "he_normal": initializers.HeNormal,
    "he_uniform": initializers.HeUniform,
    "lecun_normal": initializers.LecunNormal,
    "lecun_uniform": initializers.LecunUniform,
}


@pytest.mark.parametrize("name", sorted(SNAKE_NAMES))
def test_snake_case_names_and_aliases(name):
    cls = SNAKE_NAMES[name]
    assert getattr(initializers, name) is cls
    assert type(initializers.get(name)) is cls
    assert type(initializers.get(cls.__name__)) is cls
    assert type(initializers.get(cls)) is cls


def test_legacy_names():
    assert type(initializers.get("normal")) is initializers.RandomNormal
    assert type(initializers.get("uniform")) is initializers.RandomUniform
    assert type(initializers.get("one")) is initializers.Ones
    assert type(initializers.get("zero")) is initializers.Zeros
    assert type(initializers.get("IdentityInitializer")) is initializers.Identity


def test_get_passes_instances_and_callables_through():
    initializer = initializers.HeNormal()
    assert initializers.get(initializer) is initializer

    def custom(shape, dtype=None):
        return lamina.ops.zeros(shape, dtype=dtype)

    assert initializers.get(custom) is custom
    assert initializers.get(None) is None


def test_unknown_name_raises():
    with pytest.raises(ValueError, match="Unknown initializer: 'glorot_uniformm'"):
        initializers.get("glorot_uniformm")
    with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
        initializers.get(3)


def test_seed_generator_seed_serializes():
    generator = lamina.random.SeedGenerator(11)
    config = initializers.RandomNormal(seed=generator).get_config()
    assert config["seed"]["class_name"] == "SeedGenerator"
    assert config["seed"]["config"] == {"seed": 11}
    revived = initializers.RandomNormal.from_config(config)
    assert isinstance(revived.seed, lamina.random.SeedGenerator)
    assert revived.seed.get_config() == {"seed": 11}
