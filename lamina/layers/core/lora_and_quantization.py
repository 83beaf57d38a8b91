"""The LoRA and quantization arguments of Dense, EinsumDense and Embedding (not supported yet)."""


def reject_lora_and_quantization(layer, lora_rank=None, lora_alpha=None, quantization_config=None):
    """Raises a clear error when a layer is asked for LoRA or quantization.

    Keras 3's `Dense`, `EinsumDense` and `Embedding` accept `lora_rank`,
    `lora_alpha` and `quantization_config`, and their configs carry
    `"quantization_config": None`. lamina accepts the same arguments so that
    Keras configs load, and refuses non-default values rather than ignoring them.

    Args:
        layer: The layer being created (its class and name go in the message).
        lora_rank: The requested LoRA rank (`None` when unused).
        lora_alpha: The requested LoRA scale (`None` when unused).
        quantization_config: The requested quantization config (`None` when unused).

    Example:

    >>> import lamina
    >>> reject_lora_and_quantization(lamina.layers.Dense(2, name="head"))
    >>> reject_lora_and_quantization(lamina.layers.Dense(2, name="head"), lora_rank=4)
    Traceback (most recent call last):
    ...
    ValueError: Dense layer 'head' does not support LoRA or quantization yet. Received: lora_rank=4, \
lora_alpha=None, quantization_config=None
    """
    if lora_rank is None and lora_alpha is None and quantization_config is None:
        return
    raise ValueError(
        f"{type(layer).__name__} layer '{layer.name}' does not support LoRA or quantization yet. "
        f"Received: lora_rank={lora_rank!r}, lora_alpha={lora_alpha!r}, "
        f"quantization_config={quantization_config!r}"
    )
