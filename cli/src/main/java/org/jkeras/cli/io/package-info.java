/** File formats the command line reads and writes: NumPy {@code .npy} arrays. */
package org.jkeras.cli.io;
