"""`lamina.ops.nn` and `lamina.ops.image` hold the names of Keras's submodules (the ops lamina has)."""

from lamina import ops


def test_every_nn_op_lamina_has_is_also_under_ops_nn(keras):
    keras_nn = {name for name in dir(keras.ops.nn) if not name.startswith("_")}
    implemented = {name for name in keras_nn if hasattr(ops, name)}
    missing = sorted(name for name in implemented if not hasattr(ops.nn, name))
    assert not missing, f"lamina.ops.nn lacks {missing}, which lamina.ops has"
    assert {"conv", "dot_product_attention", "separable_conv", "max_pool"} <= implemented


def test_image_ops_live_under_ops_image(keras):
    for name in ("resize", "affine_transform", "crop_images", "pad_images", "rgb_to_grayscale"):
        assert hasattr(keras.ops.image, name)
        assert callable(getattr(ops.image, name))
