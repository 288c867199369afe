/**
 * Reading Keras configs: a JSON tree wrapper whose typed getters name the offending field in
 * their errors, and the Keras version a file was written by (which changes some semantics).
 */
package org.jkeras.keras.config;
