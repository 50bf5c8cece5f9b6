package io.linesight.scada.opcua;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.security.DefaultTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;
import org.eclipse.milo.opcua.stack.server.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.server.security.ServerCertificateValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client certificates the server trusts, as folders in the PKI directory, the layout OT engineers
 * know from other OPC UA servers: {@code trusted/certs} (and {@code trusted/crl}), {@code issuers/certs}
 * and {@code issuers/crl} for CA-signed clients, and {@code rejected/}, where the certificate of every
 * client that was refused lands for an engineer to inspect and move to {@code trusted/certs}. Milo watches
 * the folders, so a moved certificate counts at the client's next attempt, without a restart. The
 * validator checks the chain against the trust list, the validity period and that the certificate names
 * the client's application URI; it never accepts an unknown certificate. Every refusal is one WARN
 * ({@link ClientCertificateCheck}); refused certificates are stored under readable names ({@link RejectedCertificates}).
 */
final class TrustList implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrustList.class);

    private final Folders manager;
    private final ServerCertificateValidator validator;

    private TrustList(Folders manager) {
        this.manager = manager;
        this.validator = new ClientCertificateCheck(new DefaultServerCertificateValidator(manager,
                Set.of(ValidationCheck.VALIDITY, ValidationCheck.APPLICATION_URI)), manager::takeStored, manager.rejectedDir);
    }

    /**
     * Milo's folder-backed trust list, except that a refused certificate is written by {@link RejectedCertificates}.
     * Milo calls {@link #addRejectedCertificate} for each certificate of a chain it cannot trust, leaf first, on the
     * thread that validates; what was stored for the leaf is kept for that thread until {@link #takeStored}.
     */
    private static final class Folders extends DefaultTrustListManager {
        private final RejectedCertificates rejected;
        private final Path rejectedDir;
        private final ThreadLocal<RejectedCertificates.Stored> leafStored = new ThreadLocal<>();

        Folders(Path pki) throws IOException {
            super(pki.toFile());
            this.rejectedDir = getRejectedDir().toPath();
            this.rejected = new RejectedCertificates(rejectedDir);
        }

        @Override
        public synchronized void addRejectedCertificate(X509Certificate certificate) {
            try {
                RejectedCertificates.Stored stored = rejected.store(certificate);
                if (leafStored.get() == null) {
                    leafStored.set(stored);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("OPC UA: the refused client certificate of {} could not be saved in {}: {}",
                        certificate.getSubjectX500Principal(), rejectedDir, e.toString());
            }
        }

        /** What this thread's last validation stored for the leaf certificate, once. */
        Optional<RejectedCertificates.Stored> takeStored() {
            RejectedCertificates.Stored stored = leafStored.get();
            leafStored.remove();
            return Optional.ofNullable(stored);
        }
    }

    /**
     * Opens (creating the folders of) the trust list in {@code pki}.
     *
     * @throws IllegalStateException naming the folder if it cannot be created or watched
     */
    static TrustList open(Path pki) {
        try {
            return new TrustList(new Folders(pki));
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the OPC UA trust list in " + pki + " (" + e
                    + "); set 'pkiDirectory' of " + OpcUaScadaComponent.PID + " to a writable folder", e);
        }
    }

    DefaultTrustListManager manager() {
        return manager;
    }

    ServerCertificateValidator validator() {
        return validator;
    }

    /** Stops Milo's folder watcher thread. */
    @Override
    public void close() {
        try {
            manager.close();
        } catch (IOException e) {
            LOG.debug("Closing the OPC UA trust list failed", e);
        }
    }
}
