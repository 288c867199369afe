/** The model graph: nodes applying layers, ports between them, evaluation in order. */
package org.jkeras.runtime.graph;
