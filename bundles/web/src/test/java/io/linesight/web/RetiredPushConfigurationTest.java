package io.linesight.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** An installation upgraded with the old push configuration in place is told, once, what to move where. */
class RetiredPushConfigurationTest {

    @Test
    void theAdviceNamesTheFileTheTokenNamesAndACustomLimitButNoDigest() {
        String digest = "a".repeat(64);
        String advice = RetiredPushConfiguration.advice(Map.of(
                "felix.fileinstall.filename", "file:/opt/linesight/config/io.linesight.model.deploy.http.cfg",
                "tokens", new String[] {"ci:" + digest, "nightly:" + digest}, "maxPackageMegabytes", "500"));
        assertEquals("Model push is part of the web API now and file:/opt/linesight/config/io.linesight.model.deploy.http.cfg"
                + " is no longer read: its tokens [ci, nightly] are refused until you move them to 'tokens' of"
                + " io.linesight.web (config/io.linesight.web.cfg); set maxPackageMegabytes=500 there too; then delete the"
                + " old file (README, Web: REST API)", advice);
        assertFalse(advice.contains(digest));
    }

    @Test
    void theShippedFileWithoutTokensOnlyAsksToDeleteIt() {
        String advice = RetiredPushConfiguration.advice(Map.of("tokens", "", "maxPackageMegabytes", "200"));
        assertTrue(advice.endsWith("is no longer read: then delete the old file (README, Web: REST API)"), advice);
    }
}
