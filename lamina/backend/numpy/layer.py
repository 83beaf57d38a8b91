"""The NumPy base of every Layer: a plain Python object (state lives in Variables)."""


class BackendLayer:
    def _register_variable(self, variable):
        pass

    def _register_sublayer(self, layer, attribute_name=None):
        pass
