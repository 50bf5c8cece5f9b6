package io.linesight.api.deploy;

import java.time.Instant;

/**
 * One entry of a line's activation history, kept persistently.
 *
 * @param sequence  position in the line's history, from 1
 * @param time      when the line switched (or refused to)
 * @param lineId    the line
 * @param model     {@code name@version} now active (or refused)
 * @param sha256    digest of its ONNX file
 * @param previous  {@code name@version} active before, or null
 * @param action    {@code activate}, {@code rollback} or {@code refused}
 * @param actor     who asked: a user name, {@code console}, {@code opcua:<user>}, {@code drop-folder}
 * @param reason    why, as given by the actor
 * @param gate      the gate's result that allowed (or refused) it
 */
public record Activation(long sequence, Instant time, String lineId, String model, String sha256, String previous,
                         String action, String actor, String reason, GateReport gate) {
}
