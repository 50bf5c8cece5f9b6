package io.linesight.model.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Map;
import java.util.Optional;

/**
 * Memory the session writes the model's first output into ("pinned" output), allocated once per model.
 * Reading an output ONNX Runtime allocated itself goes through {@code OnnxTensor.getFloatBuffer()}, which
 * copies element by element: 0.5-0.65 ms for YOLOv5n-320's 6300 x 6 floats on the 2-core target, a tenth of
 * the whole inference. Here the session writes into our direct buffer and one bulk copy takes it out.
 * Only for outputs whose shape is known before the run (a dynamic batch axis counts as 1).
 */
final class OutputMemory {

    private final String name;
    private final long[] shape;
    private final FloatBuffer floats;
    private final ShortBuffer halves;

    private OutputMemory(String name, long[] shape, boolean half, int elements) {
        this.name = name;
        this.shape = shape;
        ByteBuffer bytes = ByteBuffer.allocateDirect(elements * (half ? Short.BYTES : Float.BYTES))
                .order(ByteOrder.nativeOrder());
        this.floats = half ? null : bytes.asFloatBuffer();
        this.halves = half ? bytes.asShortBuffer() : null;
    }

    /** Memory for the session's first output, or empty when its shape is not fixed or it is not float. */
    static Optional<OutputMemory> of(OrtSession session) throws OrtException {
        Map.Entry<String, NodeInfo> first = session.getOutputInfo().entrySet().iterator().next();
        if (!(first.getValue().getInfo() instanceof TensorInfo info)
                || (info.type != OnnxJavaType.FLOAT && info.type != OnnxJavaType.FLOAT16)) {
            return Optional.empty();
        }
        long[] shape = info.getShape().clone();
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 && i == 0) {
                shape[i] = 1; // batch of one
            } else if (shape[i] < 0) {
                return Optional.empty();
            }
            elements *= shape[i];
        }
        if (elements <= 0 || elements > Integer.MAX_VALUE / Float.BYTES) {
            return Optional.empty();
        }
        return Optional.of(new OutputMemory(first.getKey(), shape, info.type == OnnxJavaType.FLOAT16, (int) elements));
    }

    String name() {
        return name;
    }

    /** A tensor over the memory for the session to write into; the caller closes it (the memory stays ours). */
    OnnxTensor tensor(OrtEnvironment environment) throws OrtException {
        return halves != null ? OnnxTensor.createTensor(environment, halves.duplicate(), shape, OnnxJavaType.FLOAT16)
                : OnnxTensor.createTensor(environment, floats.duplicate(), shape);
    }

    /**
     * What the last run wrote, read-only, as float32 (float16 outputs converted): the memory itself for float32
     * outputs, valid until the next run.
     */
    FloatBuffer view() {
        return floats != null ? floats.asReadOnlyBuffer().clear() : FloatBuffer.wrap(values());
    }

    /** What the last run wrote, as a new float32 array (float16 outputs converted). */
    float[] values() {
        if (floats != null) {
            float[] values = new float[floats.capacity()];
            floats.duplicate().clear().get(values);
            return values;
        }
        float[] values = new float[halves.capacity()];
        ShortBuffer source = halves.duplicate().clear();
        for (int i = 0; i < values.length; i++) {
            values[i] = Fp16Conversions.fp16ToFloat(source.get(i));
        }
        return values;
    }
}
