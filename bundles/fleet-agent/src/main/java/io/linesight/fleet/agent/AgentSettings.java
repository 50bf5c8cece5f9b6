package io.linesight.fleet.agent;

import io.linesight.fleet.manifest.KeyLookup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link FleetAgentCore} identifies its box and where it keeps its files.
 *
 * @param groupId        the Sparkplug group of this box, as manifests target it
 * @param edgeNodeId     the Sparkplug edge node id of this box
 * @param trustedKeys    the keys a manifest must be signed with (the model deployment's trusted-keys folder)
 * @param stateFolder    where {@code state.json} keeps the current deployment across restarts
 * @param downloadFolder where packages are downloaded ({@code .part} files resume from there)
 * @param download       bounds and pacing of downloads; the deadline is replaced by each manifest's
 * @param tick           how often the worker looks at downloads, shadow trials and health windows
 * @param activeMargin   added to a manifest's health window minutes to make the deadline of ACTIVE
 * @param queueCapacity  desired states waiting for the worker; when full the oldest waiting one is dropped
 */
public record AgentSettings(String groupId, String edgeNodeId, KeyLookup trustedKeys, Path stateFolder,
                            Path downloadFolder, DownloadSettings download, Duration tick, Duration activeMargin,
                            int queueCapacity) {

    public AgentSettings {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(edgeNodeId, "edgeNodeId");
        Objects.requireNonNull(trustedKeys, "trustedKeys");
        Objects.requireNonNull(stateFolder, "stateFolder");
        Objects.requireNonNull(downloadFolder, "downloadFolder");
        Objects.requireNonNull(download, "download");
        Objects.requireNonNull(tick, "tick");
        Objects.requireNonNull(activeMargin, "activeMargin");
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick must be positive, not " + tick);
        }
        if (activeMargin.isNegative()) {
            throw new IllegalArgumentException("activeMargin must not be negative, not " + activeMargin);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, not " + queueCapacity);
        }
    }
}
