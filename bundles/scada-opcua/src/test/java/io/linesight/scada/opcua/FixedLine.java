package io.linesight.scada.opcua;

import io.linesight.api.inspection.InspectionLine;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** An InspectionLine service as the line bundle registers it, with a fixed status; counts counter resets. */
final class FixedLine implements InspectionLine {

    private final String id;
    private final LineStatus status;
    private final AtomicInteger resets = new AtomicInteger();

    FixedLine(String id, LineStatus status) {
        this.id = id;
        this.status = status;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public LineStatus status() {
        return status;
    }

    @Override
    public void resetCounters() {
        resets.incrementAndGet();
    }

    /** How often an operator reset the counters. */
    int resets() {
        return resets.get();
    }

    @Override
    public Optional<ModelInfo> installModel(LoadedModel model, String origin) {
        throw new UnsupportedOperationException("models reach lines through the model deployment, not SCADA");
    }
}
