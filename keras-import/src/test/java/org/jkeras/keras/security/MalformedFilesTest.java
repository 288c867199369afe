package org.jkeras.keras.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.jkeras.keras.KerasImportException;
import org.jkeras.keras.KerasModels;
import org.jkeras.keras.LimitExceededException;
import org.jkeras.keras.LoadOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The malformed-input suite: every crafted file of {@code malformed/} (see its {@code make_malformed.py}; the
 * bases are real Keras 3 models with complete weights, so each file fails for the one reason it was crafted for)
 * is refused with its specific message, and every odd-but-legal one loads and predicts what Keras predicted from
 * the same file.
 */
class MalformedFilesTest {
    private static Arguments refused(String file, String... fragments) {
        return Arguments.of(file, fragments);
    }

    static Stream<Arguments> refusedFiles() {
        return Stream.of(
                // HDF5: nothing outside the file, no links
                refused("h5_external_link.h5", "h5_external_link.h5: /model_weights/dense/seq/dense/bias: is an HDF5"
                        + " external link to stolen_bias.h5:/bias", "external links are refused"),
                refused("keras_external_link.keras", "model.weights.h5: /layers/dense/vars/1: is an HDF5 external link"),
                refused("h5_softlink_cycle.h5", "/model_weights/dense/seq", "is an HDF5 soft link (to"
                        + " /model_weights/dense/loop)", "Not allowed: H5 file with SoftLink"),
                refused("keras_softlink_cycle.keras", "model.weights.h5: /layers/dense: is an HDF5 soft link"),
                refused("h5_softlink_dangling.h5", "bias: is an HDF5 soft link (to /nowhere/bias)"),
                refused("h5_softlink_inside.h5", "bias: is an HDF5 soft link (to /shared/bias)"),
                refused("keras_hardlink_loop.keras", "/layers/dense/loop/loop", "more than the limit max_nesting_depth=16"),
                refused("h5_external_storage.h5", "kernel: holds a dataset whose values are stored in external files"),
                refused("h5_virtual_dataset.h5", "kernel: holds a virtual dataset", "refused"),
                // HDF5: decompression bombs, filters, checksums
                refused("h5_chunk_bomb.h5", "kernel: a compressed chunk inflates to more than the 28 bytes its"
                        + " dimensions allow"),
                refused("h5_ratio_bomb.h5", "kernel (declares 81920000 bytes stored in", "ratio of uncompressed to"
                        + " compressed bytes is", "max_compression_ratio=100"),
                refused("h5_fletcher_bad.h5", "kernel: Fletcher-32 checksum mismatch", "the file is corrupt"),
                refused("h5_lzf.h5", "uses the HDF5 filter 'lzf' (id 32000), which jkeras does not read"),
                // HDF5: types
                refused("h5_float_msbset.h5", "does not use IEEE's implied leading mantissa bit", "refuses it"),
                refused("h5_int32_kernel.h5", "kernel: weight holds signed 32-bit integers; weights must be floats"),
                refused("h5_string_bias.h5", "bias: weight holds strings"),
                // HDF5: weights not fitting the config, damage
                refused("h5_transposed_kernel.h5", "layer 'dense' (Dense): weight 'kernel'", "has shape (2, 3),"
                        + " expected (3, 2)"),
                refused("h5_scalar_bias.h5", "weight 'bias'", "has shape (), expected (2,)"),
                refused("keras_missing_weight.keras", "layer 'dense' (Dense): has 1 stored weight arrays: expected 2"
                        + " (kernel, bias)"),
                refused("keras_extra_weight.keras", "has 3 stored weight arrays: expected 2 (kernel, bias)"),
                refused("keras_no_weights_for_layer.keras", "layer 'dense' (Dense): missing weights: expected 2",
                        "/layers/dense (no such group)"),
                refused("h5_truncated.h5", "h5_truncated.h5: ", "truncated or corrupt"),
                refused("h5_wrong_magic.h5", "h5_wrong_magic.h5: not a Keras model file", "894844580d0a1a0a"),
                refused("h5_superblock_flipped.h5", "h5_superblock_flipped.h5: not a readable HDF5 file"),
                // duplicates, custom objects, code
                refused("h5_duplicate_layer_names.h5", "layer 'dense' (Dense): the name 'dense' is used by two layers",
                        "Keras refuses such a model"),
                refused("h5_duplicate_layer_names_attr.h5", "/model_weights: attribute 'layer_names' lists 'dense'"
                        + " twice"),
                refused("keras_duplicate_names.keras", "layer #2: field 'name' 'a' is used by two layers"),
                refused("keras_custom_module.keras", "layer 'dense' (Dense): uses the custom object Dense from module"
                        + " 'my_package.layers' (registered_name 'MyPackage>Dense')", "register a Java implementation"),
                refused("keras_registered_name.keras", "from module 'keras.layers' (registered_name 'MyPackage>Dense')"),
                refused("keras_custom_activation.keras", "uses the custom object function from module"
                        + " 'my_package.activations'"),
                refused("keras_custom_initializer.keras", "uses the custom object GlorotUniform from module 'evil'"),
                refused("h5_keras2_registered_class.h5", "layer 'dense' (MyPackage>Dense): uses the custom object"
                        + " MyPackage>Dense"),
                refused("custom_layer.keras", "layer 'scaled' (ScaledDense): uses the custom object ScaledDense"
                        + " (registered_name 'jkeras_test>ScaledDense')"),
                refused("lambda_layer.keras", "layer 'double' (Lambda): Lambda layers hold Python code"),
                refused("keras_lambda_activation.keras", "layer 'dense' (Dense): holds a Python lambda"),
                refused("keras_tfoplambda.keras", "layer 'out' (TFOpLambda): Lambda layers hold Python code"),
                refused("h5_nested_model.h5", "nested model 'out' (Sequential): field 'layers' is missing"),
                // graphs
                refused("keras_cycle.keras", "layers call each other in a cycle (a <- b <- a)"),
                refused("keras_self_loop.keras", "layers call each other in a cycle (b <- b)"),
                refused("keras_dangling_layer.keras", "layer 'b' (Dense) is called on tensor [ghost, 0, 0], but the"
                        + " model has no layer 'ghost' (a dangling inbound node)"),
                refused("keras_dangling_node.keras", "layer 'b' (Dense) is called on tensor [a, 3, 0], but layer 'a'"
                        + " is called only 1 time(s)"),
                refused("keras_bad_output.keras", "field 'output_layers' names [b, 5, 0], which no layer produces"),
                // JSON configs
                refused("json_units_negative.json", "layer 'dense' (Dense): field 'units' is -3, outside the"
                        + " supported range"),
                refused("json_units_zero.json", "field 'units' is 0, outside the supported range"),
                refused("json_units_fraction.json", "field 'units' must be an integer, got 2.5"),
                refused("json_units_string.json", "field 'units' must be an integer, got \"2\""),
                refused("json_units_nan.json", "field 'units' must be an integer"),
                refused("json_units_huge.json", "field 'units': units of one layer is 4000000000, more than the limit"
                        + " max_units=1048576"),
                refused("json_units_mismatch.json", "weight 'kernel'", "has shape (3, 2), expected (3, 3)"),
                refused("json_dim_overflow.json", "field 'batch_shape': size of one dimension declared in a config is"
                        + " 3000000000, more than the limit max_dim="),
                refused("json_dim_huge.json", "is 100000000, more than the limit max_dim=16777216"),
                refused("json_dim_negative.json", "field 'batch_shape' has dimension -3"),
                refused("json_rank_too_high.json", "field 'batch_shape' has rank 10 (with batch), expected 2 to 8"),
                refused("json_dtype_int.json", "field 'dtype' is \"int32\": only float32 models are supported"),
                refused("json_unknown_class.json", "layer 'dense' (Dense2): the Keras class Dense2 is an unknown"
                        + " layer class"),
                refused("json_not_a_model.json", "the top-level class Dense is not a model jkeras can import"),
                refused("json_layers_not_list.json", "field 'layers' must be a list"),
                refused("json_no_layers.json", "the Sequential model has no layers"),
                refused("json_deep_nesting.json", "nesting depth of a JSON config is 101, more than the limit"
                        + " max_json_depth=100", "--limit max_json_depth="),
                refused("json_long_number.json", "characters of one JSON number is 1501, more than the limit"
                        + " max_json_number_chars=1000"),
                refused("json_truncated.json", "json_truncated.json: not valid JSON"),
                refused("json_top_level_array.json", "not a Keras model file"),
                // zips
                refused("zip_duplicate_entry.keras", "the zip holds two entries named config.json"),
                refused("zip_dotdot_entry.keras", "zip entry name ../../evil.txt is not a plain relative path"),
                refused("zip_absolute_entry.keras", "zip entry name /etc/evil.txt is not a plain relative path"),
                refused("zip_symlink_entry.keras", "zip entry model.weights.h5 is a symbolic link; refused"),
                refused("zip_encrypted.keras", "zip entry config.json is encrypted"),
                refused("zip_crc_mismatch.keras", "zip entry config.json: CRC-32 mismatch"),
                refused("zip_weights_bitflip.keras", "zip entry model.weights.h5: CRC-32 mismatch"),
                refused("zip_truncated.keras", "not a readable .keras zip"),
                refused("zip_missing_config.keras", "the .keras zip has no config.json (entries: metadata.json,"
                        + " model.weights.h5)"),
                refused("zip_missing_weights.keras", "the .keras zip has no model.weights.h5"),
                refused("zip_config_not_json.keras", "config.json: not valid JSON"),
                refused("zip_weights_not_h5.keras", "model.weights.h5: not a readable HDF5 file"),
                refused("zip_config_bomb.keras", "zip entry config.json: bytes of a JSON config is 70000040, more than"
                        + " the limit max_json_bytes="),
                refused("zip_config_deep.keras", "config.json: nesting depth of a JSON config is 101"),
                refused("zip_weights_declared_huge.keras", "zip entry model.weights.h5 (declares 1900000000 bytes in",
                        "more than the limit max_compression_ratio=100"),
                // polyglots
                refused("polyglot_h5_plus_zip.h5", "at the same time a zip and an HDF5 file (signature at offset 0)",
                        "refused as ambiguous"),
                refused("polyglot_json_plus_zip.json", "at the same time a zip and a JSON text"),
                refused("polyglot_other_entry.keras", "at the same time a zip and an HDF5 file (signature at offset"
                        + " 4096)"),
                refused("polyglot_aligned_model.keras", "at the same time a .keras zip and a legacy HDF5 model"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFiles")
    void craftedFileIsRefusedWithItsReason(String file, String[] fragments) {
        MalformedFiles.assertRefused(MalformedFiles.file(file), MalformedFiles.weightsFor(file),
                LoadOptions.defaults(), fragments);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"base_seq.keras", "base_fn.keras", "h5_bfloat16_kernel.h5", "h5_float32_bias100.h5",
            "h5_float24.h5", "h5_float16.h5", "h5_float64_big_endian.h5", "h5_fletcher_ok.h5", "h5_deflate_skipped.h5",
            "h5_nan_weight.h5", "h5_inf_weight.h5", "zip_deflated.keras", "keras_weights_aligned.keras"})
    void oddButLegalFileLoadsAndPredictsLikeKeras(String file) {
        MalformedFiles.assertPredictsLikeKeras(file, KerasModels.load(MalformedFiles.file(file)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h5_ratio_bomb.h5", "zip_weights_declared_huge.keras"})
    void compressionBombsNameTheirLimit(String file) {
        KerasImportException e = MalformedFiles.assertRefused(MalformedFiles.file(file), null, LoadOptions.defaults());
        assertEquals(org.jkeras.keras.Limit.MAX_COMPRESSION_RATIO, ((LimitExceededException) e).limit());
    }
}
