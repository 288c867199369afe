/**
 * jkeras on Apache Spark: {@link org.jkeras.spark.KerasScoring} scores a DataFrame column of sequences
 * with a Keras model broadcast once per executor.
 */
package org.jkeras.spark;
