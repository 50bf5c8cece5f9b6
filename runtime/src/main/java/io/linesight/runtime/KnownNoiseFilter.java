package io.linesight.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops third-party log lines that repeat, with a stack trace, what a LineSight bundle has already said in one
 * sentence. Installed by {@link LogbackConfigurator} whatever the operator's logback.xml says.
 *
 * <p>One case today: Milo's server channel handler logs every refused OPC UA client certificate as an ERROR with
 * a Netty stack trace ({@code [remote=...] Exception caught; sent ErrorMessage{...Bad_SecurityChecksFailed...}}),
 * and no Milo setting changes that. The SCADA bundle logs one WARN per refused certificate (its name, thumbprint and
 * file) and raises {@value #REFUSED_CERTIFICATE}; the ERROR line whose cause chain holds that exception is dropped.
 * Every other Milo ERROR, from that handler or any other, still passes.
 */
public final class KnownNoiseFilter extends TurboFilter {

    static final String MILO_SERVER_CHANNEL = "org.eclipse.milo.opcua.stack.server.transport.uasc.UascServerAsymmetricHandler";
    /** Keep in step with the class in bundles/scada-opcua. */
    static final String REFUSED_CERTIFICATE = "io.linesight.scada.opcua.ClientCertificateRefused";
    private static final int MAX_CAUSES = 16;

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.ERROR || logger == null || !MILO_SERVER_CHANNEL.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null ? t
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
        return causedByRefusedCertificate(thrown) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    static boolean causedByRefusedCertificate(Throwable thrown) {
        Throwable cause = thrown;
        for (int i = 0; cause != null && i < MAX_CAUSES; i++, cause = cause.getCause()) {
            if (REFUSED_CERTIFICATE.equals(cause.getClass().getName())) {
                return true;
            }
        }
        return false;
    }
}
