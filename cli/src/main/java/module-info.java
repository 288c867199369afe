/**
 * The {@code jkeras} command line (inspect, predict, bench, finetune, demo). As a module it also proves that
 * the library modules export everything an application needs: it compiles against their exports alone.
 */
module org.jkeras.cli {
    // transitive: the exported org.jkeras.cli.io reads and writes the runtime's Tensor
    requires transitive org.jkeras.keras;
    requires info.picocli;
    requires tools.jackson.databind;

    // picocli fills the annotated option fields reflectively
    opens org.jkeras.cli to info.picocli;

    exports org.jkeras.cli.io;
}
