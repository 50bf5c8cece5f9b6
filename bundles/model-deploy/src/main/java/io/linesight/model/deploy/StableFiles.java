package io.linesight.model.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells when a file in a watched folder is complete: its size and modification time were the same for
 * {@value #STABLE_POLLS} polls after it was first seen as they are now. A file still being copied changes
 * between polls and is not taken. Pure bookkeeping, driven by the caller's polls; not thread-safe.
 */
final class StableFiles {

    static final int STABLE_POLLS = 2;

    /** What one poll saw of a file. */
    record Snapshot(long size, long modifiedMillis) {
    }

    private record Seen(Snapshot snapshot, int unchangedPolls) {
    }

    private final Map<Path, Seen> seen = new HashMap<>();

    /**
     * Records one poll and returns the files that became complete with it (each is returned once per
     * version: a file that changes again is tracked again).
     */
    List<Path> poll(Map<Path, Snapshot> now) {
        seen.keySet().retainAll(now.keySet());
        List<Path> complete = new ArrayList<>();
        now.forEach((file, snapshot) -> {
            Seen before = seen.get(file);
            int unchanged = before != null && before.snapshot().equals(snapshot) ? before.unchangedPolls() + 1 : 0;
            seen.put(file, new Seen(snapshot, unchanged));
            if (unchanged == STABLE_POLLS) {
                complete.add(file);
            }
        });
        return complete;
    }
}
