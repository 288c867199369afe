"""Attention families: the attention layers users pair with recurrent layers (Attention, AdditiveAttention,
MultiHeadAttention) over LSTM/GRU sequences: Luong and Bahdanau encoder-decoders, [query, value, key] calls,
use_scale and score_mode, masks from Embedding(mask_zero=True) on the query and/or the value, causal masks, and
multi-head self- and cross-attention with value_dim != key_dim and output_shape.

Same contract as graph_families.py: `build(K, api)` builds the same architecture in Keras 3 and tf.keras 2.
"""
from graph_families import GraphFamily, normal, padded_tokens, several

TWO = ("keras_zip", "tf_keras2_h5")
# Keras 3.15.1 cannot reload its own legacy .h5 of an Attention layer: its legacy deserializer turns
# score_mode="dot" into the function keras.ops.dot and Attention refuses it. No reference, no case.
NOT_KERAS3_H5 = ("keras_zip", "keras3_json_weights", "tf_keras2_h5", "tf_keras2_json_h5weights")


def _luong(K, api):
    L = K.layers
    x = K.Input(shape=(6, 3), name="encoder_in")
    y = K.Input(shape=(5, 2), name="decoder_in")
    enc = L.LSTM(4, return_sequences=True, name="encoder")(x)
    dec = L.LSTM(4, return_sequences=True, name="decoder")(y)
    ctx = L.Attention(name="attention")([dec, enc])
    return K.Model([x, y], L.Concatenate(name="joined")([ctx, dec]), name="attention_luong")


def _scale_concat_key(K, api):
    L = K.layers
    x = K.Input(shape=(6, 3), name="x")
    q = L.LSTM(4, return_sequences=True, name="q")(x)
    v = L.GRU(3, return_sequences=True, name="v")(x)
    k = L.LSTM(4, return_sequences=True, name="k")(x)
    concat = L.Attention(use_scale=True, score_mode="concat", name="att_concat")([q, v, k])   # [b, 6, 3]
    concat_plain = L.Attention(score_mode="concat", name="att_concat_plain")([q, k])         # [b, 6, 4]
    dot = L.Attention(use_scale=True, name="att_dot_scaled")([q, k])                          # [b, 6, 4]
    causal = L.Attention(name="causal_attention")([q, q], use_causal_mask=True)
    causal_add = L.AdditiveAttention(use_scale=False, name="causal_additive")([q, q], use_causal_mask=True)
    out = L.Dense(2, name="dense")(L.Concatenate(name="joined")([concat, concat_plain, dot, causal, causal_add]))
    return K.Model(x, out, name="attention_scale_concat_causal")


def _masked(K, api):
    L = K.layers
    tokens = K.Input(shape=(7,), dtype="int32", name="tokens")
    qin = K.Input(shape=(5, 2), name="query_in")
    h = L.LSTM(4, return_sequences=True, name="lstm")(L.Embedding(12, 4, mask_zero=True, name="embedding")(tokens))
    self_att = L.Attention(name="self_attention")([h, h])                 # query and value masked
    out1 = L.LSTM(3, name="lstm_after")(self_att)                         # the query mask reaches the LSTM
    q = L.LSTM(4, return_sequences=True, name="query_lstm")(qin)
    cross = L.Attention(use_scale=True, name="cross_attention")([q, h])   # only the value masked
    out2 = L.Flatten(name="flatten")(cross)
    add = L.AdditiveAttention(name="additive_self")([h, h])
    out3 = L.GRU(3, name="gru_after")(add)
    return K.Model([tokens, qin], [out1, out2, out3], name="attention_masked")


def _bahdanau(K, api):
    L = K.layers
    x = K.Input(shape=(6, 3), name="encoder_in")
    y = K.Input(shape=(5, 2), name="decoder_in")
    enc = L.GRU(4, return_sequences=True, name="encoder")(x)
    dec = L.LSTM(4, return_sequences=True, name="decoder")(y)
    keys = L.Dense(4, name="keys")(enc)
    ctx = L.AdditiveAttention(name="additive")([dec, enc, keys])
    return K.Model([x, y], L.Concatenate(name="joined")([ctx, dec]), name="additive_bahdanau")


def _mha_self(K, api):
    L = K.layers
    x = K.Input(shape=(6, 3), name="x")
    h = L.LSTM(4, return_sequences=True, name="lstm")(x)
    att = L.MultiHeadAttention(num_heads=2, key_dim=3, name="mha")(h, h)
    return K.Model(x, att, name="mha_self")


def _mha_cross(K, api):
    L = K.layers
    x = K.Input(shape=(6, 3), name="x")
    y = K.Input(shape=(5, 2), name="y")
    q = L.LSTM(4, return_sequences=True, name="q")(y)
    v = L.LSTM(4, return_sequences=True, name="v")(x)
    k = L.GRU(3, return_sequences=True, name="k")(x)
    a = L.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=2, output_shape=5, name="mha_a")(q, v, k)
    b = L.MultiHeadAttention(num_heads=1, key_dim=2, use_bias=False, name="mha_b")(q, v)
    return K.Model([x, y], [a, b], name="mha_cross")


