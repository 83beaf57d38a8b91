"""`lamina.metrics`: values tracked during training and evaluation.

Metrics are stateful (`update_state`, `result`, `reset_state`) and also
offer stateless variants for compiled training steps. The functions
(`binary_accuracy`, ...) return per-sample values.
"""

import inspect

from lamina.backend.common.naming import to_snake_case
from lamina.losses.focal import binary_focal_crossentropy
from lamina.losses.focal import categorical_focal_crossentropy
from lamina.losses.hinge import categorical_hinge
from lamina.losses.hinge import hinge
from lamina.losses.hinge import squared_hinge
from lamina.losses.probabilistic import binary_crossentropy
from lamina.losses.probabilistic import categorical_crossentropy
from lamina.losses.probabilistic import sparse_categorical_crossentropy
from lamina.losses.regression import mean_absolute_error
from lamina.losses.regression import mean_absolute_percentage_error
from lamina.losses.regression import mean_squared_error
from lamina.losses.regression import mean_squared_logarithmic_error
from lamina.losses.similarity import huber
from lamina.losses.similarity import kl_divergence
from lamina.losses.similarity import log_cosh
from lamina.losses.similarity import poisson
from lamina.metrics.accuracy_metrics import Accuracy
from lamina.metrics.accuracy_metrics import BinaryAccuracy
from lamina.metrics.accuracy_metrics import CategoricalAccuracy
from lamina.metrics.accuracy_metrics import SparseCategoricalAccuracy
from lamina.metrics.accuracy_metrics import SparseTopKCategoricalAccuracy
from lamina.metrics.accuracy_metrics import TopKCategoricalAccuracy
from lamina.metrics.accuracy_metrics import binary_accuracy
from lamina.metrics.accuracy_metrics import categorical_accuracy
from lamina.metrics.accuracy_metrics import sparse_categorical_accuracy
from lamina.metrics.accuracy_metrics import sparse_top_k_categorical_accuracy
from lamina.metrics.accuracy_metrics import top_k_categorical_accuracy
from lamina.metrics.auc import AUC
from lamina.metrics.confusion_metrics import FalseNegatives
from lamina.metrics.confusion_metrics import FalsePositives
from lamina.metrics.confusion_metrics import Precision
from lamina.metrics.confusion_metrics import Recall
from lamina.metrics.confusion_metrics import TrueNegatives
from lamina.metrics.confusion_metrics import TruePositives
from lamina.metrics.correlation_metrics import ConcordanceCorrelation
from lamina.metrics.correlation_metrics import PearsonCorrelation
from lamina.metrics.correlation_metrics import concordance_correlation
from lamina.metrics.correlation_metrics import pearson_correlation
from lamina.metrics.f_score_metrics import F1Score
from lamina.metrics.f_score_metrics import FBetaScore
from lamina.metrics.hinge_metrics import CategoricalHinge
from lamina.metrics.hinge_metrics import Hinge
from lamina.metrics.hinge_metrics import SquaredHinge
from lamina.metrics.iou_metrics import BinaryIoU
from lamina.metrics.iou_metrics import IoU
from lamina.metrics.iou_metrics import MeanIoU
from lamina.metrics.iou_metrics import OneHotIoU
from lamina.metrics.iou_metrics import OneHotMeanIoU
from lamina.metrics.metric import Metric
from lamina.metrics.probabilistic_metrics import BinaryCrossentropy
from lamina.metrics.probabilistic_metrics import CategoricalCrossentropy
from lamina.metrics.probabilistic_metrics import KLDivergence
from lamina.metrics.probabilistic_metrics import Poisson
from lamina.metrics.probabilistic_metrics import SparseCategoricalCrossentropy
from lamina.metrics.reduction_metrics import Mean
from lamina.metrics.reduction_metrics import MeanMetricWrapper
from lamina.metrics.reduction_metrics import Sum
from lamina.metrics.regression_metrics import CosineSimilarity
from lamina.metrics.regression_metrics import LogCoshError
from lamina.metrics.regression_metrics import MeanAbsoluteError
from lamina.metrics.regression_metrics import MeanAbsolutePercentageError
from lamina.metrics.regression_metrics import MeanSquaredError
from lamina.metrics.regression_metrics import MeanSquaredLogarithmicError
from lamina.metrics.regression_metrics import R2Score
from lamina.metrics.regression_metrics import RootMeanSquaredError
from lamina.metrics.regression_metrics import cosine_similarity
from lamina.metrics.resolve import resolve_accuracy
from lamina.metrics.resolve import resolve_crossentropy
from lamina.metrics.resolve import resolve_crossentropy_loss
from lamina.metrics.sensitivity_specificity_metrics import PrecisionAtRecall
from lamina.metrics.sensitivity_specificity_metrics import RecallAtPrecision
from lamina.metrics.sensitivity_specificity_metrics import SensitivityAtSpecificity
from lamina.metrics.sensitivity_specificity_metrics import SpecificityAtSensitivity
from lamina.saving import object_registration
from lamina.saving import serialization

