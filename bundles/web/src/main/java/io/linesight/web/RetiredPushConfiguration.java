package io.linesight.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model push used to be a bundle of its own with its own token list (PID {@value #PID}). It is now a route of the
 * web API with the web's tokens. An installation upgraded with its old {@code io.linesight.model.deploy.http.cfg} still
 * in place gets one WARN saying what to move where; the old tokens are not honoured, because a token of the web's list
 * may also reset counters and acknowledge alarms, which a push token never could.
 */
@Component(configurationPid = RetiredPushConfiguration.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
public class RetiredPushConfiguration {

    static final String PID = "io.linesight.model.deploy.http";
    private static final Logger LOG = LoggerFactory.getLogger(RetiredPushConfiguration.class);

    @Activate
    public RetiredPushConfiguration(Map<String, Object> properties) {
        LOG.warn(advice(properties));
    }

    /** The one sentence for the log: which file, which token names (never their digests), and what to do. */
    static String advice(Map<String, Object> properties) {
        Object file = properties.getOrDefault("felix.fileinstall.filename", "the configuration " + PID);
        List<String> names = tokenNames(properties.get("tokens"));
        Object megabytes = properties.get("maxPackageMegabytes");
        boolean customLimit = megabytes != null && !"200".equals(String.valueOf(megabytes).trim());
        return "Model push is part of the web API now and " + file + " is no longer read: "
                + (names.isEmpty() ? "" : "its tokens " + names + " are refused until you move them to 'tokens' of "
                        + WebSettings.PID + " (config/io.linesight.web.cfg); ")
                + (customLimit ? "set maxPackageMegabytes=" + megabytes + " there too; " : "")
                + "then delete the old file (README, Web: REST API)";
    }

    private static List<String> tokenNames(Object tokens) {
        List<String> names = new ArrayList<>();
        Object[] entries = tokens instanceof Object[] array ? array
                : tokens instanceof java.util.Collection<?> collection ? collection.toArray()
                : tokens == null ? new Object[0] : String.valueOf(tokens).split(",");
        for (Object entry : entries) {
            String text = String.valueOf(entry).trim();
            int colon = text.indexOf(':');
            if (colon > 0) {
                names.add(text.substring(0, colon).trim());
            } else if (!text.isEmpty()) {
                names.add("(malformed entry)");
            }
        }
        return names;
    }
}
