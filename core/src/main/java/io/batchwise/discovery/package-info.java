/**
 * Finding the implementations of Batchwise's SPIs: {@link io.batchwise.discovery.FactoryRegistry}
 * lists the factories that {@link ServiceLoader} finds and picks one by its id, with an error that
 * lists what was found when none or two match.
 *
 * <p>The same lookup works on the class path ({@code META-INF/services} files) and on the module
 * path (the {@code provides} clauses of each module's {@code module-info}).
 */
package io.batchwise.discovery;

import java.util.ServiceLoader;
