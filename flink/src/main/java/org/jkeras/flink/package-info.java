/**
 * jkeras on Apache Flink: {@link org.jkeras.flink.KeyedScoring} keeps the recurrent state of every
 * key of a stream in Flink keyed state and scores each event as a jkeras streaming session would.
 */
package org.jkeras.flink;
