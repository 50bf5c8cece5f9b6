package io.linesight.sparkplug;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;

/**
 * What the node knows of its primary host application from the host's Sparkplug 3.0 STATE messages
 * ({@code {"online":true,"timestamp":...}}, retained): online or not, newest timestamp wins, so a late retained
 * message cannot undo a newer one.
 */
final class HostState {

    private boolean online;
    private long timestamp = Long.MIN_VALUE;

    /**
     * @return true when the message changed whether the host is online
     * @throws IllegalArgumentException when the payload is not a STATE message
     */
    boolean update(byte[] payload) {
        JsonObject json;
        try {
            json = JsonParser.parseString(new String(payload, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a Sparkplug 3.0 STATE payload (JSON with online and timestamp)");
        }
        if (!json.has("online")) {
            throw new IllegalArgumentException("STATE payload without 'online'");
        }
        long at = json.has("timestamp") ? json.get("timestamp").getAsLong() : Long.MIN_VALUE + 1;
        if (at < timestamp) {
            return false;
        }
        timestamp = at;
        boolean was = online;
        online = json.get("online").getAsBoolean();
        return was != online;
    }

    boolean online() {
        return online;
    }

    /** Forgets the host at a new connection: its retained STATE arrives again with the subscription. */
    void reset() {
        online = false;
        timestamp = Long.MIN_VALUE;
    }
}
