"""How lookup layers save what is not a variable: IDF weights in the weights file, the vocabulary as an asset.

Keras writes an adapted vocabulary to `assets/<layer path>/vocabulary.txt`
(one token per line, special tokens included) and the IDF weights of a
`"tf_idf"` layer under the key `idf_weights`; a vocabulary given to the
constructor is saved in the config instead.
"""

import os

import numpy as np

from lamina import config


class LookupSavingMixin:
    def save_own_variables(self, store):
        if self.output_mode == "tf_idf":
            store["idf_weights"] = np.asarray(self.idf_weights)

    def load_own_variables(self, store):
        if self.output_mode == "tf_idf":
            self.idf_weights = np.asarray(store["idf_weights"]).astype(config.floatx())

    def save_assets(self, dir_path):
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as file:
            file.write("\n".join(str(token) for token in self.get_vocabulary()))

    def load_assets(self, dir_path):
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), encoding="utf-8") as file:
            lines = file.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        idf_weights = self.idf_weights if self.output_mode == "tf_idf" else None
        self.set_vocabulary([self._standardize_token(line) for line in lines], idf_weights=idf_weights)
