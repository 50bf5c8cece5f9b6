package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.model.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCardsTest {

    @TempDir
    Path dir;

    @Test
    void missingCardNamesThePackage() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelCards.read(dir));
        assertTrue(e.getMessage().contains("has no model.json"), e.getMessage());
    }

    @Test
    void malformedJsonIsReportedWithTheFile() throws Exception {
        Files.writeString(dir.resolve("model.json"), "{\"name\": ");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelCards.read(dir));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void everyMissingFieldIsListedAtOnce() throws Exception {
        Files.writeString(dir.resolve("model.json"), "{\"name\":\"m\",\"task\":\"segment\"}");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelCards.read(dir));
        for (String field : new String[] {"version is missing", "task must be classify or detect", "labels", "input is missing"}) {
            assertTrue(e.getMessage().contains(field), field + " in " + e.getMessage());
        }
    }

    @Test
    void completeCardIsRead() throws Exception {
        Files.writeString(dir.resolve("model.json"), """
                {"name":"m","version":"1.0.0","task":"classify","file":"model.onnx",
                 "input":{"name":"input","layout":"NCHW","height":8,"width":8,"dtype":"float32"},
                 "preprocessing":{"resize":{"mode":"fixed","height":8,"width":8},"scale":0.0039,
                   "mean":[0.5,0.5,0.5],"std":[0.25,0.25,0.25],"channelOrder":"RGB"},
                 "labels":["ok","defect"],"postprocessing":{"softmax":true,"topK":2}}
                """);
        ModelCard card = ModelCards.read(dir);
        assertEquals("m", card.name());
        assertEquals(2, card.labels().size());
        assertEquals(0.25f, card.preprocessing().std()[1]);
    }
}
