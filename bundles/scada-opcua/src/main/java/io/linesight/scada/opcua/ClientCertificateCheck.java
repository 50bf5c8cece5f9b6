package io.linesight.scada.opcua;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.server.security.ServerCertificateValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Milo's validation of a client's certificate chain, with one WARN sentence per refused certificate: whose it is, its
 * SHA-1 thumbprint as clients show it, the file in {@code rejected/} and what to do. A client retrying with the same
 * certificate is told once; its further attempts are DEBUG lines.
 *
 * <p>Threads: called by Milo on its Netty threads, several at once.
 *
 * <p>The refusal is rethrown as {@link ClientCertificateRefused}, so that the launcher's log filter can recognise Milo's
 * own ERROR line about it (logged with a stack trace by the channel handler, which this bundle cannot change) and drop
 * it: the WARN here already says everything.
 */
final class ClientCertificateCheck implements ServerCertificateValidator {

    private static final Logger LOG = LoggerFactory.getLogger(ClientCertificateCheck.class);
    private static final int REMEMBERED = RejectedCertificates.KEEP;

    private final ServerCertificateValidator milo;
    private final Supplier<Optional<RejectedCertificates.Stored>> stored;
    private final Path rejectedDir;
    /** Refusals already reported (thumbprint and status), oldest first; bounded. Guarded by itself. */
    private final Map<String, Boolean> reported = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * @param milo        the validator that decides
     * @param stored      what the trust list stored in {@code rejected/} for the leaf during this thread's validation
     * @param rejectedDir where refused certificates go, for the message
     */
    ClientCertificateCheck(ServerCertificateValidator milo, Supplier<Optional<RejectedCertificates.Stored>> stored,
                           Path rejectedDir) {
        this.milo = milo;
        this.stored = stored;
        this.rejectedDir = rejectedDir;
    }

    @Override
    public void validateCertificateChain(List<X509Certificate> chain) throws UaException {
        stored.get(); // nothing left over from an earlier call on this thread
        try {
            milo.validateCertificateChain(chain);
        } catch (UaException e) {
            throw refused(chain, e);
        }
    }

    @Override
    public void validateCertificateChain(List<X509Certificate> chain, String applicationUri) throws UaException {
        stored.get();
        try {
            milo.validateCertificateChain(chain, applicationUri);
        } catch (UaException e) {
            throw refused(chain, e);
        }
    }

    private ClientCertificateRefused refused(List<X509Certificate> chain, UaException e) {
        if (chain == null || chain.isEmpty()) {
            LOG.warn("OPC UA: refused a client that sent no certificate ({})", statusName(e.getStatusCode()));
            return new ClientCertificateRefused(e);
        }
        X509Certificate leaf = chain.get(0);
        Optional<RejectedCertificates.Stored> file = stored.get();
        String sentence = sentence(leaf, file, e.getStatusCode());
        if (firstReport(RejectedCertificates.thumbprint(leaf) + " " + e.getStatusCode().getValue())
                || file.map(RejectedCertificates.Stored::isNew).orElse(false)) {
            LOG.warn(sentence);
        } else {
            LOG.debug("{} (again)", sentence);
        }
        return new ClientCertificateRefused(e);
    }

    private String sentence(X509Certificate leaf, Optional<RejectedCertificates.Stored> file, StatusCode status) {
        String who = "OPC UA: refused client certificate '" + RejectedCertificates.commonName(leaf) + "' (SHA-1 thumbprint "
                + RejectedCertificates.thumbprint(leaf) + ")";
        if (file.isPresent()) {
            return who + ": it is not trusted; saved as " + file.get().file() + ". If its owner confirms the thumbprint,"
                    + " move the file to " + rejectedDir.resolveSibling("trusted").resolve("certs") + " and the client's"
                    + " next attempt is accepted";
        }
        return who + ": " + statusName(status) + " (expired or not yet valid, revoked, or its application URI is not the"
                + " one the client states; the client's owner must fix the certificate)";
    }

    private boolean firstReport(String key) {
        synchronized (reported) {
            return reported.put(key, Boolean.TRUE) == null;
        }
    }

    private static String statusName(StatusCode status) {
        return StatusCodes.lookup(status.getValue()).map(names -> names[0]).orElse(status.toString());
    }
}
