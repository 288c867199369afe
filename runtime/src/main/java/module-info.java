/**
 * The jkeras runtime: models as graphs of layers, their SIMD kernels, stateful sessions and training.
 * Knows nothing of Keras files ({@code org.jkeras.keras} reads them). The kernels are internal: they are
 * exported only to the jkeras modules that pack weights or benchmark them.
 */
module org.jkeras.runtime {
    // on the module path the SIMD kernels need no --add-modules flag; on the class path they do
    requires jdk.incubator.vector;
    // the one log line (scalar kernels in use) goes to the application's logging
    requires org.slf4j;

    exports org.jkeras.runtime;
    exports org.jkeras.runtime.tensor;
    exports org.jkeras.runtime.graph;
    exports org.jkeras.runtime.layers;
    exports org.jkeras.runtime.session;
    exports org.jkeras.runtime.training;
    exports org.jkeras.runtime.training.callback;
    exports org.jkeras.runtime.training.loss;
    exports org.jkeras.runtime.training.metric;
    exports org.jkeras.runtime.training.optimizer;
    exports org.jkeras.runtime.training.regularizer;
    exports org.jkeras.runtime.training.schedule;
}
