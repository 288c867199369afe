package org.jkeras.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jkeras.runtime.Model;
import org.jkeras.runtime.tensor.Shape;
import org.jkeras.runtime.tensor.Tensor;
import org.jkeras.runtime.graph.Graph;
import org.jkeras.runtime.graph.Port;
import org.jkeras.runtime.tensor.Activation;
import org.jkeras.runtime.session.Session;
import org.junit.jupiter.api.Test;

/**
 * go_backwards, Bidirectional (every merge mode) and RepeatVector on SimpleRNN(2) over a [2, 3, 2]
 * input with explicit weights, against Keras.
 *
 * <p>Produced with Keras 3.15.1 (TensorFlow 2.21.0 backend), float32:
 * <pre>
 * k = [[0.5, -0.3], [0.2, 0.4]]; u = [[0.1, -0.2], [0.3, 0.25]]; b = [0.05, -0.1]       # forward
 * kb = [[-0.4, 0.1], [0.3, -0.2]]; ub = [[0.2, 0.15], [-0.1, 0.35]]; bb = [-0.05, 0.2]  # backward
 * x = np.sin(np.arange(12)).reshape(2, 3, 2).astype(np.float32)
 * SimpleRNN(2, return_sequences=True[, go_backwards=True]), set_weights([k, u, b])
 * Bidirectional(SimpleRNN(2, return_sequences=True), merge_mode=m), set_weights([k, u, b, kb, ub, bb])
 * RepeatVector(3) on x[:, 0, :]
 * stateful SimpleRNN(2, go_backwards=True, return_sequences=True), batch_shape (2, 3, 2):
 *   predict_on_batch(x), then predict_on_batch(x[:, ::-1, :])
 * </pre>
 * printed with {@code repr(float(v))}. Keras checks: BACKWARDS_SEQ ends with BACKWARDS_LAST (outputs
 * in processing order), and the second stateful call equals a go_backwards layer started from the
 * first call's final state.
 */
