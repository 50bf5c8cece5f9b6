package io.linesight.model.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StableFilesTest {

    private static final Path ZIP = Path.of("m.zip");

    private static Map<Path, StableFiles.Snapshot> seen(long size, long time) {
        return Map.of(ZIP, new StableFiles.Snapshot(size, time));
    }

    @Test
    void aFileIsCompleteAfterTwoUnchangedPollsAndOnlyOnce() {
        StableFiles stable = new StableFiles();
        assertEquals(List.of(), stable.poll(seen(10, 1)));
        assertEquals(List.of(), stable.poll(seen(10, 1)));
        assertEquals(List.of(ZIP), stable.poll(seen(10, 1)));
        assertEquals(List.of(), stable.poll(seen(10, 1)));
    }

    @Test
    void aFileThatGrowsBetweenPollsStartsOver() {
        StableFiles stable = new StableFiles();
        stable.poll(seen(10, 1));
        stable.poll(seen(10, 1));
        assertEquals(List.of(), stable.poll(seen(20, 2)), "grew just before it would have counted");
        assertEquals(List.of(), stable.poll(seen(20, 2)));
        assertEquals(List.of(ZIP), stable.poll(seen(20, 2)));
    }

    @Test
    void aTouchedFileCountsAgainAndAVanishedFileIsForgotten() {
        StableFiles stable = new StableFiles();
        stable.poll(seen(10, 1));
        stable.poll(seen(10, 1));
        stable.poll(seen(10, 1));
        assertEquals(List.of(), stable.poll(Map.of()));
        assertEquals(List.of(), stable.poll(seen(10, 1)));
        assertEquals(List.of(), stable.poll(seen(10, 1)));
        assertEquals(List.of(ZIP), stable.poll(seen(10, 1)));
    }
}
