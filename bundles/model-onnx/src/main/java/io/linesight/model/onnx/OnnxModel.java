package io.linesight.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.linesight.api.frame.Frame;
import io.linesight.api.model.InferenceException;
import io.linesight.api.model.InferenceResult;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.card.ModelCard;
import java.nio.FloatBuffer;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * What every ONNX-backed model shares: the session it owns, reused input memory, one run per frame with
 * the tensor and result closed afterwards, and an idempotent close. Subclasses add the task's pre- and
 * post-processing.
 *
 * <p>Inference comes in two stages so that a caller can overlap them: {@link #stage} turns a frame into
 * input memory (pure Java, no engine), {@link #complete} runs the session on it and post-processes. There
 * are {@link #SLOTS} independent input memories: while the engine runs a frame staged in one slot, another
 * thread may stage the next frame in the other slot (see {@link OverlappedInference}). {@link #infer} does
 * both stages in slot 0.
 */
public abstract class OnnxModel implements LoadedModel {

    /** Number of input memories, so one frame can be staged while another runs. */
    public static final int SLOTS = 2;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final InputTensor[] inputs;
    private final OutputMemory output; // null: the output's shape is only known after the run
    private final RowSplitter rows;
    protected final ModelCard card;
    protected final ModelInfo info;
    private volatile boolean closed;

    OnnxModel(OrtEnvironment environment, OrtSession session, InputTensor[] inputs, ModelCard card, ModelInfo info,
              RowSplitter rows) {
        if (inputs.length != SLOTS) {
            throw new IllegalArgumentException("need " + SLOTS + " input memories, got " + inputs.length);
        }
        this.environment = environment;
        this.session = session;
        this.inputs = inputs.clone();
        this.output = pinnedOutput(session);
        this.rows = rows;
        this.card = card;
        this.info = info;
    }

    private static OutputMemory pinnedOutput(OrtSession session) {
        try {
            return OutputMemory.of(session).orElse(null);
        } catch (OrtException e) {
            return null; // the unpinned path reads the output ONNX Runtime allocates; slower, same values
        }
    }

    /** A frame turned into the input memory of {@code slot}, with what post-processing needs. */
    public record Staged(int slot, Frame frame, Object context, long preprocessNanos) {
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public InferenceResult infer(Frame frame) throws InferenceException {
        return complete(stage(frame, 0, rows));
    }

    /**
     * Preprocesses {@code frame} into the input memory of {@code slot}. One thread per slot at a time,
     * and not while that slot's previous frame is still inside {@link #complete}.
     */
    public Staged stage(Frame frame, int slot) {
        return stage(frame, slot, RowSplitter.inline()); // beside a running session: one thread, no helpers
    }

    private Staged stage(Frame frame, int slot, RowSplitter splitter) {
        checkOpen();
        long start = System.nanoTime();
        Object context = preprocess(frame, slot, inputs[slot], splitter);
        return new Staged(slot, frame, context, System.nanoTime() - start);
    }

    /** Runs the session on a staged frame and post-processes its output. One thread at a time. */
    public InferenceResult complete(Staged staged) throws InferenceException {
        checkOpen();
        long start = System.nanoTime();
        FloatBuffer output = run(inputs[staged.slot()]);
        long ran = System.nanoTime();
        return postprocess(staged, output, ran - start, ran);
    }

    /**
     * Fills {@code input} from the frame, sharing the rows out by {@code rows}; returns the context
     * post-processing needs (or null).
     */
    protected abstract Object preprocess(Frame frame, int slot, InputTensor input, RowSplitter rows);

    /**
     * Turns the model's first output (absolute positions from 0 to its limit) into the result; the buffer is
     * only valid during the call.
     *
     * @param postStartNanos {@link System#nanoTime()} when the run ended, for the post-processing time
     */
    protected abstract InferenceResult postprocess(Staged staged, FloatBuffer output, long inferenceNanos,
                                                   long postStartNanos);

    /** Refuses frames once the session is closed. */
    protected void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model " + info.displayName() + " is closed");
        }
    }

    /**
     * The model's first output, from index 0: the model's own output memory where it has one (valid until the
     * next run; decoding reads it in place instead of copying tens of thousands of floats first).
     */
    private FloatBuffer run(InputTensor input) throws InferenceException {
        if (output != null) {
            try (OnnxTensor tensor = input.tensor(environment);
                 OnnxTensor written = output.tensor(environment);
                 OrtSession.Result result = session.run(Map.of(card.input().name(), tensor), Map.of(output.name(), written))) {
                return output.view();
            } catch (OrtException e) {
                throw new InferenceException("model " + info.displayName() + " failed: " + e.getMessage(), e);
            }
        }
        try (OnnxTensor tensor = input.tensor(environment);
             OrtSession.Result result = session.run(Map.of(card.input().name(), tensor))) {
            return FloatBuffer.wrap(InputTensor.outputValues(result.get(0))); // batch of one: the whole output
        } catch (OrtException | ClassCastException e) {
            throw new InferenceException("model " + info.displayName() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        rows.close();
        try {
            session.close();
        } catch (OrtException e) {
            // Closing a session only fails if the native side is already gone; nothing to recover.
            LoggerFactory.getLogger(getClass()).warn("Closing the session of {} failed: {}", info.displayName(), e.getMessage());
        }
    }
}
