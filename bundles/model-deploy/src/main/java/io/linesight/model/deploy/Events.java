package io.linesight.model.deploy;

import io.linesight.api.event.EventBoard;
import io.linesight.api.event.EventKind;
import io.linesight.api.event.RuntimeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes MODEL_ACTIVATED / MODEL_REFUSED / MODEL_TRUST_REVOKED to the event board when there is one. The board is optional:
 * without it deployment works the same and the log still says everything.
 */
final class Events {

    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private volatile EventBoard board;

    void bind(EventBoard board) {
        this.board = board;
    }

    void unbind(EventBoard board) {
        if (this.board == board) {
            this.board = null;
        }
    }

    void activated(String lineId, String message) {
        publish(EventKind.MODEL_ACTIVATED, "line/" + lineId, message);
    }

    void refused(String modelName, String message) {
        publish(EventKind.MODEL_REFUSED, "model/" + modelName, message);
    }

    /** A line fell back from a model whose signer is no longer trusted (a latching alarm). */
    void trustRevoked(String lineId, String message) {
        publish(EventKind.MODEL_TRUST_REVOKED, "line/" + lineId, message);
    }

    private void publish(EventKind kind, String source, String message) {
        EventBoard current = board;
        if (current == null) {
            return;
        }
        try {
            current.publish(RuntimeEvent.of(kind, source, message));
        } catch (RuntimeException e) {
            // the board failing must not turn a good activation into a failed one
            LOG.warn("Event board refused {} for {}: {}", kind, source, e.toString());
        }
    }
}