class BidirectionalTest {
    static final float[] K = {0.5f, -0.3f, 0.2f, 0.4f};
    static final float[] U = {0.1f, -0.2f, 0.3f, 0.25f};
    static final float[] B = {0.05f, -0.1f};
    static final float[] KB = {-0.4f, 0.1f, 0.3f, -0.2f};
    static final float[] UB = {0.2f, 0.15f, -0.1f, 0.35f};
    static final float[] BB = {-0.05f, 0.2f};
    static final float[] X = {
        0.0f, 0.8414709568023682f, 0.9092974066734314f, 0.14112000167369843f, -0.756802499294281f,
        -0.9589242935180664f, -0.279415488243103f, 0.6569865942001343f, 0.9893582463264465f,
        0.41211849451065063f, -0.5440211296081543f, -0.9999902248382568f};
    static final float[] FORWARD_SEQ = {
        0.21489161252975464f, 0.2322707623243332f, 0.5539368391036987f, -0.29245784878730774f,
        -0.5024138689041138f, -0.41400146484375f, 0.041665446013212204f, 0.24173814058303833f,
        0.6067684888839722f, -0.17794398963451385f, -0.39246878027915955f, -0.4641825556755066f};
    static final float[] BACKWARDS_SEQ = {
        -0.47784367203712463f, -0.2510460913181305f, 0.3882811963558197f, -0.2761727571487427f,
        0.17252744734287262f, 0.08964763581752777f, -0.39862123131752014f, -0.3246084451675415f,
        0.45410391688346863f, -0.22924074530601501f, 0.018325690180063248f, 0.09817112982273102f};
    static final float[] BACKWARDS_LAST = {
        0.17252744734287262f, 0.08964763581752777f, 0.018325690180063248f, 0.09817112982273102f};
    static final float[] BI_SEQ_CONCAT = {
        0.21489161252975464f, 0.2322707623243332f, 0.08975740522146225f, 0.09550202637910843f,
        0.5539368391036987f, -0.29245784878730774f, -0.3875972628593445f, 0.3492221534252167f,
        -0.5024138689041138f, -0.41400146484375f, -0.03494206443428993f, 0.30598047375679016f,
        0.041665446013212204f, 0.24173814058303833f, 0.15445490181446075f, 0.09192538261413574f,
        0.6067684888839722f, -0.17794398963451385f, -0.3641640543937683f, 0.3032832145690918f,
        -0.39246878027915955f, -0.4641825556755066f, -0.13162057101726532f, 0.3324640095233917f};
    static final float[] BI_SEQ_SUM = {
        0.3046490252017975f, 0.3277727961540222f, 0.16633957624435425f, 0.056764304637908936f,
        -0.5373559594154358f, -0.10802099108695984f, 0.19612035155296326f, 0.3336635231971741f,
        0.24260443449020386f, 0.12533922493457794f, -0.5240893363952637f, -0.13171854615211487f};
    static final float[] BI_SEQ_AVE = {
        0.15232451260089874f, 0.1638863980770111f, 0.08316978812217712f, 0.028382152318954468f,
        -0.2686779797077179f, -0.05401049554347992f, 0.09806017577648163f, 0.16683176159858704f,
        0.12130221724510193f, 0.06266961246728897f, -0.26204466819763184f, -0.06585927307605743f};
    static final float[] BI_SEQ_MUL = {
        0.019288113340735435f, 0.02218232862651348f, -0.21470440924167633f, -0.10213275998830795f,
        0.01755537837743759f, -0.12667636573314667f, 0.006435432471334934f, 0.022221870720386505f,
        -0.2209632694721222f, -0.0539674237370491f, 0.05165696516633034f, -0.1543239951133728f};
    static final float[] BI_SEQ_NONE_FORWARD = {
        0.21489161252975464f, 0.2322707623243332f, 0.5539368391036987f, -0.29245784878730774f,
        -0.5024138689041138f, -0.41400146484375f, 0.041665446013212204f, 0.24173814058303833f,
        0.6067684888839722f, -0.17794398963451385f, -0.39246878027915955f, -0.4641825556755066f};
    static final float[] BI_SEQ_NONE_BACKWARD = {
        0.08975740522146225f, 0.09550202637910843f, -0.3875972628593445f, 0.3492221534252167f,
        -0.03494206443428993f, 0.30598047375679016f, 0.15445490181446075f, 0.09192538261413574f,
        -0.3641640543937683f, 0.3032832145690918f, -0.13162057101726532f, 0.3324640095233917f};
    static final float[] BI_LAST_CONCAT = {
        -0.5024138689041138f, -0.41400146484375f, 0.08975740522146225f, 0.09550202637910843f,
        -0.39246878027915955f, -0.4641825556755066f, 0.15445490181446075f, 0.09192538261413574f};
    static final float[] REPEAT_3 = {
        0.0f, 0.8414709568023682f, 0.0f, 0.8414709568023682f, 0.0f, 0.8414709568023682f,
        -0.279415488243103f, 0.6569865942001343f, -0.279415488243103f, 0.6569865942001343f,
        -0.279415488243103f, 0.6569865942001343f};
    static final float[] STATEFUL_BACKWARDS_CALL1 = {
        -0.47784367203712463f, -0.2510460913181305f, 0.3882811963558197f, -0.2761727571487427f,
        0.17252744734287262f, 0.08964763581752777f, -0.39862123131752014f, -0.3246084451675415f,
        0.45410391688346863f, -0.22924074530601501f, 0.018325690180063248f, 0.09817112982273102f};
    static final float[] STATEFUL_BACKWARDS_CALL2 = {
        0.2565774917602539f, 0.22079795598983765f, 0.5544403195381165f, -0.3026708960533142f,
        -0.504663348197937f, -0.41619816422462463f, 0.0728442370891571f, 0.2612942159175873f,
        0.6124143600463867f, -0.17924776673316956f, -0.39232197403907776f, -0.46532344818115234f};

    static SimpleRnn rnn(boolean sequences, boolean stateful, boolean backwards) {
        return new SimpleRnn(backwards ? "backward" : "forward", 2, Tensor.of(K, 2, 2), Tensor.of(U, 2, 2),
                Tensor.of(B, 2), Activation.TANH, sequences, stateful, backwards);
    }

    static Bidirectional bi(boolean sequences, Bidirectional.Merge merge) {
        SimpleRnn backward = new SimpleRnn("backward", 2, Tensor.of(KB, 2, 2), Tensor.of(UB, 2, 2),
                Tensor.of(BB, 2), Activation.TANH, sequences, false, true);
        return new Bidirectional("bi", rnn(sequences, false, false), backward, merge);
    }

    static Tensor x() {
        return Tensor.of(X, 2, 3, 2);
    }

    static void assertClose(float[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.data(), 1e-6f);
    }

    @Test
    void goBackwardsReturnsSequenceInProcessingOrderLikeKeras() {
        assertClose(FORWARD_SEQ, rnn(true, false, false).apply(x()));
        assertClose(BACKWARDS_SEQ, rnn(true, false, true).apply(x()));
        assertClose(BACKWARDS_LAST, rnn(false, false, true).apply(x()));
        assertTrue(rnn(true, false, true).goBackwards());
    }

    @Test
    void goBackwardsLeavesTheInputUntouched() {
        Tensor in = x();
        rnn(true, false, true).apply(in);
        assertArrayEquals(X, in.data());
    }

