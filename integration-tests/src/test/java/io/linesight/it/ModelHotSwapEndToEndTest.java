package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A model goes live while the conveyor runs, over every arrival path, and no frame is lost or judged by
 * a half-loaded model: signed packages made with {@code models/sign} are pushed over HTTP (the web API's bearer
 * token; the retired push bundle's token is refused with one WARN; GET /api/models needs a token under TOKEN read access),
 * dropped into the drop folder, rolled back from the console; a tampered package and a push without a
 * token are refused; every swap keeps NO_MODEL at zero; after a restart the line comes back with the
 * model activated last.
 */
class ModelHotSwapEndToEndTest {

    private static final Pattern NO_MODEL = Pattern.compile("NO_MODEL\\s+(\\d+)");
    private static final Pattern INFERENCE_ERROR = Pattern.compile("INFERENCE_ERROR\\s+(\\d+)");
    private static final Pattern INSPECTED = Pattern.compile("inspected\\s+(\\d+)");
    private static final Pattern MODEL = Pattern.compile("model\\s+(defect-mobilenetv2:\\S+)");
    private static final String TOKEN = "it-token-7f3a9c21d4e8b6a0f5c2e9d1b7a4c8e3";
    private static final String OLD_TOKEN = "old-push-token-0b1c2d3e4f5a6b7c8d9e";

    @Test
    void signedModelsGoLiveOverHttpAndTheDropFolderAndRollBackWithoutLosingAFrame() throws Exception {
        Path work = Files.createTempDirectory("hot-swap");
        Path keys = Files.createDirectories(work.resolve("keys"));
        ItPackages.sign("keygen", keys.toString(), "it-key");
        Path v021 = ItPackages.signedPackage(work, "0.2.1", keys);
        Path v022 = ItPackages.signedPackage(work, "0.2.2", keys);
        Path tampered = ItPackages.signedPackage(work, "0.2.3", keys);
        tamper(tampered);

        try (RuntimeProcess runtime = new RuntimeProcess("hot-swap")) {
            int plcPort = RuntimeProcess.freePort();
            int telnetPort = RuntimeProcess.freePort();
            runtime.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            runtime.set("io.linesight.console.telnet.cfg", "port", String.valueOf(telnetPort));
            runtime.set("io.linesight.plc.simulator.cfg", "port", String.valueOf(plcPort));
            runtime.set("io.linesight.plc.modbus-default.cfg", "port", String.valueOf(plcPort));
            // Push is a route of the web API: the web's token list, and its read access (TOKEN: every GET needs one).
            Files.writeString(runtime.config("io.linesight.web.cfg"), "tokens=it:" + ItPackages.sha256(TOKEN) + "\n",
                    StandardOpenOption.APPEND);
            runtime.set("io.linesight.web.cfg", "readAccess", "TOKEN");
            // An installation upgraded with the retired push bundle's file: one WARN, and its token is not honoured.
            Files.writeString(runtime.config("io.linesight.model.deploy.http.cfg"), "tokens=old-ci:" + ItPackages.sha256(OLD_TOKEN)
                    + "\nmaxPackageMegabytes=200\n");
            Path trusted = Files.createDirectories(runtime.config("trusted-keys"));
            Files.copy(keys.resolve("it-key.pub"), trusted.resolve("it-key.pub"));
            runtime.start();
            runtime.await(() -> runtime.outputContains("Line 'default' is RUNNING"), 60, "the default line");

            try (Socket socket = new Socket("127.0.0.1", telnetPort)) {
                socket.setSoTimeout(1_000);
                TelnetReader reader = new TelnetReader(socket);
                reader.readUntil("g! ", 20);
                OutputStream out = socket.getOutputStream();
                String status = status(out, reader);
                long noModelAtStart = number(NO_MODEL, status); // frames before the first model was loaded
                assertEquals("defect-mobilenetv2:0.2.0", text(MODEL, status), status);

                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                URI push = URI.create("http://127.0.0.1:" + runtime.httpPort() + "/api/models?activate=default&reason=it");
                HttpResponse<String> anonymous = http.send(put(push, ItPackages.zip(v021), null), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, anonymous.statusCode(), anonymous.body());
                // refused before its zip was looked at: the server reads the zip to its end before answering, so
                // the client gets the answer (not a reset) and the next request on the same client goes through
                HttpResponse<String> retired = http.send(put(push, ItPackages.zip(v021), OLD_TOKEN), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, retired.statusCode(), retired.body());
                assertEquals(1, runtime.output().stream().filter(l -> l.contains("WARN") && l.contains(
                        "Model push is part of the web API now") && l.contains("its tokens [old-ci]")).count(),
                        "one WARN for the retired push configuration");
                // Without a Content-Type the body still arrives (the refusal reads the zip and names the file)...
                HttpResponse<String> bad = http.send(put(push, ItPackages.zip(tampered), TOKEN, null), HttpResponse.BodyHandlers.ofString());
                assertEquals(422, bad.statusCode(), bad.body());
                assertTrue(bad.body().contains("model.json"), "the refusal names the file that does not match: " + bad.body());
                // ... a form upload is refused with what to send instead ...
                HttpResponse<String> form = http.send(put(push, ItPackages.zip(v021), TOKEN, "multipart/form-data; boundary=x"),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(415, form.statusCode(), form.body());
                assertTrue(form.body().contains("--data-binary"), form.body());
                // ... and curl --data-binary's default type is not parsed as a form.
                long pushStart = System.nanoTime();
                HttpResponse<String> pushed = http.send(put(push, ItPackages.zip(v021), TOKEN, "application/x-www-form-urlencoded"),
                        HttpResponse.BodyHandlers.ofString());
                long pushMs = (System.nanoTime() - pushStart) / 1_000_000;
                assertEquals(200, pushed.statusCode(), pushed.body());
                assertTrue(pushed.body().contains("defect-mobilenetv2@0.2.1"), pushed.body());

                status = status(out, reader);
                assertEquals("defect-mobilenetv2:0.2.1", text(MODEL, status), status);

                // GET /api/models follows the read access like every other read (it used to bypass it).
                URI models = URI.create("http://127.0.0.1:" + runtime.httpPort() + "/api/models");
                HttpResponse<String> unauthorised = http.send(HttpRequest.newBuilder(models).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(401, unauthorised.statusCode(), unauthorised.body());
                HttpResponse<String> listed = http.send(HttpRequest.newBuilder(models).header("Authorization", "Bearer " + TOKEN)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, listed.statusCode(), listed.body());
                assertTrue(listed.body().contains("\"id\":\"defect-mobilenetv2@0.2.1\""), listed.body());

                // The drop folder: a sidecar first, then the zip, copied under a temporary name and renamed.
                Path drop = Files.createDirectories(runtime.deployFolder().resolve("models"));
                Files.writeString(drop.resolve("v022.zip.activate"), "line=default\nreason=dropped by the it\n");
                Files.copy(ItPackages.zip(v022), drop.resolve("v022.zip.part"));
                long dropStart = System.nanoTime();
                Files.move(drop.resolve("v022.zip.part"), drop.resolve("v022.zip"), StandardCopyOption.ATOMIC_MOVE);
                runtime.await(() -> Files.exists(drop.resolve("accepted/v022.zip")), 90, "the drop folder to accept v022.zip");
                runtime.await(() -> modelOf(out, reader).equals("defect-mobilenetv2:0.2.2"), 90, "0.2.2 on the line");
                long dropMs = (System.nanoTime() - dropStart) / 1_000_000;
                // Arrival to activation: the push answers after verification, the gate on the golden set and the swap;
                // the drop folder adds its two stable polls (1 s each) and the console round trips of this test.
                System.out.printf("hot swap: HTTP push to active on the line %d ms (signature, gate on the golden set, swap);"
                        + " drop folder to active on the line %d ms (two 1 s stability polls included)%n", pushMs, dropMs);

                String rollback = command(out, reader, "model:rollback default \"it: back one step\"", "rollback #");
                assertTrue(rollback.contains("now runs defect-mobilenetv2@0.2.1"), rollback);
                String history = command(out, reader, "model:history default", "rollback");
                assertTrue(history.matches("(?s).*activate\\s+defect-mobilenetv2@0\\.2\\.1.*http:it.*"), history);
                assertTrue(history.matches("(?s).*activate\\s+defect-mobilenetv2@0\\.2\\.2.*drop-folder.*"), history);

                status = status(out, reader);
                assertEquals("defect-mobilenetv2:0.2.1", text(MODEL, status), status);
                assertEquals(noModelAtStart, number(NO_MODEL, status), "no frame without a model across three swaps:\n" + status);
                assertEquals(0, number(INFERENCE_ERROR, status), status);
                assertTrue(number(INSPECTED, status) > 50, status);
            }
            assertEquals(0, runtime.terminate(10));

            int firstRun = runtime.statusLog().size();
            runtime.start(); // same configuration and data folder: the history survives
            runtime.await(() -> lastStatusLine(runtime, firstRun).contains("line default RUNNING"), 90, "the line after the restart");
            runtime.await(() -> lastStatusLine(runtime, firstRun).contains("model=defect-mobilenetv2:0.2.1"), 60,
                    "the last activated model after the restart");
            assertEquals(0, runtime.terminate(10));
        }
    }

    private static String modelOf(OutputStream out, TelnetReader reader) {
        try {
            return text(MODEL, status(out, reader));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The latest status line of the default line written after status log line {@code from}. */
    private static String lastStatusLine(RuntimeProcess runtime, int from) {
        List<String> lines = runtime.statusLog();
        for (int i = lines.size() - 1; i >= from; i--) {
            if (lines.get(i).contains("line default ")) {
                return lines.get(i);
            }
        }
        return "";
    }

    private static String status(OutputStream out, TelnetReader reader) throws IOException {
        return command(out, reader, "inspect:status default", "snapshot taken");
    }

    private static String command(OutputStream out, TelnetReader reader, String line, String lastMarker) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reader.readUntil(lastMarker, 120) + reader.readUntil("g! ", 20);
    }

    /** Changes the card after signing and zips again: the manifest no longer matches model.json. */
    private static void tamper(Path packageDir) throws Exception {
        Path card = packageDir.resolve("model.json");
        Files.writeString(card, Files.readString(card).replace("\"minAccuracy\": 0.95", "\"minAccuracy\": 0.5"));
        Path zip = ItPackages.zip(packageDir);
        Files.delete(zip);
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip)); Stream<Path> files = Files.walk(packageDir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new java.util.zip.ZipEntry(packageDir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    private static HttpRequest put(URI uri, Path body, String token) throws IOException {
        return ItPackages.put(uri, body, token, "application/zip");
    }

    private static HttpRequest put(URI uri, Path body, String token, String contentType) throws IOException {
        return ItPackages.put(uri, body, token, contentType);
    }

    private static long number(Pattern pattern, String text) {
        return Long.parseLong(text(pattern, text));
    }

    private static String text(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertTrue(m.find(), pattern + " in:\n" + text);
        return m.group(1);
    }
}
