"""String hashes that give the same buckets as TensorFlow's string hashing ops, in pure Python.

`fingerprint64` is FarmHash's Fingerprint64 (the "na" variant of Hash64),
which `tf.strings.to_hash_bucket_fast` uses; `siphash24` is SipHash-2-4,
which `tf.strings.to_hash_bucket_strong` uses keyed by its two-integer salt.
Both return unsigned 64-bit integers; a bucket is `hash % num_buckets`.
"""

import struct

import numpy as np

_MASK = 0xFFFFFFFFFFFFFFFF
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F


def _fetch64(data, offset):
    return struct.unpack_from("<Q", data, offset)[0]


def _fetch32(data, offset):
    return struct.unpack_from("<I", data, offset)[0]


def _rotate(value, shift):
    return ((value >> shift) | (value << (64 - shift))) & _MASK


def _shift_mix(value):
    return value ^ (value >> 47)


def _hash_len16(u, v, mul):
    a = ((u ^ v) * mul) & _MASK
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK
    b ^= b >> 47
    return (b * mul) & _MASK


def _hash_len0to16(data):
    length = len(data)
    if length >= 8:
        mul = _K2 + length * 2
        a = (_fetch64(data, 0) + _K2) & _MASK
        b = _fetch64(data, length - 8)
        c = (_rotate(b, 37) * mul + a) & _MASK
        d = ((_rotate(a, 25) + b) * mul) & _MASK
        return _hash_len16(c, d, mul)
    if length >= 4:
        mul = _K2 + length * 2
        a = _fetch32(data, 0)
        return _hash_len16((length + (a << 3)) & _MASK, _fetch32(data, length - 4), mul)
    if length > 0:
        y = data[0] + (data[length >> 1] << 8)
        z = length + (data[length - 1] << 2)
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _MASK) * _K2) & _MASK
    return _K2


