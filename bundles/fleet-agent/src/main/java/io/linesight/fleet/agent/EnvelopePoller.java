package io.linesight.fleet.agent;

import io.linesight.fleet.manifest.SignedManifest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a signed envelope from an http(s) URL at a fixed interval, over the box's own outbound connection, and
 * hands each new one on: {@code If-None-Match} with the last {@code ETag} makes an unchanged envelope a bodiless
 * {@code 304}. A body larger than a signed manifest may be is cut off and ignored. One thread; failures are logged
 * once per kind and retried at the next interval.
 */
final class EnvelopePoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EnvelopePoller.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final URI url;
    private final Duration interval;
    private final BiConsumer<byte[], String> receiver;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "fleet-poll");
        thread.setDaemon(true);
        return thread;
    });
    private String etag = "";
    private String lastProblem = "";

    /**
     * @param receiver gets each new envelope and the URL it came from
     */
    EnvelopePoller(HttpClient client, URI url, Duration interval, BiConsumer<byte[], String> receiver) {
        this.client = Objects.requireNonNull(client, "client");
        this.url = Objects.requireNonNull(url, "url");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
    }

    void start() {
        timer.scheduleWithFixedDelay(this::pollQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            problem("cannot fetch " + url + ": " + e);
        }
    }

    /** One fetch; package-private for tests. */
    void poll() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(TIMEOUT).GET();
        if (!etag.isEmpty()) {
            request.header("If-None-Match", etag);
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() == 304) {
                lastProblem = "";
                return;
            }
            if (response.statusCode() != 200) {
                problem(url + " answered HTTP " + response.statusCode());
                return;
            }
            byte[] envelope = body.readNBytes(SignedManifest.MAX_BYTES + 1);
            if (envelope.length > SignedManifest.MAX_BYTES) {
                problem(url + " serves more than the " + SignedManifest.MAX_BYTES + " bytes a signed manifest may have");
                return;
            }
            lastProblem = "";
            etag = response.headers().firstValue("ETag").orElse("");
            receiver.accept(envelope, url.toString());
        }
    }

    private void problem(String sentence) {
        if (!sentence.equals(lastProblem)) {
            LOG.warn("fleet poll: {}; trying again every {} s", sentence, interval.toSeconds());
            lastProblem = sentence;
        }
    }
}
