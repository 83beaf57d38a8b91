"""`lamina.layers`: the building blocks of models."""

from lamina.layers.activations.activation import Activation
from lamina.layers.activations.elu import ELU
from lamina.layers.activations.leaky_relu import LeakyReLU
from lamina.layers.activations.prelu import PReLU
from lamina.layers.activations.relu import ReLU
from lamina.layers.activations.softmax import Softmax
from lamina.layers.convolutional.conv1d import Conv1D
from lamina.layers.convolutional.conv1d import Conv1D as Convolution1D
from lamina.layers.convolutional.conv1d_transpose import Conv1DTranspose
from lamina.layers.convolutional.conv1d_transpose import Conv1DTranspose as Convolution1DTranspose
from lamina.layers.convolutional.conv2d import Conv2D
from lamina.layers.convolutional.conv2d import Conv2D as Convolution2D
from lamina.layers.convolutional.conv2d_transpose import Conv2DTranspose
from lamina.layers.convolutional.conv2d_transpose import Conv2DTranspose as Convolution2DTranspose
from lamina.layers.convolutional.conv3d import Conv3D
from lamina.layers.convolutional.conv3d import Conv3D as Convolution3D
from lamina.layers.convolutional.conv3d_transpose import Conv3DTranspose
from lamina.layers.convolutional.conv3d_transpose import Conv3DTranspose as Convolution3DTranspose
from lamina.layers.convolutional.depthwise_conv1d import DepthwiseConv1D
from lamina.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
from lamina.layers.convolutional.separable_conv1d import SeparableConv1D
from lamina.layers.convolutional.separable_conv1d import SeparableConv1D as SeparableConvolution1D
from lamina.layers.convolutional.separable_conv2d import SeparableConv2D
from lamina.layers.convolutional.separable_conv2d import SeparableConv2D as SeparableConvolution2D
from lamina.layers.core.dense import Dense
from lamina.layers.core.einsum_dense import EinsumDense
from lamina.layers.core.embedding import Embedding
from lamina.layers.core.identity import Identity
from lamina.layers.core.input_layer import Input
from lamina.layers.core.input_layer import InputLayer
from lamina.layers.core.lambda_layer import Lambda
from lamina.layers.core.masking import Masking
from lamina.layers.core.wrapper import Wrapper
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.layer_serialization import deserialize
from lamina.layers.layer_serialization import serialize
from lamina.layers.merging.add import Add
from lamina.layers.merging.add import add
from lamina.layers.merging.average import Average
from lamina.layers.merging.average import average
from lamina.layers.merging.concatenate import Concatenate
from lamina.layers.merging.concatenate import concatenate
from lamina.layers.merging.dot import Dot
from lamina.layers.merging.dot import dot
from lamina.layers.merging.maximum import Maximum
from lamina.layers.merging.maximum import maximum
from lamina.layers.merging.minimum import Minimum
from lamina.layers.merging.minimum import minimum
from lamina.layers.merging.multiply import Multiply
from lamina.layers.merging.multiply import multiply
from lamina.layers.merging.subtract import Subtract
from lamina.layers.merging.subtract import subtract
from lamina.layers.normalization.batch_normalization import BatchNormalization
from lamina.layers.normalization.group_normalization import GroupNormalization
from lamina.layers.normalization.layer_normalization import LayerNormalization
from lamina.layers.normalization.rms_normalization import RMSNormalization
from lamina.layers.normalization.spectral_normalization import SpectralNormalization
from lamina.layers.normalization.unit_normalization import UnitNormalization
from lamina.layers.pooling.average_pooling1d import AveragePooling1D
from lamina.layers.pooling.average_pooling1d import AvgPool1D
from lamina.layers.pooling.average_pooling2d import AveragePooling2D
from lamina.layers.pooling.average_pooling2d import AvgPool2D
from lamina.layers.pooling.average_pooling3d import AveragePooling3D
from lamina.layers.pooling.average_pooling3d import AvgPool3D
from lamina.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D
from lamina.layers.pooling.global_average_pooling1d import GlobalAvgPool1D
from lamina.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from lamina.layers.pooling.global_average_pooling2d import GlobalAvgPool2D
from lamina.layers.pooling.global_average_pooling3d import GlobalAveragePooling3D
from lamina.layers.pooling.global_average_pooling3d import GlobalAvgPool3D
from lamina.layers.pooling.global_max_pooling1d import GlobalMaxPool1D
from lamina.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D
from lamina.layers.pooling.global_max_pooling2d import GlobalMaxPool2D
from lamina.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D
from lamina.layers.pooling.global_max_pooling3d import GlobalMaxPool3D
from lamina.layers.pooling.global_max_pooling3d import GlobalMaxPooling3D
from lamina.layers.pooling.max_pooling1d import MaxPool1D
from lamina.layers.pooling.max_pooling1d import MaxPooling1D
from lamina.layers.pooling.max_pooling2d import MaxPool2D
from lamina.layers.pooling.max_pooling2d import MaxPooling2D
from lamina.layers.pooling.max_pooling3d import MaxPool3D
from lamina.layers.pooling.max_pooling3d import MaxPooling3D
from lamina.layers.regularization.activity_regularization import ActivityRegularization
from lamina.layers.regularization.alpha_dropout import AlphaDropout
from lamina.layers.regularization.dropout import Dropout
from lamina.layers.regularization.gaussian_dropout import GaussianDropout
from lamina.layers.regularization.gaussian_noise import GaussianNoise
from lamina.layers.regularization.spatial_dropout import SpatialDropout1D
from lamina.layers.regularization.spatial_dropout import SpatialDropout2D
from lamina.layers.regularization.spatial_dropout import SpatialDropout3D
from lamina.layers.reshaping.cropping1d import Cropping1D
from lamina.layers.reshaping.cropping2d import Cropping2D
from lamina.layers.reshaping.cropping3d import Cropping3D
from lamina.layers.reshaping.flatten import Flatten
from lamina.layers.reshaping.permute import Permute
from lamina.layers.reshaping.repeat_vector import RepeatVector
from lamina.layers.reshaping.reshape import Reshape
from lamina.layers.reshaping.up_sampling1d import UpSampling1D
from lamina.layers.reshaping.up_sampling2d import UpSampling2D
from lamina.layers.reshaping.up_sampling3d import UpSampling3D
from lamina.layers.reshaping.zero_padding1d import ZeroPadding1D
from lamina.layers.reshaping.zero_padding2d import ZeroPadding2D
from lamina.layers.reshaping.zero_padding3d import ZeroPadding3D
from lamina.layers.rnn.time_distributed import TimeDistributed
