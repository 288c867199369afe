/**
 * Numerical kernels over plain float arrays: GEMM (scalar reference and Vector API versions),
 * activation functions and the recurrent cell loops. No tensors or layers here, only
 * arrays, offsets and sizes, so kernels can be swapped without touching the layers.
 */
package org.jkeras.runtime.kernels;
