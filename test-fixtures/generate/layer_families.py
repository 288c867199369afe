"""Families for the single-input layers beyond the recurrent core: activation layers and every built-in
activation name (more layer groups follow in this file). Declared like families.py's FAMILIES (same Family
class); generate_all.py runs both lists. Models stay tiny (a few hundred weights) to keep fixtures small."""
import keras

from families import Family

KERAS3_FORMATS = ("keras_zip", "keras3_h5", "keras3_json_weights")
TF_KERAS_FORMATS = ("tf_keras2_h5", "tf_keras2_json_h5weights")


def _f(name, T, F, layers, desc, tags, **kw):
    return Family(name=name, T=T, F=F, batch=kw.pop("batch", 4), layers=layers,
                  description=desc, tags=tags, **kw)


def _is_keras3(K):
    return K is keras


def leaky(K, slope, name):
    """LeakyReLU: Keras 3 names the slope negative_slope, tf.keras 2 alpha."""
    if _is_keras3(K):
        return K.layers.LeakyReLU(negative_slope=slope, name=name)
    return K.layers.LeakyReLU(alpha=slope, name=name)


def thresholded(K, theta, name):
    """tf.keras 2's ThresholdedReLU(theta) = x * (x > theta); Keras 3 has no such class, its ReLU(threshold=theta)
    computes the same function, so the Keras 3 formats pin that."""
    if _is_keras3(K):
        return K.layers.ReLU(threshold=theta, name=name)
    return K.layers.ThresholdedReLU(theta=theta, name=name)


# Every name keras.activations.get accepts (Keras 3.15: ALL_OBJECTS_DICT plus the swish / hard_swish aliases),
# except "threshold", which needs arguments a config cannot give (Keras itself fails calling it).
KERAS3_ACTIVATION_NAMES = [
    "relu", "leaky_relu", "relu6", "softmax", "celu", "elu", "selu", "softplus", "softsign", "squareplus",
    "soft_shrink", "sparse_plus", "silu", "swish", "gelu", "glu", "tanh", "tanh_shrink", "sigmoid",
    "sparse_sigmoid", "exponential", "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh", "hard_shrink",
    "linear", "mish", "log_softmax", "log_sigmoid", "sparsemax"]
# The names tf.keras 2.21's activations.get accepts (its keras.activations exports).
TF_KERAS_ACTIVATION_NAMES = [
    "relu", "elu", "selu", "softmax", "softplus", "softsign", "swish", "gelu", "tanh", "sigmoid", "exponential",
    "hard_sigmoid", "linear", "mish"]


def _activation_outputs(names):
    return lambda K, inp: [K.layers.Activation(n, name="act_" + n)(inp) for n in names]


def _mask_dropped_keras3(K, inp):
    """Keras 3 layers without masking support destroy the mask (a warning, no error): the LSTMs after them run
    every step. GlobalMaxPooling1D ignores the mask too."""
    L = K.layers
    e = L.Embedding(5, 4, mask_zero=True, name="embedding")(inp)
    conv = L.LSTM(3, name="lstm_after_conv")(L.Conv1D(4, 3, padding="same", name="conv")(e))
    gmax = L.GlobalMaxPooling1D(name="global_max")(L.Dense(4, name="dense_before_max")(e))
    reshaped = L.LSTM(3, name="lstm_after_reshape")(L.Reshape((6, 4), name="reshape")(e))
    rms = L.LSTM(3, name="lstm_after_rms")(L.RMSNormalization(name="rms_norm")(e))
    return [L.Dense(2, name="out_conv")(conv), gmax, reshaped, rms]


