package io.linesight.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.linesight.scada.opcua.ClientCertificateRefused;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Milo's ERROR about a refused client certificate goes; every other line stays. */
class KnownNoiseFilterTest {

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();

    KnownNoiseFilterTest() {
        LogbackConfigurator.installNoiseFilter(context);
        seen.setContext(context);
        seen.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(seen);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    /** What Netty hands Milo's handler: its own wrapper around the exception the validator threw. */
    private static RuntimeException decoderException(Exception cause) {
        return new IllegalStateException("UaException: status=Bad_SecurityChecksFailed", cause);
    }

    @Test
    void theChannelErrorAboutARefusedCertificateIsDroppedAndOthersPass() {
        Logger milo = context.getLogger(KnownNoiseFilter.MILO_SERVER_CHANNEL);
        milo.error("[remote={}] Exception caught; sent {}", "/127.0.0.1:5000", "ErrorMessage{Bad_SecurityChecksFailed}",
                decoderException(new ClientCertificateRefused()));
        milo.error("[remote={}] Exception caught; sent {}", "/127.0.0.1:5001", "ErrorMessage{Bad_TcpMessageTooLarge}",
                decoderException(new IllegalArgumentException("message too large")));
        milo.error("Refused certificate, thrown directly", new ClientCertificateRefused());
        milo.warn("[remote={}] a warning with the same cause", "/127.0.0.1:5002", new ClientCertificateRefused());
        context.getLogger("org.eclipse.milo.opcua.stack.server.Other").error("another handler", new ClientCertificateRefused());

        List<String> kept = seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(List.of("[remote=/127.0.0.1:5001] Exception caught; sent ErrorMessage{Bad_TcpMessageTooLarge}",
                "[remote=/127.0.0.1:5002] a warning with the same cause", "another handler"), kept);
    }
}