ALL_OBJECTS = (
    Metric,
    Mean,
    Sum,
    MeanMetricWrapper,
    MeanSquaredError,
    RootMeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    KLDivergence,
    Poisson,
    LogCoshError,
    CosineSimilarity,
    R2Score,
    PearsonCorrelation,
    ConcordanceCorrelation,
    IoU,
    BinaryIoU,
    MeanIoU,
    OneHotIoU,
    OneHotMeanIoU,
    AUC,
    Precision,
    Recall,
    TruePositives,
    TrueNegatives,
    FalsePositives,
    FalseNegatives,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    F1Score,
    FBetaScore,
)
# `get("mse")` and `get("sparse_categorical_accuracy")` give metric objects, as in Keras.
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update(
    {
        "bce": BinaryCrossentropy,
        "BCE": BinaryCrossentropy,
        "mse": MeanSquaredError,
        "MSE": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "MAE": MeanAbsoluteError,
        "mape": MeanAbsolutePercentageError,
        "MAPE": MeanAbsolutePercentageError,
        "msle": MeanSquaredLogarithmicError,
        "MSLE": MeanSquaredLogarithmicError,
    }
)
# Serialized functions (`{"class_name": "function", "config": name}`) resolve to functions.
ALL_FUNCTIONS_DICT = {
    function.__name__: function
    for function in (
        binary_accuracy,
        categorical_accuracy,
        sparse_categorical_accuracy,
        top_k_categorical_accuracy,
        sparse_top_k_categorical_accuracy,
        binary_crossentropy,
        categorical_crossentropy,
        sparse_categorical_crossentropy,
        binary_focal_crossentropy,
        categorical_focal_crossentropy,
        huber,
        mean_squared_error,
        mean_absolute_error,
        mean_absolute_percentage_error,
        mean_squared_logarithmic_error,
        hinge,
        squared_hinge,
        categorical_hinge,
        kl_divergence,
        poisson,
        log_cosh,
        cosine_similarity,
        pearson_correlation,
        concordance_correlation,
    )
}


def serialize(metric):
    """Returns the config dict of a metric object or function.

    Example:

    >>> serialize(Mean())["config"]
    {'name': 'mean', 'dtype': 'float32'}
    """
    return serialization.serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """Returns a metric (object or function) from its config dict or name.

    Example:

    >>> deserialize({"class_name": "function", "config": "binary_accuracy"}).__name__
    'binary_accuracy'
    """
    if isinstance(config, dict) and config.get("class_name") == "function":
        return serialization.deserialize_keras_object(
            config,
            custom_objects=custom_objects,
            module_objects=ALL_FUNCTIONS_DICT,
            printable_module_name="metric",
        )
    return serialization.deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=ALL_OBJECTS_DICT, printable_module_name="metric"
    )


def get(identifier):
    """Returns a metric from a name, a config dict, a class, an instance or a function.

    Args:
        identifier: A string (`"mse"`, `"accuracy"`, `"AUC"`-style class
            names), a dict from `serialize`, a `Metric` class or instance, a
            function, or None.

    Returns:
        A `Metric` instance or a metric function (None for None).

    Example:

    >>> get("mse").name
    'mean_squared_error'
    >>> get("accuracy").__class__.__name__
    'Accuracy'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        found = deserialize(identifier)
    elif isinstance(identifier, str):
        found = ALL_OBJECTS_DICT.get(identifier) or object_registration.get_registered_object(identifier)
    else:
        found = identifier
    if callable(found):
        return found() if inspect.isclass(found) else found
    raise ValueError(
        f"Could not interpret metric identifier: {identifier!r}. Expected a metric name such as "
        "'accuracy' or 'mse', a Metric instance, or a function."
    )
