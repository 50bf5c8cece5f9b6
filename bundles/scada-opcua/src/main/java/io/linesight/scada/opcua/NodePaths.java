package io.linesight.scada.opcua;

/**
 * The string identifiers of the LineSight address space ({@code ns=<index of urn:linesight>;s=<path>}).
 * They are part of the SCADA contract: engineers type them into tag lists, so they never change
 * between releases. Pure functions, tested without a server.
 */
final class NodePaths {

    /** The folder under Objects that holds everything LineSight shows. */
    static final String ROOT = "LineSight";
    /** The folder of runtime-wide variables. */
    static final String RUNTIME = "Runtime";
    /** The folder holding one folder per line. */
    static final String LINES = "Lines";
    /** The folder holding one folder per monitored output (the PLC links). */
    static final String OUTPUTS = "Outputs";
    /** The sub-folder of a line that shows the PLC outputs serving it. */
    static final String OUTPUT = "Output";
    /** The sub-folder of an output that holds its counters. */
    static final String COUNTERS = "Counters";

    /** The object type of LineSight's OPC UA events. */
    static final String EVENT_TYPE = "Types/LineSightEventType";

    private NodePaths() {
    }

    /** A unique EventId: the board's sequence number and a random part (the sequence restarts with the runtime). */
    static byte[] eventId(io.linesight.api.event.RuntimeEvent event) {
        java.util.UUID random = java.util.UUID.randomUUID();
        return java.nio.ByteBuffer.allocate(24).putLong(event.sequence())
                .putLong(random.getMostSignificantBits()).putLong(random.getLeastSignificantBits()).array();
    }

    /** {@code Runtime/<name>}. */
    static String runtime(String name) {
        return RUNTIME + "/" + name;
    }

    /** {@code Lines/<lineId>}, the folder of one line. */
    static String line(String lineId) {
        return LINES + "/" + escape(lineId);
    }

    /** {@code Lines/<lineId>/<relativePath>}, for example {@code Lines/line-1/Counters/Pass}. */
    static String line(String lineId, String relativePath) {
        return line(lineId) + "/" + relativePath;
    }

    /** {@code Outputs/<outputId>}, the folder of one output. */
    static String output(String outputId) {
        return OUTPUTS + "/" + escape(outputId);
    }

    /** {@code Outputs/<outputId>/<relativePath>}, for example {@code Outputs/default/Connected}. */
    static String output(String outputId, String relativePath) {
        return output(outputId) + "/" + relativePath;
    }

    /**
     * Makes a line or output id safe as one path segment: {@code %} becomes {@code %25} and {@code /} becomes
     * {@code %2F}; everything else is kept, so ordinary ids appear verbatim.
     */
    static String escape(String id) {
        return id.replace("%", "%25").replace("/", "%2F");
    }
}
