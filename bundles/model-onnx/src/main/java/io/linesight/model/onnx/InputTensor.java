package io.linesight.model.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * The model's input tensor memory, allocated once per model and refilled for every frame: float32, or
 * float16 for half-precision exports (INT8 QDQ exports take float32). The element type comes from the
 * ONNX file, so a card cannot get it wrong.
 */
final class InputTensor {

    private final long[] shape;
    private final boolean half;
    private final FloatBuffer floats;
    private final ShortBuffer halves;
    /** Where preprocessing writes: the tensor memory itself for float32, a float32 staging area for float16. */
    private final FloatBuffer target;

    private InputTensor(long[] shape, boolean half) {
        this.shape = shape;
        this.half = half;
        int elements = (int) (shape[0] * shape[1] * shape[2] * shape[3]);
        ByteBuffer bytes = ByteBuffer.allocateDirect(elements * (half ? Short.BYTES : Float.BYTES))
                .order(ByteOrder.nativeOrder());
        this.floats = half ? null : bytes.asFloatBuffer();
        this.halves = half ? bytes.asShortBuffer() : null;
        this.target = half ? FloatBuffer.allocate(elements) : floats;
    }

    /** Input memory of the session's input {@code name}, with the given NCHW shape. */
    static InputTensor of(OrtSession session, String name, long[] shape) throws OrtException {
        NodeInfo input = session.getInputInfo().get(name);
        OnnxJavaType type = ((TensorInfo) input.getInfo()).type;
        if (type != OnnxJavaType.FLOAT && type != OnnxJavaType.FLOAT16) {
            throw new IllegalArgumentException("input '" + name + "' is " + type + "; float32 or float16 expected");
        }
        return new InputTensor(shape, type == OnnxJavaType.FLOAT16);
    }

    boolean isHalfPrecision() {
        return half;
    }

    /**
     * The memory preprocessing writes the input into, at absolute positions from 0; always the same buffer.
     * Call {@link #commit()} once it is written.
     */
    FloatBuffer target() {
        return target;
    }

    /** Makes what was written into {@link #target()} the tensor's content (converts it for float16 models). */
    void commit() {
        if (half) {
            for (int i = 0; i < target.capacity(); i++) {
                halves.put(i, Fp16Conversions.floatToFp16(target.get(i)));
            }
        }
    }

    /** Copies {@code values} into the reused memory and wraps it; the caller closes the tensor. */
    OnnxTensor wrap(OrtEnvironment environment, float[] values) throws OrtException {
        fill(values);
        return tensor(environment);
    }

    /** Copies {@code values} into the reused memory (converted to float16 for half-precision models). */
    void fill(float[] values) {
        if (half) {
            halves.clear();
            for (float v : values) {
                halves.put(Fp16Conversions.floatToFp16(v));
            }
            halves.flip();
        } else {
            floats.clear();
            floats.put(values).flip();
        }
    }

    /** A tensor over the memory as last filled; the caller closes it (the memory stays ours). */
    OnnxTensor tensor(OrtEnvironment environment) throws OrtException {
        return half ? OnnxTensor.createTensor(environment, halves.duplicate().clear(), shape, OnnxJavaType.FLOAT16)
                : OnnxTensor.createTensor(environment, floats.duplicate().clear(), shape);
    }

    /** The values of a float32 or float16 output, as float32. */
    static float[] outputValues(OnnxValue value) {
        OnnxTensor tensor = (OnnxTensor) value;
        FloatBuffer buffer = tensor.getInfo().type == OnnxJavaType.FLOAT16
                ? Fp16Conversions.convertFp16BufferToFloatBuffer(tensor.getShortBuffer())
                : tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