LAYER_FAMILIES = [
    _f("act_relu_params", 6, 5,
       lambda K: [K.layers.Dense(8, name="dense_1"),
                  K.layers.ReLU(max_value=1.5, negative_slope=0.1, threshold=0.2, name="relu_all"),
                  K.layers.Dense(8, name="dense_2"),
                  K.layers.ReLU(max_value=6.0, name="relu_six"),
                  K.layers.Dense(8, name="dense_3"),
                  K.layers.ReLU(negative_slope=0.05, name="relu_leaky"),
                  K.layers.Dense(8, name="dense_4"),
                  K.layers.ReLU(threshold=0.3, name="relu_threshold"),
                  K.layers.Dense(8, name="dense_5"),
                  K.layers.ReLU(max_value=0.8, negative_slope=0.2, name="relu_max_slope"),
                  K.layers.Dense(3, name="dense_6")],
       "Dense(8) -> ReLU(max 1.5, slope 0.1, threshold 0.2) -> Dense(8) -> ReLU(max 6) -> Dense(8) -> "
       "ReLU(slope 0.05) -> Dense(8) -> ReLU(threshold 0.3) -> Dense(8) -> ReLU(max 0.8, slope 0.2) -> Dense(3); "
       "T 6, F 5 (Dense on every step)",
       ["relu_layer", "max_value", "negative_slope", "threshold", "dense"]),

    _f("act_leaky_elu_prelu_softmax", 6, 5,
       lambda K: [K.layers.Dense(8, name="dense_1"),
                  leaky(K, 0.15, "leaky"),
                  K.layers.PReLU(name="prelu_full"),
                  K.layers.Dense(6, name="dense_2"),
                  K.layers.ELU(alpha=0.6, name="elu"),
                  K.layers.PReLU(shared_axes=[1], name="prelu_shared"),
                  K.layers.Dense(4, name="dense_3"),
                  K.layers.Softmax(axis=1, name="softmax_time"),
                  K.layers.Dense(4, name="dense_4"),
                  K.layers.Softmax(axis=[1, 2], name="softmax_both")],
       "Dense(8) -> LeakyReLU(0.15) -> PReLU (alpha [T, 8]) -> Dense(6) -> ELU(alpha 0.6) -> "
       "PReLU(shared_axes=[1], alpha [1, 6]) -> Dense(4) -> "
       "Softmax(axis=1) -> Dense(4) -> Softmax(axis=[1, 2]); T 6, F 5. NOTE Keras 3's .h5 loader drops a list of "
       "several axes (saving_utils.model_from_config), so keras3_h5 expects Softmax(axis=-1) there",
       ["leaky_relu_layer", "prelu", "shared_axes", "elu_layer", "softmax_layer", "softmax_axes", "dense"],
       reload_changes=("keras3_h5",)),

    _f("act_thresholded_relu", 6, 5,
       lambda K: [K.layers.Dense(8, name="dense_1"),
                  thresholded(K, 0.4, "thresholded"),
                  K.layers.LSTM(4, name="lstm"),
                  K.layers.Dense(2, name="dense_2")],
       "Dense(8) -> ThresholdedReLU(theta 0.4) (tf.keras 2; Keras 3 formats: ReLU(threshold=0.4), the same "
       "function) -> LSTM(4) -> Dense(2); T 6, F 5",
       ["thresholded_relu", "relu_layer", "threshold", "lstm", "dense"]),

    _f("act_names_keras3", 3, 6, None,
       "Functional only, no weights: one Activation(name) output per built-in Keras 3 activation name (%d "
       "outputs, in this order: %s) on the input x 3 (standard-normal x 3 reaches the far ranges); T 3, F 6 "
       "(glu halves F)" % (len(KERAS3_ACTIVATION_NAMES), ", ".join(KERAS3_ACTIVATION_NAMES)),
       ["activation_layer", "activation_names", "multi_output", "keras3_only"],
       apis=("functional",), graph=_activation_outputs(KERAS3_ACTIVATION_NAMES), train=False,
       formats=KERAS3_FORMATS, input_scale=3.0),

    _f("act_names_tf_keras", 3, 6, None,
       "Functional only, no weights: one Activation(name) output per tf.keras 2 activation name (%d outputs: "
       "%s) on the input x 3; T 3, F 6" % (len(TF_KERAS_ACTIVATION_NAMES), ", ".join(TF_KERAS_ACTIVATION_NAMES)),
       ["activation_layer", "activation_names", "multi_output", "tf_keras_only"],
       apis=("functional",), graph=_activation_outputs(TF_KERAS_ACTIVATION_NAMES), train=False,
       formats=TF_KERAS_FORMATS, input_scale=3.0),

    # Conv1D and the layers around it (channels_last [batch, steps, channels]).
    _f("conv1d_valid_same_pool", 12, 4,
       lambda K: [K.layers.Conv1D(6, 3, activation="relu", name="conv_valid"),
                  K.layers.Conv1D(5, 3, strides=2, padding="same", name="conv_same_stride2"),
                  K.layers.MaxPooling1D(2, name="max_pool"),
                  K.layers.GlobalAveragePooling1D(name="global_avg"),
                  K.layers.Dense(2, name="dense")],
       "Conv1D(6, 3, valid, relu) -> Conv1D(5, 3, strides 2, same) -> MaxPooling1D(2) -> GlobalAveragePooling1D "
       "-> Dense(2); T 12, F 4",
       ["conv1d", "padding_valid", "padding_same", "strides", "max_pooling", "global_average_pooling", "dense"]),

    _f("conv1d_causal_dilated_lstm", 11, 4,
       lambda K: [K.layers.Conv1D(6, 2, padding="causal", dilation_rate=2, activation="tanh", name="conv_causal"),
                  K.layers.Conv1D(4, 3, padding="causal", use_bias=False, name="conv_causal_no_bias"),
                  K.layers.AveragePooling1D(2, strides=1, padding="same", name="avg_pool_same"),
                  K.layers.LSTM(4, name="lstm"),
                  K.layers.Dense(1, name="dense")],
       "CNN-LSTM: Conv1D(6, 2, causal, dilation 2, tanh) -> Conv1D(4, 3, causal, no bias) -> "
       "AveragePooling1D(2, strides 1, same) -> LSTM(4) -> Dense(1); T 11, F 4",
       ["conv1d", "padding_causal", "dilation_rate", "no_bias", "average_pooling", "padding_same", "lstm",
        "dense", "cnn_lstm"]),

    _f("conv1d_groups", 8, 4,
       lambda K: [K.layers.Conv1D(6, 3, groups=2, padding="same", name="conv_groups2"),
                  K.layers.Conv1D(4, 1, groups=2, activation="elu", name="conv_groups2_k1"),
                  K.layers.GlobalMaxPooling1D(keepdims=True, name="global_max_keepdims"),
                  K.layers.Flatten(name="flatten"),
                  K.layers.Dense(2, name="dense")],
       "Conv1D(6, 3, groups 2, same) -> Conv1D(4, 1, groups 2, elu) -> GlobalMaxPooling1D(keepdims) -> Flatten -> "
       "Dense(2); T 8, F 4",
       ["conv1d", "groups", "padding_same", "global_max_pooling", "keepdims", "flatten", "dense"]),

    _f("pool_same_counts", 9, 3,
       lambda K: [K.layers.AveragePooling1D(3, strides=2, padding="same", name="avg_same_3_2"),
                  K.layers.Dense(4, name="dense_1"),
                  K.layers.AveragePooling1D(4, strides=1, padding="same", name="avg_same_4_1"),
                  K.layers.MaxPooling1D(3, strides=2, padding="same", name="max_same_3_2"),
                  K.layers.AveragePooling1D(2, name="avg_valid"),
                  K.layers.Flatten(name="flatten"),
                  K.layers.Dense(2, name="dense_2")],
       "AveragePooling1D(3, strides 2, same) -> Dense(4) -> AveragePooling1D(4, strides 1, same: pads 1 before, 2 "
       "after) -> MaxPooling1D(3, strides 2, same) -> AveragePooling1D(2) -> Flatten -> Dense(2); T 9, F 3. "
       "Pins TensorFlow's same-padding counts: an average divides by the real steps of its window",
       ["average_pooling", "max_pooling", "padding_same", "strides", "dense", "flatten"]),

    _f("shape_layers_1d", 5, 3,
       lambda K: [K.layers.ZeroPadding1D((1, 2), name="zero_pad"),
                  K.layers.Cropping1D((2, 1), name="crop"),
                  K.layers.UpSampling1D(2, name="up"),
                  K.layers.Conv1D(4, 3, name="conv"),
                  K.layers.Permute((2, 1), name="permute"),
                  K.layers.Dense(6, name="dense_1"),
                  K.layers.Reshape((-1, 4), name="reshape"),
                  K.layers.LSTM(3, name="lstm"),
                  K.layers.Dense(2, name="dense_2")],
       "ZeroPadding1D((1, 2)) -> Cropping1D((2, 1)) -> UpSampling1D(2) -> Conv1D(4, 3) -> Permute((2, 1)) -> "
       "Dense(6) -> Reshape((-1, 4)) -> LSTM(3) -> Dense(2); T 5, F 3",
       ["zero_padding", "cropping", "up_sampling", "conv1d", "permute", "reshape", "lstm", "dense"]),

    # Normalization layers at inference (BatchNormalization's moving statistics come from the 2 training epochs).
    _f("batchnorm_lstm", 8, 4,
       lambda K: [K.layers.BatchNormalization(name="bn_in"),
                  K.layers.LSTM(6, return_sequences=True, name="lstm"),
                  K.layers.BatchNormalization(axis=1, epsilon=0.01, name="bn_time"),
                  K.layers.Dense(5, name="dense_1"),
                  K.layers.BatchNormalization(center=False, momentum=0.5, name="bn_no_center"),
                  K.layers.Dense(4, name="dense_2"),
                  K.layers.BatchNormalization(scale=False, momentum=0.5, name="bn_no_scale"),
                  K.layers.Flatten(name="flatten"),
                  K.layers.Dense(2, name="dense_3")],
       "BatchNormalization -> LSTM(6, rs) -> BatchNormalization(axis=1, epsilon 0.01) -> Dense(5) -> "
       "BatchNormalization(center=False, momentum 0.5) -> Dense(4) -> BatchNormalization(scale=False, momentum 0.5) "
       "-> Flatten -> Dense(2); T 8, F 4 (2 epochs of fit move the moving statistics)",
       ["batch_normalization", "axis", "center", "scale", "epsilon", "lstm", "dense", "flatten"], epochs=3),

    _f("layernorm_lstm", 6, 4,
       lambda K: [K.layers.LayerNormalization(name="ln_in"),
                  K.layers.LSTM(6, return_sequences=True, name="lstm"),
                  K.layers.LayerNormalization(epsilon=0.1, center=False, name="ln_no_center"),
                  K.layers.Dense(5, name="dense_1"),
                  K.layers.LayerNormalization(scale=False, name="ln_no_scale"),
                  K.layers.Dense(4, name="dense_2"),
                  K.layers.LayerNormalization(center=False, scale=False, name="ln_plain"),
                  K.layers.UnitNormalization(name="unit"),
                  K.layers.Dense(2, name="dense_3")],
       "LayerNormalization -> LSTM(6, rs) -> LayerNormalization(epsilon 0.1, center=False) -> Dense(5) -> "
       "LayerNormalization(scale=False) -> Dense(4) -> LayerNormalization(center=False, scale=False) -> "
       "UnitNormalization -> Dense(2); T 6, F 4",
       ["layer_normalization", "center", "scale", "epsilon", "unit_normalization", "lstm", "dense"]),

    _f("layernorm_unitnorm_axes", 6, 4,
       lambda K: [K.layers.Dense(5, name="dense_1"),
                  K.layers.LayerNormalization(axis=[1, 2], name="ln_both"),
                  K.layers.Dense(4, name="dense_2"),
                  K.layers.LayerNormalization(axis=1, name="ln_time"),
                  K.layers.UnitNormalization(axis=[1, 2], name="unit_both"),
                  K.layers.Dense(3, name="dense_3"),
                  K.layers.UnitNormalization(axis=1, name="unit_time"),
                  K.layers.Dense(2, name="dense_4")],
       "Dense(5) -> LayerNormalization(axis=[1, 2]) -> Dense(4) -> LayerNormalization(axis=1) -> "
       "UnitNormalization(axis=[1, 2]) -> Dense(3) -> UnitNormalization(axis=1) -> Dense(2); T 6, F 4. No keras3_h5: "
       "Keras 3's .h5 loader drops the axis lists, then cannot load gamma [6, 5] into a LayerNormalization over -1",
       ["layer_normalization", "unit_normalization", "axis", "dense"],
       formats=("keras_zip", "keras3_json_weights", "tf_keras2_h5", "tf_keras2_json_h5weights")),

    _f("layernorm_rms_scaling_rmsnorm", 6, 4,
       lambda K: [K.layers.Dense(5, name="dense_1"),
                  K.layers.LayerNormalization(rms_scaling=True, name="ln_rms_scaling"),
                  K.layers.Dense(4, name="dense_2"),
                  K.layers.RMSNormalization(name="rms_norm"),
                  K.layers.Dense(3, name="dense_3"),
                  K.layers.RMSNormalization(axis=[1, 2], epsilon=0.01, name="rms_norm_both"),
                  K.layers.Dense(2, name="dense_4")],
       "Keras 3 only: Dense(5) -> LayerNormalization(rms_scaling=True: x / sqrt(var + eps) * gamma, deprecated) "
       "-> Dense(4) -> RMSNormalization -> Dense(3) -> RMSNormalization(axis=[1, 2], epsilon 0.01) -> Dense(2); "
       "T 6, F 4",
       ["layer_normalization", "rms_scaling", "rms_normalization", "axis", "dense", "keras3_only"],
       formats=("keras_zip", "keras3_json_weights")),

    # Masks through the new layers (token 0 pads: Embedding(mask_zero=True), random tokens in [0, 5)).
    _f("mask_through_norm_act", 6, None,
       lambda K: [K.layers.Embedding(5, 4, mask_zero=True, name="embedding"),
                  K.layers.Dense(6, name="dense_1"),
                  K.layers.LayerNormalization(name="ln"),
                  K.layers.BatchNormalization(name="bn"),
                  K.layers.PReLU(name="prelu"),
                  K.layers.ReLU(max_value=2.0, negative_slope=0.1, name="relu"),
                  leaky(K, 0.2, "leaky"),
                  K.layers.ELU(alpha=0.5, name="elu"),
                  K.layers.UnitNormalization(name="unit"),
                  K.layers.LSTM(4, return_sequences=True, name="lstm"),
                  K.layers.GlobalAveragePooling1D(name="global_avg"),
                  K.layers.Dense(2, name="dense_2")],
       "Embedding(5, 4, mask_zero=True) -> Dense(6) -> LayerNormalization -> BatchNormalization -> PReLU -> "
       "ReLU(max 2, slope 0.1) -> LeakyReLU(0.2) -> ELU(0.5) -> UnitNormalization -> LSTM(4, rs) -> "
       "GlobalAveragePooling1D -> Dense(2); T 6, tokens in [0, 5) (0 pads): every layer before the LSTM passes "
       "the mask on, the LSTM repeats its output at masked steps, the average is over the real steps only",
       ["masking", "mask_zero", "embedding", "layer_normalization", "batch_normalization", "prelu", "relu_layer",
        "leaky_relu_layer", "elu_layer", "unit_normalization", "lstm", "global_average_pooling", "dense"],
       apis=("sequential",), input_dim=5, batch=6),

    _f("mask_dropped_keras3", 6, None, None,
       "Keras 3 only, Functional: Embedding(5, 4, mask_zero=True) into Conv1D(4, 3, same) -> LSTM(3) -> Dense(2); "
       "Dense(4) -> GlobalMaxPooling1D; Reshape((6, 4)) -> LSTM(3); RMSNormalization -> LSTM(3); four outputs. "
       "Conv1D, Reshape and RMSNormalization do not support masking, so Keras 3 drops the mask there (the LSTMs "
       "run every step); GlobalMaxPooling1D ignores it. (tf.keras 2 refuses a mask into such layers.) No "
       "keras3_h5: Keras 3 cannot reload a Functional .h5 whose masks ran ops",
       ["masking", "mask_zero", "embedding", "conv1d", "global_max_pooling", "reshape", "rms_normalization",
        "lstm", "dense", "multi_output", "keras3_only"],
       apis=("functional",), graph=_mask_dropped_keras3, input_dim=5, batch=6,
       formats=("keras_zip", "keras3_json_weights")),
]
