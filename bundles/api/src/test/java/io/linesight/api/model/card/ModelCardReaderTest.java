package io.linesight.api.model.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.model.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API's card parser: strict JSON, typed fields, the gate, and the cards shipped in models/. */
class ModelCardReaderTest {

    @TempDir
    Path dir;

    @Test
    void everyShippedCardParsesAndValidates() throws Exception {
        List<Path> cards;
        try (Stream<Path> s = Files.list(Path.of("../../models"))) {
            cards = s.filter(p -> Files.isRegularFile(p.resolve(ModelCard.CARD_FILE))).sorted().toList();
        }
        assertTrue(cards.size() >= 5, cards.toString());
        for (Path pkg : cards) {
            ModelCard card = ModelCardReader.parse(pkg);
            assertEquals(List.of(), ModelCardReader.problems(card), pkg.toString());
            assertTrue(card.gate() != null && card.gate().latencyBudgetMs() != null, pkg + " has a gate");
        }
    }

    @Test
    void fieldsGateAndDefaultsAreRead() {
        ModelCard card = ModelCardReader.fromJson("""
                {"name":"sku","version":1.0,"task":"detect","file":"model.onnx","extra":{"ignored":[1,2]},
                 "input":{"name":"images","layout":"NCHW","height":320,"width":"320"},
                 "preprocessing":{"letterbox":{"height":320,"width":320,"padValue":114},"scale":0.00392156862745098,
                   "mean":[0,0,0],"std":[1,1,1],"channelOrder":"RGB"},
                 "labels":["a","b\\u00e9"],"postprocessing":{"confidenceThreshold":0.25,"iouThreshold":0.45,"maxDetections":100},
                 "gate":{"minMap50":0.5,"latencyBudgetMs":"fast"}}
                """, true);
        assertEquals("sku@1.0", card.id());
        assertTrue(card.detector());
        assertEquals(320, card.input().width());
        assertNull(card.input().dtype());
        assertEquals("bé", card.labels().get(1));
        assertEquals(0.25f, card.postprocessing().confidenceThreshold());
        assertEquals(0.5, card.gate().minMap50());
        assertNull(card.gate().minAccuracy());
        assertNull(card.gate().latencyBudgetMs(), "a gate figure that is not a number counts as not given");
        assertEquals(List.of(), ModelCardReader.problems(card));
        assertNull(ModelCardReader.fromJson("  \n", true));
    }

    @Test
    void malformedJsonAndWrongKindsAreOneSentenceNamingTheSpot() {
        String[][] cases = {
            {"{\"name\": ", "the document ends where a value should be at line 1 column 10"},
            {"{\"name\":\"m\",}", "expected a quoted member name at line 1 column 13"},
            {"{\"name\":\"m\"} x", "unexpected 'x' after the end of the document"},
            {"{\"name\":\"m\", // comment\n}", "expected a quoted member name"},
            {"{\"name\":\"a\",\"name\":\"b\"}", "member \"name\" appears twice"},
            {"[1]", "the card must be a JSON object, was an array"},
            {"{\"input\":{\"height\":8.5}}", "input.height must be a whole number, was 8.5"},
            {"{\"input\":{\"height\":\"tall\"}}", "input.height must be a number, was \"tall\""},
            {"{\"preprocessing\":{\"mean\":[0.5,\"x\",0.5]}}", "preprocessing.mean[1] must be a number"},
            {"{\"labels\":\"ok\"}", "labels must be an array, was \"ok\""},
            {"{\"input\":[]}", "input must be an object, was an array"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelCardReader.fromJson(c[0], true), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[1] + " in " + e.getMessage());
        }
    }

    @Test
    void unknownPreprocessingFieldsRefuseAStrictReadOnly() throws Exception {
        String json = "{\"name\":\"m\",\"version\":\"1\",\"preprocessing\":{\"resize\":{\"mode\":\"fixed\","
                + "\"interpolaton\":\"bicubic\"},\"colour\":1}}";
        var e = assertThrows(ModelCardReader.UnknownPreprocessingFields.class, () -> ModelCardReader.fromJson(json, true));
        assertEquals(List.of("preprocessing.colour", "preprocessing.resize.interpolaton"), e.fields().stream().sorted().toList());
        assertEquals("m", ModelCardReader.fromJson(json, false).name());
        Files.writeString(dir.resolve(ModelCard.CARD_FILE), json);
        ModelLoadException refused = assertThrows(ModelLoadException.class, () -> ModelCardReader.parse(dir));
        assertTrue(refused.getMessage().contains("has preprocessing fields the runner does not know"), refused.getMessage());
        Files.writeString(dir.resolve(ModelCard.CARD_FILE), "");
        refused = assertThrows(ModelLoadException.class, () -> ModelCardReader.parse(dir));
        assertTrue(refused.getMessage().endsWith("is empty: redeploy the package"), refused.getMessage());
    }
}
