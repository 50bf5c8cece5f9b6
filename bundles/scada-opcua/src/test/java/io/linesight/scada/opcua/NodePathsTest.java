package io.linesight.scada.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NodePathsTest {

    @Test
    void documentedIdsForOrdinaryLineIds() {
        assertEquals("Lines/line-1", NodePaths.line("line-1"));
        assertEquals("Lines/line-1/Counters/Pass", NodePaths.line("line-1", LineVariable.COUNTERS_PASS.path()));
        assertEquals("Runtime/LineCount", NodePaths.runtime("LineCount"));
    }

    @Test
    void slashAndPercentInALineIdStayInOneSegment() {
        assertEquals("Lines/a%2Fb", NodePaths.line("a/b"));
        assertEquals("Lines/50%25%2Fx/State", NodePaths.line("50%/x", "State"));
    }

    @Test
    void outputIdsLiveUnderOutputsEscapedLikeLineIds() {
        assertEquals("Outputs/default/Connected", NodePaths.output("default", OutputVariable.CONNECTED.browseName()));
        assertEquals("Outputs/10.0.0.5:502", NodePaths.output("10.0.0.5:502"));
        assertEquals("Outputs/a%2Fb/Counters/pulsesSent", NodePaths.output("a/b", "Counters/pulsesSent"));
    }

    @Test
    void variablesKnowTheirFolderAndBrowseName() {
        assertEquals("Counters", LineVariable.COUNTERS_DROPPED.folder());
        assertEquals("Dropped", LineVariable.COUNTERS_DROPPED.browseName());
        assertEquals("", LineVariable.STATE.folder());
        assertEquals("State", LineVariable.STATE.browseName());
        assertEquals("Sha256", LineVariable.MODEL_SHA256.browseName());
    }
}
