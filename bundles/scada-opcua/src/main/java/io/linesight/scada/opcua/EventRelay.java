package io.linesight.scada.opcua;

import com.google.common.eventbus.Subscribe;
import org.eclipse.milo.opcua.sdk.server.api.EventItem;
import org.eclipse.milo.opcua.sdk.server.model.nodes.objects.BaseEventTypeNode;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * Hands the server's events to one event monitored item on a LineSight folder: an item on
 * {@code Objects/LineSight} gets every event, an item on a line's or output's folder only the events
 * whose SourceNode is that folder. (Milo hands every event to every item on the Server object; items in
 * our namespace are ours to feed.) Registered on Milo's event bus while the item samples.
 */
final class EventRelay {

    private final EventItem item;
    private final NodeId folder;
    private final boolean everything;

    EventRelay(EventItem item, NodeId folder, boolean everything) {
        this.item = item;
        this.folder = folder;
        this.everything = everything;
    }

    /** Called by the event bus on the thread that posts the event (the updater thread). */
    @Subscribe
    public void onEvent(BaseEventTypeNode event) {
        if (everything || folder.equals(event.getSourceNode())) {
            item.onEvent(event);
        }
    }
}
