package io.linesight.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linesight.api.model.ModelLoadException;
import io.linesight.api.model.card.ModelCard;
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

    private ModelLoadException refused(String preprocessing) throws Exception {
        Files.writeString(dir.resolve("model.json"), """
                {"name":"m","version":"1.0.0","task":"classify","file":"model.onnx",
                 "input":{"name":"input","layout":"NCHW","height":224,"width":224},
                 "preprocessing":%s,
                 "labels":["ok","defect"]}
                """.formatted(preprocessing));
        return assertThrows(ModelLoadException.class, () -> ModelCards.read(dir));
    }

    private static final String NORMALISE = "\"scale\":0.00392156862745098,\"mean\":[0.5,0.5,0.5],"
            + "\"std\":[0.25,0.25,0.25],\"channelOrder\":\"RGB\"";

    @Test
    void everyRecipeFieldIsHonouredOrRefusedByName() throws Exception {
        String[][] cases = {
            {"{\"recipe\":\"opencv\",\"resize\":{\"mode\":\"fixed\",\"height\":224,\"width\":224}," + NORMALISE + "}",
                "preprocessing.recipe 'opencv' is not known; allowed: pil, torch-tensor, cv2"},
            {"{\"recipe\":\"pil\",\"resize\":{\"mode\":\"fixed\",\"height\":224,\"width\":224,\"interpolation\":\"area\"},"
                + NORMALISE + "}", "preprocessing.resize.interpolation 'area' is not available with recipe pil"},
            {"{\"recipe\":\"pil\",\"resize\":{\"mode\":\"shorter\",\"size\":256,\"antialias\":false},"
                + "\"centerCrop\":{\"height\":224,\"width\":224}," + NORMALISE + "}",
                "antialias false is not possible with recipe pil"},
            {"{\"recipe\":\"torch-tensor\",\"resize\":{\"mode\":\"fixed\",\"height\":224,\"width\":224,"
                + "\"input\":\"uint8\"}," + NORMALISE + "}", "preprocessing.resize.antialias must be true or false"},
            {"{\"recipe\":\"torch-tensor\",\"resize\":{\"mode\":\"fixed\",\"height\":224,\"width\":224,"
                + "\"antialias\":true}," + NORMALISE + "}", "preprocessing.resize.input must be uint8"},
            {"{\"recipe\":\"cv2\",\"resize\":{\"mode\":\"fixed\",\"height\":224,\"width\":224,"
                + "\"antialias\":true}," + NORMALISE + "}", "antialias true is not an OpenCV option"},
            {"{\"recipe\":\"pil\",\"resize\":{\"mode\":\"shorter\",\"size\":200},"
                + "\"centerCrop\":{\"height\":224,\"width\":224}," + NORMALISE + "}",
                "preprocessing.centerCrop 224x224 is larger than the resized image"},
            {"{\"recipe\":\"pil\",\"resize\":{\"mode\":\"fixed\",\"height\":256,\"width\":256}," + NORMALISE + "}",
                "preprocessing ends at 256x256 but input is 224x224"},
            {"{\"recipe\":\"pil\",\"resize\":{\"mode\":\"fixed\",\"height\":224,\"width\":224,"
                + "\"interpolaton\":\"bicubic\"}," + NORMALISE + "}", "preprocessing.resize.interpolaton"},
        };
        for (String[] c : cases) {
            ModelLoadException e = refused(c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[1] + " in " + e.getMessage());
        }
    }

    @Test
    void aCardWithoutRecipeGetsItsTasksCommonOneAndVersionOneCardsKeepTheirMeaning() throws Exception {
        Files.writeString(dir.resolve("model.json"), """
                {"name":"m","version":"1.0.0","task":"classify","file":"model.onnx",
                 "input":{"name":"input","layout":"NCHW","height":8,"width":8},
                 "preprocessing":{"resize":{"mode":"fixed","height":8,"width":8},%s},
                 "labels":["ok","defect"]}
                """.formatted(NORMALISE));
        assertEquals("pil", ModelCards.read(dir).preprocessing().recipe());
        Files.writeString(dir.resolve("model.json"), """
                {"name":"m","version":"1.0.0","task":"classify","file":"model.onnx",
                 "input":{"name":"input","layout":"NCHW","height":8,"width":8},
                 "preprocessing":{"resize":{"mode":"fixed","height":8,"width":8,"antialias":false},%s},
                 "labels":["ok","defect"]}
                """.formatted(NORMALISE));
        ModelCard v1 = ModelCards.read(dir);
        assertEquals("torch-tensor", v1.preprocessing().recipe());
        assertEquals("float32", v1.preprocessing().resize().input());
        String warnings = ModelReport.recipeWarnings(v1, false);
        assertTrue(warnings.contains("names no preprocessing.recipe"), warnings);
    }
}
