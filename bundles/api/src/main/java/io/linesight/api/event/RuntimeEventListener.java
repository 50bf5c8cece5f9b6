package io.linesight.api.event;

/**
 * Receives every event published on the {@link EventBoard} (whiteboard: register a service). Called on
 * the board's dispatch thread, in publication order; must return quickly.
 */
@FunctionalInterface
public interface RuntimeEventListener {

    void onEvent(RuntimeEvent event);
}
