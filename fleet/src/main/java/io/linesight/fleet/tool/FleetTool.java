package io.linesight.fleet.tool;

import io.linesight.fleet.manifest.DeploymentManifest;
import io.linesight.fleet.manifest.Keys;
import io.linesight.fleet.manifest.ManifestException;
import io.linesight.fleet.manifest.SignedManifest;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/**
 * The cloud side of fleet delivery, {@code java -jar fleet/target/linesight-fleet.jar <command>}: signs desired
 * states, publishes them (retained) on the broker the boxes use, and shows the fleet as a Sparkplug host
 * application. It talks to the broker only, never to a box. Exit status 0 done, 1 failed, 2 bad command line.
 */
public final class FleetTool {

    static final String USAGE = String.join("\n",
            "usage: java -jar fleet/target/linesight-fleet.jar <command> [options]",
            "  keygen <folder> <key-name>                  an Ed25519 key pair: <key-name>.key (keep it) and .pub (copy",
            "                                              it into each box's config/trusted-keys/)",
            "  sign-manifest --manifest M.json --key K.key [--out M.signed.json]",
            "                                              checks the manifest and signs it (linesight.signed/1)",
            "  publish --broker URL --signed S [--group G] [--node N] [--ca ca.pem] [--username U --password P]",
            "                                              the desired state, retained, for the group (or one node)",
            "  status --broker URL --group G [--seconds 5] [--ca ca.pem] [--username U --password P]",
            "                                              a table: node, line, desired, actual, phase, since",
            "  (rollout in rings, abort and rollback: not yet; issue 19)");

    private FleetTool() {
    }

    public static void main(String[] argv) {
        System.exit(run(List.of(argv), System.out, System.err));
    }

    /** Runs one command; returns the exit status. */
    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("help")) {
            out.println(USAGE);
            return argv.isEmpty() ? 2 : 0;
        }
        List<String> rest = argv.subList(1, argv.size());
        try {
            switch (argv.get(0)) {
                case "keygen" -> keygen(new Args(rest, Set.of()), out);
                case "sign-manifest" -> sign(new Args(rest, Set.of("manifest", "key", "out")), out);
                case "publish" -> publish(new Args(rest, Set.of("broker", "signed", "group", "node", "ca", "username",
                        "password")), out);
                case "status" -> status(new Args(rest, Set.of("broker", "group", "seconds", "ca", "username",
                        "password")), out);
                default -> throw new Args.UsageException("unknown command '" + argv.get(0) + "'");
            }
            return 0;
        } catch (Args.UsageException e) {
            err.println("linesight-fleet: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (ManifestException e) {
            err.println("linesight-fleet: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("linesight-fleet: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }

    private static void keygen(Args args, PrintStream out) throws Exception {
        if (args.words().size() != 2) {
            throw new Args.UsageException("keygen needs <folder> <key-name>");
        }
        Path folder = Files.createDirectories(Path.of(args.words().get(0)));
        String name = args.words().get(1);
        Keys.generate(folder, name);
        out.println("Key pair '" + name + "': " + folder.resolve(name + Keys.PRIVATE_SUFFIX) + " (private: keep it"
                + " safe) and " + folder.resolve(name + Keys.PUBLIC_SUFFIX) + " (copy into each box's"
                + " config/trusted-keys/)");
    }

    private static void sign(Args args, PrintStream out) throws Exception {
        Path manifestFile = Path.of(args.required("manifest"));
        Path keyFile = Path.of(args.required("key"));
        byte[] manifest = Files.readAllBytes(manifestFile);
        DeploymentManifest parsed = DeploymentManifest.parse(manifest);
        byte[] envelope = SignedManifest.sign(manifest, Keys.nameOf(keyFile), Keys.readPrivateKey(keyFile));
        Path outFile = Path.of(args.optional("out", manifestFile.toString().replaceAll("\\.json$", "")
                + ".signed.json"));
        Files.write(outFile, envelope);
        out.println("Signed deployment " + parsed.deploymentId() + " (" + parsed.model().packageId() + ") with key '"
                + Keys.nameOf(keyFile) + "': " + outFile);
    }

    private static void publish(Args args, PrintStream out) throws Exception {
        byte[] envelope = Files.readAllBytes(Path.of(args.required("signed")));
        // the tool checks the form it publishes; whether a box trusts the key is the box's decision
        DeploymentManifest parsed = peek(envelope);
        String group = args.optional("group", parsed.target().group());
        String node = args.optional("node", "");
        String topic = node.isEmpty() ? DesiredTopics.forGroup(group) : DesiredTopics.forNode(group, node);
        try (BrokerConnection broker = new BrokerConnection(args)) {
            MqttMessage message = new MqttMessage(envelope);
            message.setQos(1);
            message.setRetained(true);
            broker.client().publish(topic, message);
        }
        out.println("Published deployment " + parsed.deploymentId() + " (" + parsed.model().packageId() + ") on "
                + topic + " (retained): boxes that are online take it now, the others when they reconnect");
    }

    /** The manifest inside an envelope, without checking the signature (the tool does not hold the trust list). */
    static DeploymentManifest peek(byte[] envelope) throws ManifestException {
        com.google.gson.JsonObject json;
        try {
            json = com.google.gson.JsonParser.parseString(new String(envelope, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a signed desired state (linesight.signed/1 JSON)");
        }
        if (!json.has("manifest") || !json.has("signature")) {
            throw new IllegalArgumentException("not a signed desired state: sign it first with sign-manifest");
        }
        return DeploymentManifest.parse(Base64.getDecoder().decode(json.get("manifest").getAsString()));
    }

    private static void status(Args args, PrintStream out) throws Exception {
        String group = args.required("group");
        long seconds = Long.parseLong(args.optional("seconds", "5"));
        FleetView view = new FleetView(group);
        java.util.Map<String, String> desired = new java.util.concurrent.ConcurrentSkipListMap<>();
        try (BrokerConnection broker = new BrokerConnection(args)) {
            ConcurrentLinkedQueue<Object[]> messages = new ConcurrentLinkedQueue<>();
            broker.client().subscribe("spBv1.0/" + group + "/#", 0, (topic, m) -> messages.add(new Object[] {topic,
                    m.getPayload()}));
            // '#' also matches its parent level: the group's topic and every node's, one subscription
            broker.client().subscribe(DesiredTopics.forGroup(group) + "/#", 1, (topic, m) -> desired.put(topic,
                    new String(m.getPayload(), StandardCharsets.UTF_8)));
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            java.util.Set<String> asked = new java.util.HashSet<>();
            while (System.nanoTime() < end) {
                Object[] m;
                while ((m = messages.poll()) != null) {
                    String unborn = view.accept((String) m[0], (byte[]) m[1]);
                    if (unborn != null && asked.add(unborn)) {
                        requestRebirth(broker, group, unborn);
                    }
                }
                Thread.sleep(20);
            }
            Object[] m;
            while ((m = messages.poll()) != null) {
                view.accept((String) m[0], (byte[]) m[1]);
            }
        }
        out.print(StatusTable.render(view, desired));
    }

    /** A host application that missed a node's birth asks for one (Node Control/Rebirth). */
    private static void requestRebirth(BrokerConnection broker, String group, String node) throws Exception {
        Metric rebirth = new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, true).createMetric();
        SparkplugBPayload payload = new SparkplugBPayload(new java.util.Date(), new ArrayList<>(List.of(rebirth)));
        broker.client().publish("spBv1.0/" + group + "/NCMD/" + node, new SparkplugBPayloadEncoder().getBytes(payload,
                false), 0, false);
    }
}
