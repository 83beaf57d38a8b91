"""lamina.ops.numpy shape ops: reshape, transpose, joining, splitting, tiling, padding."""

import numpy as np
import pytest
from numpy_op_harness import case
from numpy_op_harness import check_forward
from numpy_op_harness import check_gradient
from numpy_op_harness import check_symbolic
from numpy_op_harness import grad_cases

import lamina
from lamina import ops

RNG = np.random.default_rng(2)
X = RNG.normal(size=(2, 3, 4)).astype("float32")
M = RNG.normal(size=(3, 4)).astype("float32")
V = RNG.normal(size=(4,)).astype("float32")
INTS = RNG.integers(-5, 6, size=(3, 4)).astype("int32")


def _split(x, indices_or_sections, axis=0):
    return np.split(x, indices_or_sections, axis=axis)


def _reshape(x, newshape):
    return np.reshape(x, newshape)


def _tile(x, repeats):
    return np.tile(x, repeats)


RESHAPING = [
    case("reshape", ops.reshape, _reshape, X, newshape=(4, 6), grad=True, none_dims=False),
    case("reshape_inferred", ops.reshape, _reshape, X, newshape=(-1, 4), grad=True),
    case("reshape_int", lambda x: ops.reshape(x, 12), lambda x: np.reshape(x, 12), INTS, none_dims=False),
    case("transpose", ops.transpose, np.transpose, X, grad=True),
    case("transpose_axes", ops.transpose, np.transpose, X, axes=(1, 2, 0), grad=True),
    case("expand_dims", ops.expand_dims, np.expand_dims, M, axis=1, grad=True),
    case("expand_dims_axes", ops.expand_dims, np.expand_dims, M, axis=(0, -1)),
    case("squeeze", ops.squeeze, np.squeeze, X[:, :1, :, None], grad=True, none_dims=False),
    case("squeeze_axis", ops.squeeze, np.squeeze, X[:, :1, :, None], axis=(1, -1)),
    case("ravel", ops.ravel, np.ravel, X, grad=True),
    case("moveaxis", ops.moveaxis, np.moveaxis, X, source=0, destination=-1, grad=True),
    case("moveaxis_many", ops.moveaxis, np.moveaxis, X, source=(0, 1), destination=(2, 0)),
    case("swapaxes", ops.swapaxes, np.swapaxes, X, axis1=0, axis2=2, grad=True),
    case("broadcast_to", ops.broadcast_to, np.broadcast_to, V, shape=(2, 3, 4), grad=True, none_dims=False),
    case("flip", ops.flip, np.flip, X, grad=True),
    case("flip_axis", ops.flip, np.flip, X, axis=(0, 2)),
    case("roll", ops.roll, np.roll, M, shift=2, grad=True),
    case("roll_axis", ops.roll, np.roll, X, shift=-1, axis=1),
    case("roll_axes", ops.roll, np.roll, X, shift=(1, 2), axis=(0, 2)),
    case("size", ops.size, np.size, X, none_dims=False),
    case("ndim", ops.ndim, np.ndim, X),
]

JOINING = [
    case(
        "concatenate",
        lambda a, b: ops.concatenate([a, b], axis=1),
        lambda a, b: np.concatenate([a, b], axis=1),
        X,
        X[:, :2],
        grad=True,
    ),
    case(
        "concatenate_promotes",
        lambda a, b: ops.concatenate([a, b], axis=-1),
        lambda a, b: np.concatenate([a, b], axis=-1),
        M,
        INTS,
    ),
    case(
        "concatenate_flat",
        lambda a, b: ops.concatenate([a, b], axis=None),
        lambda a, b: np.concatenate([a, b], axis=None),
        M,
        V,
        none_dims=False,
    ),
    case(
        "stack",
        lambda a, b: ops.stack([a, b], axis=1),
        lambda a, b: np.stack([a, b], axis=1),
        M,
        M,
        grad=True,
    ),
    case("split_sections", ops.split, _split, X, indices_or_sections=2, axis=0, grad=True, none_dims=False),
    case("split_indices", ops.split, _split, X, indices_or_sections=[1, 3], axis=2, grad=True),
    case("split_negative_index", ops.split, _split, M, indices_or_sections=[-1], axis=1),
    case("hstack", lambda a, b: ops.hstack([a, b]), lambda a, b: np.hstack([a, b]), M, INTS, none_dims=False),
    case("hstack_1d", lambda a, b: ops.hstack([a, b]), lambda a, b: np.hstack([a, b]), V, V, grad=True),
    case("vstack", lambda a, b: ops.vstack([a, b]), lambda a, b: np.vstack([a, b]), M, V, grad=True),
    case("append", ops.append, np.append, M, V, grad=True, none_dims=False),
    case("append_axis", ops.append, np.append, M, INTS, axis=0),
    case("meshgrid", lambda a, b: ops.meshgrid(a, b), lambda a, b: np.meshgrid(a, b), V, M[0, :3], grad=True),
    case(
        "meshgrid_ij",
        lambda a, b, c: ops.meshgrid(a, b, c, indexing="ij"),
        lambda a, b, c: np.meshgrid(a, b, c, indexing="ij"),
        V,
        V[:2],
        V[:3],
    ),
]

