package io.linesight.it;

import static io.linesight.it.Reflect.call;
import static io.linesight.it.Reflect.callStatic;
import static io.linesight.it.Reflect.field;
import static io.linesight.it.Reflect.newInstance;
import static io.linesight.it.Reflect.staticField;
import static io.linesight.it.Reflect.types;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Starts a real Felix framework, installs the native wrapper bundles (ONNX Runtime, JavaCV/FFmpeg) and
 * proves their natives load and compute correctly from inside their bundles' class loaders.
 *
 * <p>The wrapped libraries are not on the test class path (see the surefire configuration), so every
 * call goes through {@link Bundle#loadClass(String)} and {@link Reflect}.
 */
class NativeLibrariesInFelixTest {

    private static final String ORT_BSN = "io.linesight.lib.onnxruntime";
    private static final String JAVACV_BSN = "io.linesight.lib.javacv";
    private static final long STOP_TIMEOUT_MS = 10_000;

    /** Model made by scripts/make_tiny_model.py; input and expected scores come from the same script. */
    private static final String MODEL_RESOURCE = "/models/tiny-conv-softmax.onnx";
    private static final long[] MODEL_INPUT_SHAPE = {1, 3, 4, 4};
    private static final float[] EXPECTED_SCORES = {0.308442712f, 0.158277310f, 0.398531339f, 0.134748640f};
    private static final float SCORE_TOLERANCE = 1e-5f;

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private static final int FRAME_COUNT = 30;
    private static final double FRAME_RATE = 30.0;
    /** MPEG-4 at qscale 1 and the BGR->YUV420->BGR round trip move a flat colour by a few levels. */
    private static final int COLOUR_TOLERANCE = 10;

    @TempDir
    static Path frameworkStorage;

    private static Framework framework;
    private static Map<String, Bundle> wrappers;

    @BeforeAll
    static void startFrameworkWithWrappers() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, frameworkStorage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // slf4j + logback live on the class path, as in the LineSight launcher
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.slf4j;version=2.0.17");

        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the class path"));
        framework = factory.newFramework(config);
        framework.start();
        wrappers = installAndStart(framework.getBundleContext(), bundleJars());
    }

    @AfterAll
    static void stopFrameworkWithinTimeout() throws Exception {
        if (framework == null) {
            return;
        }
        framework.stop();
        FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT_MS);
        assertEquals(FrameworkEvent.STOPPED, event.getType(),
                "framework did not stop within " + STOP_TIMEOUT_MS + " ms (event type " + event.getType() + ")");
    }

    @Test
    void everyWrapperBundleIsActive() {
        assertEquals(Set.of(ORT_BSN, JAVACV_BSN), wrappers.keySet());
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            assertEquals(Bundle.ACTIVE, bundle.getState(), bundle.getSymbolicName() + " is not ACTIVE");
        }
    }

    @Test
    void javacvBundleIsWiredToSlf4jOfTheSystemBundle() {
        // the import is optional; if it did not resolve JavaCPP's slf4j logger would fail at run time
        List<BundleWire> slf4j = wiring(wrappers.get(JAVACV_BSN)).getRequiredWires("osgi.wiring.package").stream()
                .filter(wire -> "org.slf4j".equals(wire.getCapability().getAttributes().get("osgi.wiring.package")))
                .collect(Collectors.toList());
        assertEquals(1, slf4j.size(), "javacv bundle has no wire for org.slf4j");
        assertEquals(0L, slf4j.get(0).getProvider().getBundle().getBundleId());
    }

    @Test
    void onnxRuntimeRunsModelInsideFramework() throws Exception {
        Bundle ort = wrappers.get(ORT_BSN);
        Class<?> environmentType = ort.loadClass("ai.onnxruntime.OrtEnvironment");
        Class<?> tensorType = ort.loadClass("ai.onnxruntime.OnnxTensor");
        assertSame(wiring(ort).getClassLoader(), environmentType.getClassLoader(),
                "OrtEnvironment must come from the wrapper bundle");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ai.onnxruntime.OrtEnvironment", false,
                NativeLibrariesInFelixTest.class.getClassLoader()), "ONNX Runtime leaked onto the test class path");

        Object environment = callStatic(environmentType, "getEnvironment", types());
        try (AutoCloseable session = (AutoCloseable) call(environment, "createSession", types(String.class),
                modelPath().toString())) {
            assertEquals(Set.of("image"), call(session, "getInputNames", types()));
            try (AutoCloseable input = (AutoCloseable) callStatic(tensorType, "createTensor",
                    types(environmentType, FloatBuffer.class, long[].class),
                    environment, FloatBuffer.wrap(modelInput()), MODEL_INPUT_SHAPE);
                 AutoCloseable result = (AutoCloseable) call(session, "run", types(Map.class), Map.of("image", input))) {
                Object scores = call(call(result, "get", types(int.class), 0), "getValue", types());
                assertArrayEquals(EXPECTED_SCORES, ((float[][]) scores)[0], SCORE_TOLERANCE);
            }
        }
    }

    @Test
    void ffmpegRecordsAndDecodesVideoInsideFramework(@TempDir Path videoDir) throws Exception {
        Bundle javacv = wrappers.get(JAVACV_BSN);
        Class<?> grabberType = javacv.loadClass("org.bytedeco.javacv.FFmpegFrameGrabber");
        assertSame(wiring(javacv).getClassLoader(), grabberType.getClassLoader(),
                "FFmpegFrameGrabber must come from the wrapper bundle");

        Path video = videoDir.resolve("colours.mp4");
        recordColourVideo(javacv, video);
        assertTrue(Files.size(video) > 0, "recorder wrote an empty file");

        try (AutoCloseable grabber = (AutoCloseable) newInstance(grabberType, types(String.class), video.toString())) {
            call(grabber, "start", types());
            assertEquals(WIDTH, call(grabber, "getImageWidth", types()));
            assertEquals(HEIGHT, call(grabber, "getImageHeight", types()));
            assertEquals(FRAME_COUNT, call(grabber, "getLengthInFrames", types()));

            List<int[]> centreColours = new ArrayList<>();
            for (Object frame = grabImage(grabber); frame != null; frame = grabImage(grabber)) {
                assertEquals(WIDTH, field(frame, "imageWidth"));
                centreColours.add(pixel(frame, WIDTH / 2, HEIGHT / 2));
            }
            assertEquals(FRAME_COUNT, centreColours.size(), "decoded frame count");
            for (int i = 0; i < FRAME_COUNT; i++) {
                assertColourClose(colourOf(i), centreColours.get(i), i);
            }
        }
    }

    // ---- FFmpeg helpers -------------------------------------------------------------------------------

    private static void recordColourVideo(Bundle javacv, Path video) throws Exception {
        Class<?> recorderType = javacv.loadClass("org.bytedeco.javacv.FFmpegFrameRecorder");
        Class<?> frameType = javacv.loadClass("org.bytedeco.javacv.Frame");
        int mpeg4 = (int) staticField(javacv.loadClass("org.bytedeco.ffmpeg.global.avcodec"), "AV_CODEC_ID_MPEG4");
        int depthUnsignedByte = (int) staticField(frameType, "DEPTH_UBYTE");

        try (AutoCloseable recorder = (AutoCloseable) newInstance(recorderType,
                types(String.class, int.class, int.class), video.toString(), WIDTH, HEIGHT)) {
            call(recorder, "setFormat", types(String.class), "mp4");
            call(recorder, "setVideoCodec", types(int.class), mpeg4);
            call(recorder, "setFrameRate", types(double.class), FRAME_RATE);
            call(recorder, "setVideoQuality", types(double.class), 1.0); // qscale 1: finest MPEG-4 quantiser
            call(recorder, "start", types());
            Object frame = newInstance(frameType, types(int.class, int.class, int.class, int.class),
                    WIDTH, HEIGHT, depthUnsignedByte, 3);
            for (int i = 0; i < FRAME_COUNT; i++) {
                fill(frame, colourOf(i));
                call(recorder, "record", types(frameType), frame);
            }
            call(recorder, "stop", types()); // writes the trailer; close() then only releases
        }
    }

    private static Object grabImage(Object grabber) throws Exception {
        return call(grabber, "grabImage", types());
    }

    /**
     * Solid colour (B, G, R) of frame {@code index}. Every channel changes with the index; red jumps by at
     * least 67 levels between neighbours, so a dropped, repeated or reordered frame fails the check.
     */
    private static int[] colourOf(int index) {
        return new int[] {20 + 7 * index, 230 - 7 * index, 30 + (67 * index) % 200};
    }

    private static void fill(Object frame, int[] bgr) throws ReflectiveOperationException {
        ByteBuffer pixels = imageBuffer(frame);
        int stride = (int) field(frame, "imageStride");
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int offset = y * stride + x * 3;
                for (int c = 0; c < 3; c++) {
                    pixels.put(offset + c, (byte) bgr[c]);
                }
            }
        }
    }

    private static int[] pixel(Object frame, int x, int y) throws ReflectiveOperationException {
        ByteBuffer pixels = imageBuffer(frame);
        int offset = y * (int) field(frame, "imageStride") + x * 3;
        return new int[] {
            pixels.get(offset) & 0xFF, pixels.get(offset + 1) & 0xFF, pixels.get(offset + 2) & 0xFF};
    }

    private static ByteBuffer imageBuffer(Object frame) throws ReflectiveOperationException {
        Buffer[] planes = (Buffer[]) field(frame, "image");
        assertNotNull(planes, "frame has no image");
        return (ByteBuffer) planes[0];
    }

    private static void assertColourClose(int[] expected, int[] actual, int frameIndex) {
        for (int c = 0; c < 3; c++) {
            int channel = c;
            assertTrue(Math.abs(expected[c] - actual[c]) <= COLOUR_TOLERANCE,
                    () -> String.format("frame %d channel %d (BGR): wrote %d, decoded %d", frameIndex, channel,
                            expected[channel], actual[channel]));
        }
    }

    // ---- ONNX helpers ---------------------------------------------------------------------------------

    /** Same formula as scripts/make_tiny_model.py#test_input: x[i] = ((i % 7) - 3) / 4, NCHW order. */
    private static float[] modelInput() {
        float[] input = new float[1 * 3 * 4 * 4];
        for (int i = 0; i < input.length; i++) {
            input[i] = ((i % 7) - 3) / 4.0f;
        }
        return input;
    }

    private static Path modelPath() throws URISyntaxException {
        return Path.of(NativeLibrariesInFelixTest.class.getResource(MODEL_RESOURCE).toURI());
    }

    // ---- framework helpers ----------------------------------------------------------------------------

    private static List<Path> bundleJars() throws IOException {
        Path dir = Path.of(System.getProperty("linesight.it.bundles", "target/it-bundles"));
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
            assertFalse(jars.isEmpty(), "no bundle jars in " + dir.toAbsolutePath());
            return jars;
        }
    }

    private static Map<String, Bundle> installAndStart(BundleContext context, List<Path> jars) throws Exception {
        Map<String, Bundle> installed = new HashMap<>();
        for (Path jar : jars) {
            Bundle bundle = context.installBundle(jar.toUri().toString());
            installed.put(bundle.getSymbolicName(), bundle);
        }
        for (Bundle bundle : installed.values()) {
            bundle.start();
        }
        return installed;
    }

    private static BundleWiring wiring(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        assertNotNull(wiring, bundle.getSymbolicName() + " is not resolved");
        return wiring;
    }
}
