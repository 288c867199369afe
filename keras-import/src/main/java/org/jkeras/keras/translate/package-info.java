/**
 * Translation of Keras layer configs and stored weights into runtime layers: one translator per
 * Keras class, a registry that also refuses what is unsupported or unsafe ({@code Lambda}),
 * and the mapping of Keras activation names.
 */
package org.jkeras.keras.translate;
