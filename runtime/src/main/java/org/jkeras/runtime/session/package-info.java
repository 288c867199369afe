/** Sessions: per-stream recurrent state carried between calls to an immutable model. */
package org.jkeras.runtime.session;