def _mha_masked_causal(K, api):
    L = K.layers
    tokens = K.Input(shape=(7,), dtype="int32", name="tokens")
    y = K.Input(shape=(5, 2), name="y")
    emb = L.Embedding(12, 4, mask_zero=True, name="embedding")(tokens)
    h = L.LSTM(4, return_sequences=True, name="lstm")(emb)
    # Keras 3's MultiHeadAttention clears the masks of the tensors it reads (set_keras_mask(value, None)), so a
    # masked tensor read by two layers gives the second one no mask: each attention reads its own sequence
    h2 = L.GRU(3, return_sequences=True, name="gru")(emb)
    self_att = L.MultiHeadAttention(num_heads=2, key_dim=3, name="mha_self")(h2, h2)
    out1 = L.LSTM(3, name="lstm_after")(self_att)
    q = L.LSTM(4, return_sequences=True, name="q")(y)
    cross = L.MultiHeadAttention(num_heads=2, key_dim=2, name="mha_cross")(q, h)        # only the value masked
    causal = L.MultiHeadAttention(num_heads=2, key_dim=2, name="mha_causal")(q, q, use_causal_mask=True)
    return K.Model([tokens, y], [out1, cross, causal], name="mha_masked_causal")


FAMILIES = [
    GraphFamily("attention_luong", _luong, several(normal(6, 3), normal(5, 2)),
                "Luong encoder-decoder: LSTM(4, rs) encoder [6, 3] and decoder [5, 2]; Attention()([decoder, "
                "encoder]) -> Concatenate([context, decoder])",
                ["attention", "dot", "encoder_decoder", "lstm", "concatenate", "multi_input"], formats=NOT_KERAS3_H5),
    GraphFamily("attention_scale_concat_causal", _scale_concat_key, normal(6, 3),
                "Attention(use_scale, concat)([q, v, k]) with value dim 3 != key dim 4; Attention(concat)([q, k]); "
                "Attention(use_scale)([q, k]) (dot); Attention()([q, q], use_causal_mask=True); "
                "AdditiveAttention(use_scale=False)([q, q], use_causal_mask=True); LSTM/GRU sequences; "
                "Concatenate -> Dense(2)",
                ["attention", "additive_attention", "use_scale", "concat", "key", "causal", "lstm", "gru"],
                formats=TWO),
    GraphFamily("attention_masked", _masked, several(padded_tokens(7, 12), normal(5, 2)),
                "Embedding(12, 4, mask_zero) -> LSTM(4, rs); self-Attention (query and value masked) -> LSTM(3) "
                "(gets the query mask); cross-Attention(use_scale) of an unmasked query over the masked "
                "sequence -> Flatten; self-AdditiveAttention -> GRU(3); padded rows incl. an "
                "all-padding row",
                ["attention", "additive_attention", "masking", "mask_zero", "embedding", "lstm", "gru",
                 "all_masked", "multi_output"], batch=6, formats=TWO),
    GraphFamily("additive_bahdanau", _bahdanau, several(normal(6, 3), normal(5, 2)),
                "Bahdanau encoder-decoder: GRU(4, rs) encoder, LSTM(4, rs) decoder, Dense(4) keys; "
                "AdditiveAttention()([decoder, encoder, keys]) -> Concatenate([context, decoder])",
                ["additive_attention", "use_scale", "key", "encoder_decoder", "lstm", "gru", "multi_input"]),
    GraphFamily("mha_self", _mha_self, normal(6, 3),
                "LSTM(4, rs) -> MultiHeadAttention(num_heads=2, key_dim=3)(h, h)",
                ["multi_head_attention", "self_attention", "lstm"]),
    GraphFamily("mha_cross", _mha_cross, several(normal(6, 3), normal(5, 2)),
                "Cross-attention: MultiHeadAttention(2, key_dim=3, value_dim=2, output_shape=5)(q, v, k) with a GRU(3) "
                "key; MultiHeadAttention(1, key_dim=2, use_bias=False)(q, v); two outputs",
                ["multi_head_attention", "cross_attention", "value_dim", "output_shape", "use_bias", "key", "lstm",
                 "gru", "multi_output"], formats=TWO),
    GraphFamily("mha_masked_causal", _mha_masked_causal, several(padded_tokens(7, 12), normal(5, 2)),
                "Embedding(mask_zero) -> LSTM(4, rs) -> GRU(3, rs) -> masked self "
                "MultiHeadAttention(2, 3) -> LSTM(3); "
                "MultiHeadAttention(2, 2) of an unmasked query over the masked sequence; MultiHeadAttention(2, 2)"
                "(q, q, use_causal_mask=True); three outputs",
                ["multi_head_attention", "masking", "mask_zero", "causal", "lstm", "all_masked", "multi_output"],
                batch=6, formats=TWO),
]
