package io.linesight.deploy.http;

/** Validated push settings; a bad value is refused naming the property. */
record PushSettings(BearerTokens tokens, long maxPackageBytes) {

    static final String PID = "io.linesight.model.deploy.http";

    static PushSettings from(PushConfig config) {
        if (config.maxPackageMegabytes() < 1 || config.maxPackageMegabytes() > 2048) {
            throw new IllegalArgumentException("Invalid configuration " + PID + ": maxPackageMegabytes must be within 1..2048, was "
                    + config.maxPackageMegabytes());
        }
        BearerTokens tokens = BearerTokens.parse(config.tokens(), "Invalid configuration " + PID + ": tokens");
        return new PushSettings(tokens, config.maxPackageMegabytes() * 1024L * 1024L);
    }
}
