"""The numpy backend. Its modules mirror those of the other backends.

They are imported on first use (see `lamina.backend.common.lazy_package`), so that
`import lamina` imports no framework.
"""

from lamina.backend.common.lazy_package import lazy_module_getattr

__getattr__ = lazy_module_getattr(__name__, globals())
