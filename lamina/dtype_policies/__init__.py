"""`lamina.dtype_policies`: the compute and variable dtypes of layers."""

from lamina.dtype_policies.dtype_policy import DTypePolicy
from lamina.dtype_policies.dtype_policy import get
from lamina.dtype_policies.dtype_policy import global_policy
from lamina.dtype_policies.dtype_policy import set_global_policy

FloatDTypePolicy = DTypePolicy
Policy = DTypePolicy

__all__ = ["DTypePolicy", "FloatDTypePolicy", "Policy", "get", "global_policy", "set_global_policy"]
