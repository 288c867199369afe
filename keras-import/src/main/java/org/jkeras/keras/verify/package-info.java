/** Verify-on-load: a model file's own test cases, run on the loaded model before it serves. */
package org.jkeras.keras.verify;
