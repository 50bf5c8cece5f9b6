import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.OnnxJavaType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime from the model pipeline's side. Debian packages no onnxruntime for Python, so the
 * Python training scripts call this single-file Java program (through models/tools/ort) to run an
 * exported model in the same engine the runtime uses:
 *
 * <pre>
 *   ort latency MODEL.onnx [--threads 2] [--runs 200] [--warmup 20]
 *       one JSON line: median/p95/mean ms of session.run on a random batch-1 input
 *   ort run MODEL.onnx INPUT.npy OUTPUT_DIR [--threads 2]
 *       runs the model on every item of a float32 [N, ...] array one at a time and writes each graph
 *       output as OUTPUT_DIR/&lt;output name&gt;.npy (float32, items stacked on axis 0)
 * </pre>
 *
 * float16 inputs/outputs are converted from/to float32, so callers only ever see float32 arrays.
 */
public final class OrtTool {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage();
        }
        List<String> positional = new ArrayList<>();
        int threads = 2;
        int runs = 200;
        int warmup = 20;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> positional.add(args[i]);
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(positional.get(0), options)) {
                switch (args[0]) {
                    case "latency" -> latency(env, session, runs, warmup, threads);
                    case "run" -> {
                        if (positional.size() != 3) {
                            usage();
                        }
                        run(env, session, Path.of(positional.get(1)), Path.of(positional.get(2)));
                    }
                    default -> usage();
                }
            }
        }
    }

    private static void usage() {
        System.err.println("usage: ort latency MODEL.onnx [--threads N] [--runs N] [--warmup N]\n"
                + "       ort run MODEL.onnx INPUT.npy OUTPUT_DIR [--threads N]");
        System.exit(2);
    }

    private static void latency(OrtEnvironment env, OrtSession session, int runs, int warmup, int threads)
            throws Exception {
        Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
        TensorInfo info = (TensorInfo) input.getValue().getInfo();
        long[] shape = info.getShape().clone();
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shape[i] < 0 ? 1 : shape[i];
        }
        float[] data = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat();
        }
        double[] millis = new double[runs];
        try (OnnxTensor tensor = tensor(env, info.type, data, shape)) {
            for (int i = 0; i < warmup + runs; i++) {
                long start = System.nanoTime();
                try (OrtSession.Result ignored = session.run(Map.of(input.getKey(), tensor))) {
                    if (i >= warmup) {
                        millis[i - warmup] = (System.nanoTime() - start) / 1e6;
                    }
                }
            }
        }
        double mean = Arrays.stream(millis).average().orElse(Double.NaN);
        Arrays.sort(millis);
        System.out.printf(java.util.Locale.ROOT,
                "{\"median_ms\": %.4f, \"p95_ms\": %.4f, \"mean_ms\": %.4f, \"runs\": %d, \"threads\": %d,"
                        + " \"input\": \"%s\", \"shape\": \"%s\", \"dtype\": \"%s\"}%n",
                millis[runs / 2], millis[(int) Math.ceil(runs * 0.95) - 1], mean, runs, threads,
                input.getKey(), Arrays.toString(shape), info.type);
    }

    private static void run(OrtEnvironment env, OrtSession session, Path inputFile, Path outputDir)
            throws Exception {
        Npy in = Npy.read(inputFile);
        Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
        TensorInfo info = (TensorInfo) input.getValue().getInfo();
        long[] itemShape = in.shape.clone();
        itemShape[0] = 1;
        int itemSize = in.data.length / (int) in.shape[0];
        List<String> names = new ArrayList<>(session.getOutputNames());
        List<List<float[]>> outputs = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        names.forEach(n -> outputs.add(new ArrayList<>()));
        for (int item = 0; item < in.shape[0]; item++) {
            float[] slice = Arrays.copyOfRange(in.data, item * itemSize, (item + 1) * itemSize);
            try (OnnxTensor tensor = tensor(env, info.type, slice, itemShape);
                 OrtSession.Result result = session.run(Map.of(input.getKey(), tensor))) {
                for (int o = 0; o < names.size(); o++) {
                    OnnxTensor out = (OnnxTensor) result.get(o);
                    if (item == 0) {
                        shapes.add(out.getInfo().getShape());
                    }
                    outputs.get(o).add(floats(out));
                }
            }
        }
        Files.createDirectories(outputDir);
        for (int o = 0; o < names.size(); o++) {
            long[] shape = shapes.get(o).clone();
            shape[0] = in.shape[0] * Math.max(1, shape[0]);
            int total = outputs.get(o).stream().mapToInt(a -> a.length).sum();
            float[] all = new float[total];
            int at = 0;
            for (float[] part : outputs.get(o)) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            String file = names.get(o).replaceAll("[^A-Za-z0-9_.-]", "_") + ".npy";
            Npy.write(outputDir.resolve(file), shape, all);
        }
        System.out.println(String.join(",", names));
    }

    private static OnnxTensor tensor(OrtEnvironment env, OnnxJavaType type, float[] data, long[] shape)
            throws Exception {
        if (type == OnnxJavaType.FLOAT16) {
            ByteBuffer bytes = ByteBuffer.allocateDirect(data.length * 2).order(ByteOrder.nativeOrder());
            ShortBuffer halves = bytes.asShortBuffer();
            for (float f : data) {
                halves.put(ai.onnxruntime.platform.Fp16Conversions.floatToFp16(f));
            }
            halves.rewind();
            return OnnxTensor.createTensor(env, bytes, shape, OnnxJavaType.FLOAT16);
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
    }

    private static float[] floats(OnnxTensor tensor) {
        if (tensor.getInfo().type == OnnxJavaType.FLOAT16) {
            ShortBuffer halves = tensor.getShortBuffer();
            float[] out = new float[halves.remaining()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ai.onnxruntime.platform.Fp16Conversions.fp16ToFloat(halves.get(i));
            }
            return out;
        }
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** Minimal .npy (version 1.0, little-endian float32, C order) reader and writer. */
    private record Npy(long[] shape, float[] data) {

        static Npy read(Path file) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[6];
            bytes.get(magic);
            if (!"\u0093NUMPY".equals(new String(magic, StandardCharsets.ISO_8859_1))) {
                throw new IOException(file + " is not a .npy file");
            }
            int major = bytes.get();
            bytes.get();
            int headerLength = major == 1 ? Short.toUnsignedInt(bytes.getShort()) : bytes.getInt();
            byte[] header = new byte[headerLength];
            bytes.get(header);
            String text = new String(header, StandardCharsets.ISO_8859_1);
            if (!text.contains("'<f4'") || text.contains("'fortran_order': True")) {
                throw new IOException(file + ": need little-endian float32 in C order, header " + text.trim());
            }
            String dims = text.substring(text.indexOf("'shape': (") + 10, text.indexOf(')', text.indexOf("'shape'")));
            long[] shape = Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .mapToLong(Long::parseLong).toArray();
            float[] data = new float[bytes.remaining() / 4];
            bytes.asFloatBuffer().get(data);
            return new Npy(shape, data);
        }

        static void write(Path file, long[] shape, float[] data) throws IOException {
            StringBuilder dims = new StringBuilder();
            for (long d : shape) {
                dims.append(d).append(", ");
            }
            String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().trim() + "), }";
            int total = 10 + header.length() + 1;
            header = header + " ".repeat((64 - total % 64) % 64) + "\n";
            ByteBuffer out = ByteBuffer.allocate(10 + header.length() + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            out.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
            out.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
            out.asFloatBuffer().put(data);
            Files.write(file, out.array());
        }
    }
}
