package org.jkeras.flink;

/**
 * The model's output for one {@link StepEvent}: what a jkeras streaming session fed the key's steps
 * so far returns for the event's steps, for that one sequence (the batch axis dropped): the last
 * output for a model ending in a single-step layer, or {@code [time, units]} row-major for one
 * returning sequences.
 *
 * @param key          the event's key
 * @param seq          the event's sequence number
 * @param modelVersion the version of the model that computed it
 * @param output       the output values of this sequence
 */
public record Prediction(String key, long seq, String modelVersion, float[] output) {
    /** One line of text: {@code key,seq,modelVersion,v0 v1 ...} with every float in shortest exact form. */
    public String toLine() {
        StringBuilder sb = new StringBuilder(key.length() + 16 + 12 * output.length);
        sb.append(key).append(',').append(seq).append(',').append(modelVersion).append(',');
        for (int i = 0; i < output.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(output[i]);
        }
        return sb.toString();
    }
}
