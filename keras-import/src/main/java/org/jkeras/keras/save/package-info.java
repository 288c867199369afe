/**
 * Saving jkeras models back as Keras 3 files: the {@link org.jkeras.keras.save.KerasOrigin} the importer
 * leaves on every model (its config in Keras 3 form and where each weight lives), the writers of
 * {@code .keras} zips and {@code .weights.h5} files, and the training state (compile config and
 * optimizer variables) that lets Keras continue training where Java stopped.
 */
package org.jkeras.keras.save;
