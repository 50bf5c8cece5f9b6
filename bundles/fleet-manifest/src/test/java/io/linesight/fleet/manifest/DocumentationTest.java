package io.linesight.fleet.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples in MANIFEST-FORMAT.md are real: the manifests parse, and the envelope opens with the key shown. */
class DocumentationTest {

    private static final Path DOCUMENT = Path.of("MANIFEST-FORMAT.md");
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PUBLIC_KEY = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----\n.*?\n-----END PUBLIC KEY-----\n", Pattern.DOTALL);

    @TempDir
    Path trustedKeys;

    @Test
    void theExampleManifestsParse() throws Exception {
        List<String> blocks = jsonBlocks();

        DeploymentManifest shadow = DeploymentManifest.parse(bytes(blocks.get(0)));
        DeploymentManifest direct = DeploymentManifest.parse(bytes(blocks.get(1)));

        assertEquals(DeploymentManifest.parse(Examples.shadowBytes()), shadow);
        assertInstanceOf(DeploymentManifest.Trial.Direct.class, direct.trial());
        assertTrue(direct.targets("plant", "any-box", "any-line"));
    }

    @Test
    void theExampleEnvelopeCarriesTheFirstExampleAndOpensWithTheKeyShown() throws Exception {
        String document = Files.readString(DOCUMENT);
        Matcher key = PUBLIC_KEY.matcher(document);
        assertTrue(key.find(), "the document shows a public key");
        Files.writeString(trustedKeys.resolve("plant-7.pub"), key.group());
        String envelope = jsonBlocks().get(2);

        SignedManifest.Verified verified = SignedManifest.verify(bytes(envelope), Keys.folder(trustedKeys));

        assertEquals("plant-7", verified.keyName());
        assertArrayEquals(bytes(jsonBlocks().get(0)), verified.manifestBytes());
        assertEquals(Optional.of("dm-2026-11-30-defect-0.2.0"), verified.manifest().previousDeploymentId());
    }

    private static List<String> jsonBlocks() throws Exception {
        Matcher block = JSON_BLOCK.matcher(Files.readString(DOCUMENT));
        List<String> blocks = new ArrayList<>();
        while (block.find()) {
            blocks.add(block.group(1));
        }
        assertEquals(3, blocks.size(), "manifest (shadow), manifest (direct), envelope");
        return blocks;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
