package io.linesight.line;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linesight.api.frame.SourceState;
import io.linesight.api.inspection.LineState;
import org.junit.jupiter.api.Test;

class LineConditionsTest {

    private static LineConditions line(SourceState camera, boolean haveModel, String modelProblem) {
        return new LineConditions(true, true, null, camera, "cable pulled", null, haveModel, modelProblem);
    }

    @Test
    void runningNeedsAModelAndAStreamingCamera() {
        assertEquals(LineState.RUNNING, line(SourceState.STREAMING, true, null).state());
        assertEquals(LineState.STARTING, line(SourceState.CONNECTING, true, null).state());
        assertEquals(LineState.STARTING, line(SourceState.STREAMING, false, null).state());
        assertEquals("waiting for the model deployment to activate m", line(SourceState.STREAMING, false, null).detail("(source.id=c)", "m"));
    }

    @Test
    void aLostCameraFaultsTheLineAndSaysWhy() {
        LineConditions lost = line(SourceState.LOST, true, null);
        assertEquals(LineState.FAULT, lost.state());
        assertEquals("camera lost: cable pulled", lost.detail("(source.id=c)", "m"));
    }

    @Test
    void aFailedLoadFaultsOnlyALineWithoutModel() {
        assertEquals(LineState.FAULT, line(SourceState.STREAMING, false, "corrupt").state());
        LineConditions keptOld = line(SourceState.STREAMING, true, "corrupt");
        assertEquals(LineState.RUNNING, keptOld.state(), "the previous model keeps the line running");
        assertEquals("corrupt", keptOld.detail("(source.id=c)", "m"), "and the refusal stays visible");
    }

    @Test
    void anUnboundCameraIsNamedByItsFilterAndAStoppedLineIsStopped() {
        LineConditions unbound = new LineConditions(true, false, null, SourceState.STOPPED, "", null, true, null);
        assertEquals("waiting for camera (source.id=c)", unbound.detail("(source.id=c)", "m"));
        assertEquals(LineState.STOPPED, new LineConditions(false, true, null, SourceState.STREAMING, "", null, true, null).state());
    }
}
