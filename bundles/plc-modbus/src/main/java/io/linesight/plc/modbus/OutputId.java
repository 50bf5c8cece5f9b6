package io.linesight.plc.modbus;

import java.util.Map;

/**
 * The output's name on the console and in OPC UA ({@code Outputs/<id>}): the configured {@code outputId};
 * else the configuration's own name, which FileInstall takes from the file name
 * ({@code io.linesight.plc.modbus-line2.cfg} gives {@code line2}) and Config Admin puts after {@code ~} in
 * a named factory configuration's PID; else {@code host:port}. So the shipped configuration file
 * {@code io.linesight.plc.modbus-default.cfg} shows as {@code default} without an extra property.
 */
final class OutputId {

    /** The property FileInstall sets on the configurations it creates: the file's URL. */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private OutputId() {
    }

    static String derive(String configured, Map<String, ?> properties, String endpoint) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        String fromFile = fromFileName(properties.get(FILEINSTALL_FILENAME));
        if (!fromFile.isEmpty()) {
            return fromFile;
        }
        Object pid = properties.get("service.pid");
        if (pid instanceof String text && text.startsWith(PlcOutputConfig.PID + "~")) {
            return text.substring(PlcOutputConfig.PID.length() + 1);
        }
        return endpoint;
    }

    /** {@code .../io.linesight.plc.modbus-default.cfg} gives {@code default}; anything else "". */
    private static String fromFileName(Object url) {
        if (!(url instanceof String text)) {
            return "";
        }
        String name = text.substring(text.lastIndexOf('/') + 1);
        String prefix = PlcOutputConfig.PID + "-";
        int dot = name.lastIndexOf('.');
        if (!name.startsWith(prefix) || dot <= prefix.length()) {
            return "";
        }
        return name.substring(prefix.length(), dot);
    }
}
