package io.linesight.model.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an ONNX file holds that ONNX Runtime does not tell: opset, operator counts, parameter count,
 * nonzero parameters (sparsity after pruning) and the element types of the weights (precision). Read
 * straight from the protobuf wire format (ModelProto / GraphProto / TensorProto field numbers of
 * onnx.proto), so no protobuf library is needed.
 *
 * @param irVersion         ONNX IR version
 * @param opsets            opset version per domain ("" is the default ai.onnx domain)
 * @param operators         node count per operator type
 * @param parameters        elements in all initializers
 * @param nonzeroParameters elements that are not zero
 * @param parametersByType  elements per ONNX data type name (FLOAT, FLOAT16, INT8, ...)
 * @param fileBytes         size of the file
 */
record OnnxFileSummary(long irVersion, Map<String, Long> opsets, Map<String, Integer> operators, long parameters,
                       long nonzeroParameters, Map<String, Long> parametersByType, long fileBytes) {

    private static final String[] TYPE_NAMES = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32",
        "INT64", "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};
    private static final int[] TYPE_BYTES = {0, 4, 1, 1, 2, 2, 4, 8, 0, 1, 2, 8, 4, 8, 8, 16, 2};

    static OnnxFileSummary read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Builder b = new Builder();
        b.fileBytes = bytes.length;
        ProtoReader model = new ProtoReader(ByteBuffer.wrap(bytes));
        while (model.next()) {
            switch (model.field()) {
                case 1 -> b.irVersion = model.varint();
                case 8 -> b.opset(model.message());
                case 7 -> b.graph(model.message());
                default -> model.skip();
            }
        }
        return b.build();
    }

    /** Fraction of parameters that are zero. */
    double sparsity() {
        return parameters == 0 ? 0 : 1.0 - (double) nonzeroParameters / parameters;
    }

    /** fp32, fp16, or int8 (QDQ) when the graph quantizes and dequantizes. */
    String precision() {
        if (operators.containsKey("DequantizeLinear") || operators.containsKey("QLinearConv")) {
            return "int8 (QDQ)";
        }
        long half = parametersByType.getOrDefault("FLOAT16", 0L);
        long single = parametersByType.getOrDefault("FLOAT", 0L);
        return half > single ? "fp16" : "fp32";
    }

    private static final class Builder {
        long irVersion;
        long fileBytes;
        long parameters;
        long nonzero;
        final Map<String, Long> opsets = new LinkedHashMap<>();
        final Map<String, Integer> operators = new TreeMap<>();
        final Map<String, Long> byType = new TreeMap<>();

        void opset(ProtoReader r) {
            String domain = "";
            long version = 0;
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> domain = r.string();
                    case 2 -> version = r.varint();
                    default -> r.skip();
                }
            }
            opsets.put(domain, version);
        }

        void graph(ProtoReader r) {
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> node(r.message());
                    case 5 -> tensor(r.message());
                    default -> r.skip();
                }
            }
        }

        void node(ProtoReader r) {
            while (r.next()) {
                if (r.field() == 4) {
                    operators.merge(r.string(), 1, Integer::sum);
                } else {
                    r.skip();
                }
            }
        }

        void tensor(ProtoReader r) {
            long elements = 1;
            int type = 0;
            ByteBuffer raw = null;
            long nonzeroTyped = 0;
            boolean typedData = false;
            while (r.next()) {
                switch (r.field()) {
                    case 1 -> elements *= r.wireType() == 2 ? r.packedVarintProduct() : r.varint();
                    case 2 -> type = (int) r.varint();
                    case 9 -> raw = r.bytes();
                    case 4 -> { typedData = true; nonzeroTyped += r.nonzeroPackedFloats(); }
                    case 5, 7 -> { typedData = true; nonzeroTyped += r.nonzeroPackedVarints(); }
                    default -> r.skip();
                }
            }
            parameters += elements;
            byType.merge(type < TYPE_NAMES.length ? TYPE_NAMES[type] : "TYPE" + type, elements, Long::sum);
            if (raw != null) {
                nonzero += countNonzero(raw, type);
            } else if (typedData) {
                nonzero += nonzeroTyped;
            } else {
                nonzero += elements; // external data: not inspected, counted as dense
            }
        }

        static long countNonzero(ByteBuffer raw, int type) {
            raw.order(ByteOrder.LITTLE_ENDIAN);
            long count = 0;
            if (type == 1) {
                while (raw.remaining() >= 4) {
                    count += raw.getFloat() != 0f ? 1 : 0;
                }
                return count;
            }
            int size = type < TYPE_BYTES.length && TYPE_BYTES[type] > 0 ? TYPE_BYTES[type] : 1;
            boolean halfFloat = type == 10 || type == 16;
            while (raw.remaining() >= size) {
                long bits = 0;
                for (int i = 0; i < size; i++) {
                    bits |= (long) (raw.get() & 0xFF) << (8 * i);
                }
                count += (halfFloat ? (bits & 0x7FFF) : bits) != 0 ? 1 : 0; // -0.0 is zero
            }
            return count;
        }

        OnnxFileSummary build() {
            return new OnnxFileSummary(irVersion, opsets, operators, parameters, nonzero, byType, fileBytes);
        }
    }

    /** Protocol buffers wire format: just enough to walk messages. */
    static final class ProtoReader {
        private final ByteBuffer in;
        private int field;
        private int wireType;

        ProtoReader(ByteBuffer in) {
            this.in = in;
        }

        boolean next() {
            if (!in.hasRemaining()) {
                return false;
            }
            long key = varint();
            field = (int) (key >>> 3);
            wireType = (int) (key & 7);
            return true;
        }

        int field() {
            return field;
        }

        int wireType() {
            return wireType;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = in.get();
                result |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return result;
                }
            }
        }

        ByteBuffer bytes() {
            int length = (int) varint();
            ByteBuffer slice = in.slice();
            slice.limit(length);
            in.position(in.position() + length);
            return slice;
        }

        ProtoReader message() {
            return new ProtoReader(bytes());
        }

        String string() {
            ByteBuffer b = bytes();
            byte[] chars = new byte[b.remaining()];
            b.get(chars);
            return new String(chars, java.nio.charset.StandardCharsets.UTF_8);
        }

        long packedVarintProduct() {
            ProtoReader packed = new ProtoReader(bytes());
            long product = 1;
            while (packed.in.hasRemaining()) {
                product *= packed.varint();
            }
            return product;
        }

        long nonzeroPackedVarints() {
            if (wireType != 2) {
                return varint() != 0 ? 1 : 0;
            }
            ProtoReader packed = new ProtoReader(bytes());
            long count = 0;
            while (packed.in.hasRemaining()) {
                count += packed.varint() != 0 ? 1 : 0;
            }
            return count;
        }

        long nonzeroPackedFloats() {
            if (wireType == 5) {
                return in.order(ByteOrder.LITTLE_ENDIAN).getFloat() != 0f ? 1 : 0;
            }
            ByteBuffer b = bytes().order(ByteOrder.LITTLE_ENDIAN);
            long count = 0;
            while (b.remaining() >= 4) {
                count += b.getFloat() != 0f ? 1 : 0;
            }
            return count;
        }

        void skip() {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> in.position(in.position() + 8);
                case 2 -> bytes();
                case 5 -> in.position(in.position() + 4);
                default -> throw new IllegalArgumentException("not an ONNX file: protobuf wire type " + wireType);
            }
        }
    }
}
