package io.linesight.scada.opcua;

import org.eclipse.milo.opcua.sdk.core.QualifiedProperty;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.stack.core.Identifiers;

/**
 * The properties LineSightEventType adds to BaseEventType; a client selects them with browse names in
 * namespace {@value LineSightNamespace#NAMESPACE_URI}.
 */
final class EventProperties {

    /** The EventKind name, for example CAMERA_LOST. */
    static final QualifiedProperty<String> KIND = new QualifiedProperty<>(LineSightNamespace.NAMESPACE_URI, "Kind",
            Identifiers.String.expanded(), ValueRanks.Scalar, String.class);
    /** The event board's sequence number. */
    static final QualifiedProperty<Long> SEQUENCE = new QualifiedProperty<>(LineSightNamespace.NAMESPACE_URI, "Sequence",
            Identifiers.Int64.expanded(), ValueRanks.Scalar, Long.class);
    /** True when the event raises a condition (an alarm that stays active until cleared). */
    static final QualifiedProperty<Boolean> ACTIVE = new QualifiedProperty<>(LineSightNamespace.NAMESPACE_URI, "Active",
            Identifiers.Boolean.expanded(), ValueRanks.Scalar, Boolean.class);
    /** KIND@source of the condition raised or cleared; empty for one-shot events. */
    static final QualifiedProperty<String> CONDITION_KEY = new QualifiedProperty<>(LineSightNamespace.NAMESPACE_URI,
            "ConditionKey", Identifiers.String.expanded(), ValueRanks.Scalar, String.class);

    private EventProperties() {
    }
}