def _hash_len17to32(data):
    length = len(data)
    mul = _K2 + length * 2
    a = (_fetch64(data, 0) * _K1) & _MASK
    b = _fetch64(data, 8)
    c = (_fetch64(data, length - 8) * mul) & _MASK
    d = (_fetch64(data, length - 16) * _K2) & _MASK
    return _hash_len16(
        (_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK,
        (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK,
        mul,
    )


def _hash_len33to64(data):
    length = len(data)
    mul = _K2 + length * 2
    a = (_fetch64(data, 0) * _K2) & _MASK
    b = _fetch64(data, 8)
    c = (_fetch64(data, length - 8) * mul) & _MASK
    d = (_fetch64(data, length - 16) * _K2) & _MASK
    y = (_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK
    z = _hash_len16(y, (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK, mul)
    e = (_fetch64(data, 16) * mul) & _MASK
    f = _fetch64(data, 24)
    g = ((y + _fetch64(data, length - 32)) * mul) & _MASK
    h = ((z + _fetch64(data, length - 24)) * mul) & _MASK
    return _hash_len16(
        (_rotate((e + f) & _MASK, 43) + _rotate(g, 30) + h) & _MASK,
        (e + _rotate((f + a) & _MASK, 18) + g) & _MASK,
        mul,
    )


def _weak_hash_len32_with_seeds(data, offset, a, b):
    w = _fetch64(data, offset)
    x = _fetch64(data, offset + 8)
    y = _fetch64(data, offset + 16)
    z = _fetch64(data, offset + 24)
    a = (a + w) & _MASK
    b = _rotate((b + a + z) & _MASK, 21)
    c = a
    a = (a + x + y) & _MASK
    b = (b + _rotate(a, 44)) & _MASK
    return (a + z) & _MASK, (b + c) & _MASK


def fingerprint64(data):
    """FarmHash Fingerprint64 of `data` (bytes or str, UTF-8 encoded), an unsigned 64-bit int.

    Example:

    >>> fingerprint64("test")
    8581389452482819506
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    length = len(data)
    if length <= 16:
        return _hash_len0to16(data)
    if length <= 32:
        return _hash_len17to32(data)
    if length <= 64:
        return _hash_len33to64(data)
    seed = 81
    x = seed
    y = (seed * _K1 + 113) & _MASK
    z = (_shift_mix((y * _K2 + 113) & _MASK) * _K2) & _MASK
    v = (0, 0)
    w = (0, 0)
    x = (x * _K2 + _fetch64(data, 0)) & _MASK
    end = ((length - 1) // 64) * 64
    last64 = end + ((length - 1) & 63) - 63
    offset = 0
    while True:
        x = (_rotate((x + y + v[0] + _fetch64(data, offset + 8)) & _MASK, 37) * _K1) & _MASK
        y = (_rotate((y + v[1] + _fetch64(data, offset + 48)) & _MASK, 42) * _K1) & _MASK
        x ^= w[1]
        y = (y + v[0] + _fetch64(data, offset + 40)) & _MASK
        z = (_rotate((z + w[0]) & _MASK, 33) * _K1) & _MASK
        v = _weak_hash_len32_with_seeds(data, offset, (v[1] * _K1) & _MASK, (x + w[0]) & _MASK)
        w = _weak_hash_len32_with_seeds(
            data, offset + 32, (z + w[1]) & _MASK, (y + _fetch64(data, offset + 16)) & _MASK
        )
        z, x = x, z
        offset += 64
        if offset == end:
            break
    mul = _K1 + ((z & 0xFF) << 1)
    offset = last64
    w = ((w[0] + ((length - 1) & 63)) & _MASK, w[1])
    v = ((v[0] + w[0]) & _MASK, v[1])
    w = ((w[0] + v[0]) & _MASK, w[1])
    x = (_rotate((x + y + v[0] + _fetch64(data, offset + 8)) & _MASK, 37) * mul) & _MASK
    y = (_rotate((y + v[1] + _fetch64(data, offset + 48)) & _MASK, 42) * mul) & _MASK
    x ^= (w[1] * 9) & _MASK
    y = (y + v[0] * 9 + _fetch64(data, offset + 40)) & _MASK
    z = (_rotate((z + w[0]) & _MASK, 33) * mul) & _MASK
    v = _weak_hash_len32_with_seeds(data, offset, (v[1] * mul) & _MASK, (x + w[0]) & _MASK)
    w = _weak_hash_len32_with_seeds(
        data, offset + 32, (z + w[1]) & _MASK, (y + _fetch64(data, offset + 16)) & _MASK
    )
    z, x = x, z
    return _hash_len16(
        (_hash_len16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z) & _MASK,
        (_hash_len16(v[1], w[1], mul) + x) & _MASK,
        mul,
    )


def _rotate_left(value, shift):
    return ((value << shift) | (value >> (64 - shift))) & _MASK


def _sip_rounds(v0, v1, v2, v3, count):
    for _ in range(count):
        v0 = (v0 + v1) & _MASK
        v1 = _rotate_left(v1, 13) ^ v0
        v0 = _rotate_left(v0, 32)
        v2 = (v2 + v3) & _MASK
        v3 = _rotate_left(v3, 16) ^ v2
        v0 = (v0 + v3) & _MASK
        v3 = _rotate_left(v3, 21) ^ v0
        v2 = (v2 + v1) & _MASK
        v1 = _rotate_left(v1, 17) ^ v2
        v2 = _rotate_left(v2, 32)
    return v0, v1, v2, v3


def siphash24(data, key0, key1):
    """SipHash-2-4 of `data` (bytes or str) keyed by two unsigned 64-bit ints.

    Example:

    >>> hex(siphash24(b"", 0x0706050403020100, 0x0F0E0D0C0B0A0908))
    '0x726fdb47dd0e0e31'
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    key0 &= _MASK
    key1 &= _MASK
    v0 = key0 ^ 0x736F6D6570736575
    v1 = key1 ^ 0x646F72616E646F6D
    v2 = key0 ^ 0x6C7967656E657261
    v3 = key1 ^ 0x7465646279746573
    length = len(data)
    full = length - length % 8
    for offset in range(0, full, 8):
        block = _fetch64(data, offset)
        v3 ^= block
        v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 2)
        v0 ^= block
    tail = data[full:] + bytes(8 - (length - full))
    last = ((length & 0xFF) << 56) | struct.unpack("<Q", tail)[0]
    v3 ^= last
    v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 2)
    v0 ^= last
    v2 ^= 0xFF
    v0, v1, v2, v3 = _sip_rounds(v0, v1, v2, v3, 4)
    return v0 ^ v1 ^ v2 ^ v3


def to_bytes(value):
    """The bytes TensorFlow hashes for one value: UTF-8 text, or the decimal text of a number."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (float, np.floating)):
        value = int(value)
    return str(int(value)).encode("ascii")


def hash_to_buckets(values, num_buckets, salt=None):
    """Hashes every element of a NumPy array into `[0, num_buckets)`.

    Args:
        values: Array-like of strings, bytes or integers.
        num_buckets: Number of buckets.
        salt: None for Fingerprint64, or a pair of ints keying SipHash-2-4.

    Returns:
        An int64 NumPy array shaped like `values`.

    Example:

    >>> hash_to_buckets(["A", "B", "C", "D", "E"], 3).tolist()
    [1, 0, 1, 1, 2]
    """
    array = np.asarray(values, dtype=object)
    if salt is None:
        hashes = [fingerprint64(to_bytes(item)) % num_buckets for item in array.ravel()]
    else:
        hashes = [siphash24(to_bytes(item), salt[0], salt[1]) % num_buckets for item in array.ravel()]
    return np.asarray(hashes, dtype="int64").reshape(array.shape)
