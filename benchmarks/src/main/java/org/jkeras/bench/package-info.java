/** JMH benchmarks of the runtime: LSTM inference scenarios and the GEMM kernels. */
package org.jkeras.bench;
