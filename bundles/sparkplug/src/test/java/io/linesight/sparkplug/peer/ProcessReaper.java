package io.linesight.sparkplug.peer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills the peers' processes still running when the JVM exits: a test that never reached its {@code close()}
 * (a crashed fork, an interrupted run) must not leave a broker or a node process behind.
 */
final class ProcessReaper {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "sparkplug-peer-reaper"));
    }

    private ProcessReaper() {
    }

    static void watch(Process process) {
        LIVE.add(process);
    }

    static void forget(Process process) {
        LIVE.remove(process);
    }
}
