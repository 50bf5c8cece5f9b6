package io.linesight.line;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RawPropertiesTest {

    @Test
    void aNumberThatIsNotANumberIsRefusedByName() {
        List<String> problems = RawProperties.problems(Map.of("reject.minConfidence", "abc", "review.maxFrames", "1.5",
                "noFrameFaultMs", "2000", "line.id", "x"));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("reject.minConfidence=abc is not a number")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("review.maxFrames=1.5 is not a whole number")), problems.toString());
    }

    @Test
    void aSwitchThatIsNotTrueOrFalseIsRefusedByName() {
        List<String> problems = RawProperties.problems(Map.of("shadow.autoPromote", "yes", "shadow.minFrames", "500"));
        assertEquals(List.of("shadow.autoPromote=yes is not true or false (write it like false)"), problems);
        assertTrue(RawProperties.problems(Map.of("shadow.autoPromote", "TRUE")).isEmpty());
    }

    @Test
    void anUnknownKeyNamesTheNearestKnownOne() {
        List<String> unknown = RawProperties.unknownKeys(Map.of("rejct.minConfidence", "0.7", "camera.target", "(a=b)",
                "felix.fileinstall.filename", "file:/x/io.linesight.line-a.cfg", "sinks.target", "(x=y)"));
        assertEquals(List.of("unknown property 'rejct.minConfidence' is ignored; did you mean 'reject.minConfidence'?"), unknown);
        assertEquals("/x/io.linesight.line-a.cfg", RawProperties.file(Map.of("felix.fileinstall.filename",
                "file:/x/io.linesight.line-a.cfg")));
    }
}
