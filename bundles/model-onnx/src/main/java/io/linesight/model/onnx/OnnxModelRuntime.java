package io.linesight.model.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.linesight.api.model.LoadedModel;
import io.linesight.api.model.ModelInfo;
import io.linesight.api.model.ModelLoadException;
import io.linesight.api.model.ModelRuntime;
import io.linesight.api.model.Task;
import io.linesight.api.model.card.ModelCard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads model packages into ONNX Runtime sessions. One session per loaded model; the line that loaded
 * it closes it. Loading verifies the file's digest against the card and the session's input/output
 * against the card before anything runs, so a corrupt or mismatched package never reaches a line.
 */
@Component(service = ModelRuntime.class, property = ModelRuntime.RUNTIME + "=onnx",
        configurationPid = SessionSettings.PID)
@Designate(ocd = OnnxRunnerConfig.class)
public class OnnxModelRuntime implements ModelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxModelRuntime.class);

    private final SessionSettings settings;
    private final OrtEnvironment environment;

    @Activate
    public OnnxModelRuntime(OnnxRunnerConfig config) {
        this(SessionSettings.from(config));
    }

    OnnxModelRuntime(SessionSettings settings) {
        this.settings = settings;
        this.environment = OrtEnvironment.getEnvironment();
        LOG.info("ONNX Runtime {} runner ready: intraOpThreads={}, optimization={}, execution={}, spinning={},"
                + " stopSpinningAfterRun={}, preprocessThreads={}", OrtEnvironment.getEnvironment().getVersion(), settings.intraOpThreads(),
                settings.optimizationLevel(), settings.executionMode(), settings.intraOpSpinning(),
                settings.stopSpinningAfterRun(), settings.preprocessThreads());
    }

    @Override
    public LoadedModel load(Path packageDir) throws ModelLoadException {
        ModelCard parsed = ModelCards.parse(packageDir);
        if (parsed.file() == null || parsed.file().isBlank()) {
            throw new ModelLoadException("Model card " + packageDir.resolve(ModelCards.CARD_FILE)
                    + " names no model file (field 'file'): fix the card or redeploy the package");
        }
        Path modelFile = packageDir.resolve(parsed.file());
        String digest = verifiedDigest(parsed, modelFile);
        OrtSession session = openSession(modelFile);
        ModelCard card;
        InputTensor[] inputs = new InputTensor[OnnxModel.SLOTS];
        try {
            card = CardCompletion.complete(parsed, session);
            ModelCards.validate(card, packageDir);
            boolean detector = "detect".equals(card.task());
            if (detector) {
                checkDetectorSignature(session, card);
            } else {
                checkSignature(session, card);
            }
            for (int slot = 0; slot < inputs.length; slot++) {
                inputs[slot] = InputTensor.of(session, card.input().name(), inputShape(card, detector));
            }
        } catch (ModelLoadException e) {
            closeQuietly(session);
            throw e;
        } catch (OrtException | IllegalArgumentException e) {
            closeQuietly(session);
            throw mismatch(parsed, e.getMessage());
        }
        boolean detector = "detect".equals(card.task());
        ModelInfo info = new ModelInfo(card.name(), card.version(), digest,
                detector ? Task.DETECT : Task.CLASSIFY, card.labels());
        LOG.info("Loaded model {} ({}) from {} (sha256 {})", info.displayName(), info.task(), modelFile,
                digest.substring(0, 12));
        if (inputs[0].isHalfPrecision()) {
            LOG.info("Model {} takes float16 input; frames are converted to half precision", info.displayName());
        }
        RowSplitter rows = new RowSplitter(settings.preprocessThreads(), info.name());
        try {
            return detector ? new OnnxDetector(environment, session, inputs, card, info, rows)
                    : new OnnxClassifier(environment, session, inputs, card, info, rows);
        } catch (RuntimeException e) { // a preprocessing the card describes but the runner cannot build
            rows.close();
            closeQuietly(session);
            throw mismatch(parsed, e.getMessage());
        }
    }

    private static long[] inputShape(ModelCard card, boolean detector) {
        return detector
                ? new long[] {1, 3, card.preprocessing().letterbox().height(), card.preprocessing().letterbox().width()}
                : new long[] {1, 3, card.input().height(), card.input().width()};
    }

    private static String verifiedDigest(ModelCard card, Path modelFile) throws ModelLoadException {
        if (!Files.isRegularFile(modelFile)) {
            throw new ModelLoadException("Model file " + modelFile + " is missing: redeploy the package "
                    + card.name() + ":" + card.version());
        }
        String digest;
        try {
            digest = Digests.sha256(modelFile);
        } catch (IOException e) {
            throw new ModelLoadException("Model file " + modelFile + " cannot be read: " + e.getMessage(), e);
        }
        if (card.sha256() != null && !card.sha256().equalsIgnoreCase(digest)) {
            throw new ModelLoadException("Model file " + modelFile + " does not match its card (sha256 " + digest
                    + ", card says " + card.sha256() + "): the file is corrupt or was replaced; redeploy the package");
        }
        return digest;
    }

    private OrtSession openSession(Path modelFile) throws ModelLoadException {
        try (OrtSession.SessionOptions options = settings.toOptions()) {
            return environment.createSession(modelFile.toString(), options);
        } catch (OrtException e) {
            throw new ModelLoadException("ONNX Runtime cannot load " + modelFile + " (" + e.getMessage()
                    + "): the file is corrupt or uses unsupported operators; re-export it", e);
        }
    }

    /** The session must have the card's input name and an NCHW shape that fits the card and labels. */
    static void checkSignature(OrtSession session, ModelCard card) throws ModelLoadException {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            NodeInfo input = inputs.get(card.input().name());
            if (input == null) {
                throw mismatch(card, "has no input '" + card.input().name() + "', inputs are " + inputs.keySet());
            }
            checkElementType(card, (TensorInfo) input.getInfo());
            long[] shape = ((TensorInfo) input.getInfo()).getShape();
            if (shape.length != 4 || !fits(shape[1], 3) || !fits(shape[2], card.input().height())
                    || !fits(shape[3], card.input().width())) {
                throw mismatch(card, "input shape " + Arrays.toString(shape) + " does not fit [N,3,"
                        + card.input().height() + "," + card.input().width() + "]");
            }
            long[] out = ((TensorInfo) session.getOutputInfo().values().iterator().next().getInfo()).getShape();
            if (out.length != 2 || !fits(out[1], card.labels().size())) {
                throw mismatch(card, "output shape " + Arrays.toString(out) + " does not fit "
                        + card.labels().size() + " labels");
            }
        } catch (OrtException | ClassCastException e) {
            throw mismatch(card, "its signature cannot be read: " + e.getMessage());
        }
    }

    /** A YOLOv5 export: input [N,3,H,W] of the letterbox size, output [1, rows, 5 + classes]. */
    static void checkDetectorSignature(OrtSession session, ModelCard card) throws ModelLoadException {
        try {
            NodeInfo input = session.getInputInfo().get(card.input().name());
            if (input == null) {
                throw mismatch(card, "has no input '" + card.input().name() + "', inputs are " + session.getInputNames());
            }
            checkElementType(card, (TensorInfo) input.getInfo());
            long[] shape = ((TensorInfo) input.getInfo()).getShape();
            ModelCard.LetterboxSpec letterbox = card.preprocessing().letterbox();
            if (shape.length != 4 || !fits(shape[1], 3) || !fits(shape[2], letterbox.height())
                    || !fits(shape[3], letterbox.width())) {
                throw mismatch(card, "input shape " + Arrays.toString(shape) + " does not fit the letterbox [N,3,"
                        + letterbox.height() + "," + letterbox.width() + "]");
            }
            long[] out = ((TensorInfo) session.getOutputInfo().values().iterator().next().getInfo()).getShape();
            if (out.length != 3 || !fits(out[2], 5 + card.labels().size())) {
                throw mismatch(card, "output shape " + Arrays.toString(out) + " is not [1, rows, 5 + "
                        + card.labels().size() + "] (YOLOv5 export)");
            }
        } catch (OrtException | ClassCastException e) {
            throw mismatch(card, "its signature cannot be read: " + e.getMessage());
        }
    }

    /**
     * The card's {@code input.dtype}, when it gives one, must name the model's input element type
     * ({@code float32} or {@code float16}; INT8 QDQ exports take float32). A card that says otherwise was
     * written for another export of the model.
     */
    private static void checkElementType(ModelCard card, TensorInfo input) throws ModelLoadException {
        String declared = card.input().dtype();
        if (declared == null || declared.isBlank()) {
            return;
        }
        String actual = switch (input.type) {
            case FLOAT -> "float32";
            case FLOAT16 -> "float16";
            default -> input.type.name().toLowerCase(java.util.Locale.ROOT);
        };
        if (!actual.equals(declared.trim().toLowerCase(java.util.Locale.ROOT))) {
            throw mismatch(card, "input '" + card.input().name() + "' is " + actual + ", the card says " + declared);
        }
    }

    /** A dimension fits if it equals the expected size or is dynamic (-1). */
    private static boolean fits(long actual, long expected) {
        return actual == expected || actual < 0;
    }

    private static ModelLoadException mismatch(ModelCard card, String problem) {
        return new ModelLoadException("Model " + card.name() + ":" + card.version() + " does not match its card: "
                + problem + "; fix model.json or re-export the model");
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.debug("closing a rejected session failed", e);
        }
    }
}
