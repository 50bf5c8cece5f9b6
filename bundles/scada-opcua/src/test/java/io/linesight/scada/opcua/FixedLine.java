package io.linesight.scada.opcua;

import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineStatus;

/** An InspectionLine service as the line bundle registers it, with a fixed status. */
record FixedLine(String id, LineStatus status) implements InspectionLine {

    @Override
    public void resetCounters() {
        throw new UnsupportedOperationException("not a command the SCADA output gives");
    }

    @Override
    public java.util.Optional<io.linesight.api.model.ModelInfo> installModel(io.linesight.api.model.LoadedModel model,
                                                                            String origin) {
        throw new UnsupportedOperationException("models reach lines through the model deployment, not SCADA");
    }
}