    @Test
    void everyMergeModeMatchesKerasWithReturnSequences() {
        assertClose(BI_SEQ_CONCAT, bi(true, Bidirectional.Merge.CONCAT).forward(List.of(x())).get(0));
        assertClose(BI_SEQ_SUM, bi(true, Bidirectional.Merge.SUM).forward(List.of(x())).get(0));
        assertClose(BI_SEQ_AVE, bi(true, Bidirectional.Merge.AVE).forward(List.of(x())).get(0));
        assertClose(BI_SEQ_MUL, bi(true, Bidirectional.Merge.MUL).forward(List.of(x())).get(0));
        List<Tensor> none = bi(true, Bidirectional.Merge.NONE).forward(List.of(x()));
        assertEquals(2, none.size());
        assertClose(BI_SEQ_NONE_FORWARD, none.get(0));
        assertClose(BI_SEQ_NONE_BACKWARD, none.get(1));
    }

    @Test
    void lastOutputConcatMatchesKeras() {
        Tensor y = bi(false, Bidirectional.Merge.CONCAT).forward(List.of(x())).get(0);
        assertArrayEquals(new int[] {2, 4}, y.shape());
        assertClose(BI_LAST_CONCAT, y);
    }

    @Test
    void outputShapesFollowTheMergeMode() {
        List<Shape> in = List.of(Shape.of(Shape.UNKNOWN, 3, 2));
        assertEquals(List.of(Shape.of(Shape.UNKNOWN, 3, 4)), bi(true, Bidirectional.Merge.CONCAT).outputShapes(in));
        assertEquals(List.of(Shape.of(Shape.UNKNOWN, 3, 2)), bi(true, Bidirectional.Merge.MUL).outputShapes(in));
        assertEquals(List.of(Shape.of(Shape.UNKNOWN, 2), Shape.of(Shape.UNKNOWN, 2)),
                bi(false, Bidirectional.Merge.NONE).outputShapes(in));
        assertEquals(20, bi(true, Bidirectional.Merge.SUM).parameterCount()); // 2 x (4 + 4 + 2), as Keras counts
    }

    @Test
    void refusesPairsKerasWouldRefuse() {
        var sameDirection = assertThrows(IllegalArgumentException.class,
                () -> new Bidirectional("bi", rnn(true, false, false), rnn(true, false, false),
                        Bidirectional.Merge.SUM));
        assertTrue(sameDirection.getMessage().contains("opposite directions"), sameDirection.getMessage());
        var mixed = assertThrows(IllegalArgumentException.class,
                () -> new Bidirectional("bi", rnn(true, false, false), rnn(false, false, true),
                        Bidirectional.Merge.SUM));
        assertTrue(mixed.getMessage().contains("return_sequences"), mixed.getMessage());
        var stateful = assertThrows(IllegalArgumentException.class,
                () -> new Bidirectional("bi", rnn(true, true, false), rnn(true, false, true),
                        Bidirectional.Merge.SUM));
        assertTrue(stateful.getMessage().contains("must agree on stateful"), stateful.getMessage());
    }

    @Test
    void repeatVectorRepeatsEveryRowLikeKeras() {
        Tensor in = Tensor.of(new float[] {X[0], X[1], X[6], X[7]}, 2, 2);
        RepeatVector rv = new RepeatVector("repeat", 3);
        assertEquals(Shape.of(Shape.UNKNOWN, 3, 2), rv.outputShape(Shape.of(Shape.UNKNOWN, 2)));
        assertClose(REPEAT_3, rv.apply(in));
        assertThrows(IllegalArgumentException.class, () -> rv.outputShape(Shape.of(Shape.UNKNOWN, 3, 2)));
        assertThrows(IllegalArgumentException.class, () -> new RepeatVector("r", 0));
    }

    private static Model model(Layer layer) {
        Graph.Builder g = Graph.builder();
        Port in = g.input("input", Shape.of(2, 3, 2));
        return new Model(g.build(g.apply(layer, List.of(in))), Map.of());
    }

    @Test
    void kerasSessionCarriesStateOfStatefulGoBackwardsLayerLikeKeras() {
        Session s = Session.keras(model(rnn(true, true, true)));
        assertClose(STATEFUL_BACKWARDS_CALL1, s.predict(x()));
        float[] flipped = new float[X.length];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 3; t++) {
                System.arraycopy(X, (b * 3 + t) * 2, flipped, (b * 3 + 2 - t) * 2, 2);
            }
        }
        assertClose(STATEFUL_BACKWARDS_CALL2, s.predict(Tensor.of(flipped, 2, 3, 2)));
    }

    @Test
    void streamingSessionRefusesModelsThatReadTimeBackwards() {
        for (Layer layer : List.of(rnn(true, false, true), bi(true, Bidirectional.Merge.CONCAT))) {
            var e = assertThrows(IllegalArgumentException.class, () -> Session.streaming(model(layer)));
            assertTrue(e.getMessage().contains("reads the sequence backwards"), e.getMessage());
        }
        Session.streaming(model(rnn(true, false, false))); // forward layers still stream
    }
}