TILING = [
    case("tile", ops.tile, _tile, M, repeats=(2, 1), grad=True),
    case("tile_more_axes", ops.tile, _tile, V, repeats=(2, 1, 3)),
    case("tile_int", ops.tile, _tile, INTS, repeats=2),
    case("repeat", ops.repeat, np.repeat, M, repeats=2, grad=True),
    case("repeat_axis", ops.repeat, np.repeat, M, repeats=3, axis=1, grad=True),
    case("repeat_counts", ops.repeat, np.repeat, M, repeats=[1, 0, 2], axis=0, none_dims=False),
    case("pad", ops.pad, np.pad, M, pad_width=((1, 2), (0, 3)), grad=True),
    case("pad_value", ops.pad, np.pad, INTS, pad_width=1, constant_values=7),
    case("pad_pair", ops.pad, np.pad, X, pad_width=(1, 2)),
    case("pad_edge", ops.pad, np.pad, X, pad_width=((0, 0), (2, 1), (1, 3)), mode="edge", grad=True),
    case("pad_reflect", ops.pad, np.pad, X, pad_width=((1, 1), (2, 2), (0, 3)), mode="reflect", grad=True),
    case("pad_symmetric", ops.pad, np.pad, M, pad_width=((2, 3), (4, 1)), mode="symmetric", grad=True),
    case("pad_wrap", ops.pad, np.pad, M, pad_width=((1, 2), (5, 0)), mode="wrap"),
]

CASES = RESHAPING + JOINING + TILING


@pytest.mark.parametrize("case", CASES)
def test_forward_matches_numpy(case):
    check_forward(case)


@pytest.mark.parametrize("case", CASES)
def test_shape_rule_matches_eager(case):
    check_symbolic(case)


@pytest.mark.requires_trainable_backend
@pytest.mark.parametrize("case", grad_cases(CASES))
def test_gradient_matches_finite_differences(case):
    check_gradient(case)


def test_reshape_with_unknown_sizes():
    x = lamina.KerasTensor((None, 3, 4))
    assert ops.reshape(x, (-1, 12)).shape == (None, 12)
    assert ops.reshape(x, (-1, 2, 6)).shape == (None, 2, 6)
    assert ops.reshape(lamina.KerasTensor((2, 3, 4)), (4, -1)).shape == (4, 6)


def test_reshape_rejects_wrong_size():
    with pytest.raises(ValueError, match=r"reshape cannot turn a tensor of shape \(2, 3\) \(6 elements\)"):
        ops.reshape(ops.ones((2, 3)), (4,))
    with pytest.raises(ValueError, match="at most one -1"):
        ops.reshape(lamina.KerasTensor((None, 4)), (-1, -1))


def test_reshape_checks_every_call_of_a_repeated_signature():
    # Eager reshapes keep their checked target per (shape, newshape): a repeat gives the
    # same result, and a bad target is rejected on every call, never cached.
    x = ops.reshape(ops.arange(24.0), (2, 3, 4))
    for _ in range(2):
        assert tuple(ops.reshape(x, (4, -1)).shape) == (4, 6)
        assert tuple(ops.reshape(x, 24).shape) == (24,)
        with pytest.raises(ValueError, match="cannot turn a tensor of shape"):
            ops.reshape(x, (5, -1))
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.reshape(x, (6, 4))), np.arange(24.0).reshape(6, 4))
    # A list target is not a cache key: it is checked afresh each call.
    assert tuple(ops.reshape(ops.ones((3,)), [3, 1]).shape) == (3, 1)
    with pytest.raises(ValueError, match="cannot turn a tensor of shape"):
        ops.reshape(ops.ones((3,)), [2, -1])


def test_concatenate_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="shapes agree except on the joined axis"):
        ops.concatenate([lamina.KerasTensor((None, 3)), lamina.KerasTensor((None, 4))], axis=0)
    joined = ops.concatenate([lamina.KerasTensor((None, 3)), lamina.KerasTensor((2, 4))], axis=1)
    assert joined.shape == (2, 7)


def test_split_rejects_uneven_sections():
    with pytest.raises(ValueError, match="cannot divide an axis of size 5 into 2 equal sections"):
        ops.split(ops.ones((5,)), 2)


def test_squeeze_rejects_axis_larger_than_one():
    with pytest.raises(ValueError, match="squeeze can only remove axes of size 1"):
        ops.squeeze(lamina.KerasTensor((None, 3)), axis=1)


def test_pad_rejects_unknown_mode_and_bad_width():
    with pytest.raises(ValueError, match="pad expects `mode`"):
        ops.pad(ops.ones((2,)), 1, mode="linear_ramp")
    with pytest.raises(ValueError, match="pad expects `pad_width`"):
        ops.pad(ops.ones((2, 2)), ((1, 1), (1, 1), (1, 1)))


def test_broadcast_to_rejects_incompatible_shape():
    with pytest.raises(
        ValueError, match=r"broadcast_to cannot broadcast a tensor of shape \(3,\) to shape \(2, 4\)"
    ):
        ops.broadcast_to(ops.ones((3,)), (2, 4))


def test_size_and_ndim_of_symbolic_tensors():
    x = lamina.KerasTensor((None, 3))
    assert ops.ndim(x).shape == ()
    assert ops.size(x).dtype == "int32"
