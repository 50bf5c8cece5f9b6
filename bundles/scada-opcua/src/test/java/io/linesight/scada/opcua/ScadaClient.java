package io.linesight.scada.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

/** A real SCADA client (Milo sdk-client) with the few calls the tests need, every one with a timeout. */
final class ScadaClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final OpcUaClient client;
    private final int namespaceIndex;

    private ScadaClient(OpcUaClient client, int namespaceIndex) {
        this.client = client;
        this.namespaceIndex = namespaceIndex;
    }

    /** Connects anonymously without security, as the demo profile allows, and finds urn:linesight. */
    static ScadaClient connect(String endpointUrl) throws Exception {
        OpcUaClient client = OpcUaClient.create(endpointUrl,
                endpoints -> endpoints.stream()
                        .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri()))
                        .findFirst(),
                builder -> builder
                        .setApplicationName(LocalizedText.english("LineSight test SCADA"))
                        .setApplicationUri("urn:linesight:test:scada")
                        .setRequestTimeout(uint(5_000))
                        .build());
        return connected(client);
    }

    /**
     * Connects over {@code policy}/{@code mode} with the client certificate {@code certificate}, as
     * {@code identity} (a {@link UsernameProvider} or {@link AnonymousProvider}).
     */
    static ScadaClient connect(String endpointUrl, ClientCertificate certificate, SecurityPolicy policy,
                               MessageSecurityMode mode, IdentityProvider identity) throws Exception {
        // Straight to the discovery endpoint (the secured-only server has no None channel on the main URL).
        OpcUaClient client = OpcUaClient.create(endpointUrl + "/discovery",
                endpoints -> endpoints.stream()
                        .filter(e -> policy.getUri().equals(e.getSecurityPolicyUri()) && e.getSecurityMode() == mode)
                        .findFirst(),
                builder -> builder
                        .setApplicationName(LocalizedText.english("LineSight test SCADA"))
                        .setApplicationUri(certificate.applicationUri())
                        .setKeyPair(certificate.keyPair())
                        .setCertificate(certificate.certificate())
                        .setIdentityProvider(identity)
                        .setRequestTimeout(uint(5_000))
                        .build());
        return connected(client);
    }

    /** Operator or observer {@code user} with {@code password}, Basic256Sha256 SignAndEncrypt. */
    static ScadaClient login(String endpointUrl, ClientCertificate certificate, String user, String password)
            throws Exception {
        return connect(endpointUrl, certificate, SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt,
                new UsernameProvider(user, password));
    }

    private static ScadaClient connected(OpcUaClient client) throws Exception {
        try {
            get(client.connect());
        } catch (Exception e) {
            client.disconnect();
            throw e;
        }
        String[] namespaces = (String[]) get(client.readValue(0, TimestampsToReturn.Neither,
                Identifiers.Server_NamespaceArray)).getValue().getValue();
        return new ScadaClient(client, List.of(namespaces).indexOf(LineSightNamespace.NAMESPACE_URI));
    }

    int namespaceIndex() {
        return namespaceIndex;
    }

    NodeId node(String path) {
        return new NodeId(namespaceIndex, path);
    }

    DataValue read(String path) throws Exception {
        return get(client.readValue(0, TimestampsToReturn.Both, node(path)));
    }

    /** Reads until {@code condition} holds, or fails after {@link #TIMEOUT}. */
    DataValue readUntil(String path, Predicate<DataValue> condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        DataValue value = read(path);
        while (!condition.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting on " + path + ", last value " + value);
            }
            Thread.sleep(20);
            value = read(path);
        }
        return value;
    }

    /** Forward hierarchical references of {@code node}: browse name to reference. */
    List<ReferenceDescription> browse(NodeId node) throws Exception {
        BrowseResult result = get(client.browse(new BrowseDescription(node, BrowseDirection.Forward,
                Identifiers.HierarchicalReferences, true,
                uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
                uint(BrowseResultMask.All.getValue()))));
        if (!result.getStatusCode().isGood()) {
            throw new AssertionError("browse " + node + ": " + result.getStatusCode());
        }
        return result.getReferences() == null ? List.of() : List.of(result.getReferences());
    }

    /** Browse names of the children of {@code node}. */
    List<String> childNames(NodeId node) throws Exception {
        return browse(node).stream().map(r -> r.getBrowseName().getName()).toList();
    }

    /** Subscribes to {@code path} (100 ms publishing and sampling); every notification lands in the queue. */
    BlockingQueue<DataValue> subscribe(String path) throws Exception {
        BlockingQueue<DataValue> values = new LinkedBlockingQueue<>();
        UaSubscription subscription = get(client.getSubscriptionManager().createSubscription(100.0));
        MonitoredItemCreateRequest request = new MonitoredItemCreateRequest(
                new ReadValueId(node(path), AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE),
                MonitoringMode.Reporting,
                new MonitoringParameters(uint(1), 100.0, null, uint(10), true));
        List<UaMonitoredItem> items = get(subscription.createMonitoredItems(TimestampsToReturn.Both, List.of(request),
                (item, index) -> item.setValueConsumer(values::add)));
        if (!items.get(0).getStatusCode().isGood()) {
            throw new AssertionError("monitored item on " + path + ": " + items.get(0).getStatusCode());
        }
        return values;
    }

    /** Calls {@code attempt} until it returns non-null, or fails after {@link #TIMEOUT}. */
    static <T> T poll(java.util.function.Supplier<T> attempt) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        T result = attempt.get();
        while (result == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT);
            }
            Thread.sleep(100);
            result = attempt.get();
        }
        return result;
    }

    /** Waits for the next notification that satisfies {@code condition}. */
    static Optional<DataValue> next(BlockingQueue<DataValue> values, Predicate<DataValue> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (long left = TIMEOUT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            DataValue value = values.poll(left, TimeUnit.NANOSECONDS);
            if (value != null && condition.test(value)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** Calls {@code method} (a path such as {@code Lines/l/ResetCounters}) on {@code object}. */
    CallMethodResult call(String object, String method, Variant... arguments) throws Exception {
        return get(client.call(new CallMethodRequest(node(object), node(method), arguments)));
    }

    /** The Milo client, for the calls this helper does not wrap. */
    OpcUaClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The server may already be gone (restart tests); nothing left to release on our side.
        }
    }

    static <T> T get(java.util.concurrent.CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
