"""The PyTorch base of every Layer: a real `torch.nn.Module`.

A layer registers its own variables as parameters (under their names) and its
sublayers as child modules, so `model.parameters()`, `state_dict()`,
`model.to(device)` and torch tooling see the natural module tree
(`dense.kernel`, `dense.bias`).
"""

import torch


class BackendLayer(torch.nn.Module):
    def __setattr__(self, name, value):
        if getattr(value, "_lamina_variable", False):
            # The variable's Parameter is registered under the variable's name;
            # the attribute itself holds the lamina Variable.
            object.__setattr__(self, name, value)
        else:
            super().__setattr__(name, value)

    def _register_variable(self, variable):
        parameter = variable._value
        for existing in self._parameters.values():
            if existing is parameter:
                return
        key = variable.name
        count = 1
        while key in self._parameters:
            key = f"{variable.name}_{count}"
            count += 1
        self._parameters[key] = parameter

    def _register_sublayer(self, layer, attribute_name=None):
        for existing in self._modules.values():
            if existing is layer:
                return
        key = attribute_name or layer.name
        count = 1
        while key in self._modules or key in self.__dict__:
            key = f"{attribute_name or layer.name}_{count}"
            count += 1
        self._modules[key] = layer

    def forward(self, *args, **kwargs):
        return self.__call__(*args, **kwargs)
