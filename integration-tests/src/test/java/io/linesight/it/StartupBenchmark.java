package io.linesight.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.digitalpetri.modbus.requests.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.responses.WriteMultipleRegistersResponse;
import com.digitalpetri.modbus.slave.ModbusTcpSlave;
import com.digitalpetri.modbus.slave.ModbusTcpSlaveConfig;
import com.digitalpetri.modbus.slave.ServiceRequestHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 15: how long a line is uninspected after a power cut. Starts the real runtime
 * ({@code java -jar linesight.jar}, shipped configuration, warm data folder) {@code bench.starts} times (default 10)
 * after one warm-up start, with a Modbus slave of its own as the PLC, and measures from process launch to
 * <ul>
 *   <li>the first verdict at the PLC: the first write of the 13 result registers, which the output makes for every
 *       verdict (what a PLC program would see first);</li>
 *   <li>{@code LineSight started} on the runtime's standard output (every bundle started, ports checked).</li>
 * </ul>
 * Prints each start and the p50 and max. Not part of the test suite (the class name does not end in Test); run
 * {@code mvn -o verify -pl integration-tests -Dtest=StartupBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * [-Dbench.starts=10]} on an idle machine after {@code mvn install}.
 */
class StartupBenchmark {

    private static final int RESULT_BASE = 10;

    @Test
    void processStartToFirstVerdict() throws Exception {
        int starts = Integer.getInteger("bench.starts", 10);
        int plcPort = RuntimeProcess.freePort();
        AtomicLong firstVerdictNanos = new AtomicLong();
        ModbusTcpSlave plc = new ModbusTcpSlave(new ModbusTcpSlaveConfig.Builder().build());
        plc.setRequestHandler(new ServiceRequestHandler() {
            @Override
            public void onWriteMultipleRegisters(
                    ServiceRequest<WriteMultipleRegistersRequest, WriteMultipleRegistersResponse> service) {
                WriteMultipleRegistersRequest request = service.getRequest();
                if (request.getAddress() == RESULT_BASE && request.getQuantity() == 13) {
                    firstVerdictNanos.compareAndSet(0, System.nanoTime());
                }
                service.sendResponse(new WriteMultipleRegistersResponse(request.getAddress(), request.getQuantity()));
                ReferenceCountUtil.release(request);
            }
        });
        plc.bind("127.0.0.1", plcPort).get(10, TimeUnit.SECONDS);
        List<Long> verdictMs = new ArrayList<>();
        List<Long> startedMs = new ArrayList<>();
        try (RuntimeProcess runtime = new RuntimeProcess("startup")) {
            Files.delete(runtime.config("io.linesight.plc.simulator.cfg"));
            runtime.set("io.linesight.plc.modbus-default.cfg", "port", String.valueOf(plcPort));
            // the slave keeps no registers, so no master lock (appended: the last value wins, and a build from before
            // the lock, measured with -Dlinesight.repo=<its clone> for a baseline, ignores it)
            Files.writeString(runtime.config("io.linesight.plc.modbus-default.cfg"), "\nmasterLockRegister=-1\n",
                    java.nio.file.StandardOpenOption.APPEND);
            runtime.set("io.linesight.scada.opcua.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            runtime.set("io.linesight.console.telnet.cfg", "port", String.valueOf(RuntimeProcess.freePort()));
            for (int i = 0; i <= starts; i++) {
                firstVerdictNanos.set(0);
                int from = runtime.output().size();
                long launched = System.nanoTime();
                runtime.launch();
                runtime.await(() -> firstVerdictNanos.get() != 0, 120, "the first verdict at the PLC");
                long verdict = TimeUnit.NANOSECONDS.toMillis(firstVerdictNanos.get() - launched);
                runtime.await(() -> runtime.output().subList(from, runtime.output().size()).stream()
                        .anyMatch(l -> l.contains("LineSight started")), 120, "LineSight started");
                long started = TimeUnit.NANOSECONDS.toMillis(runtime.outputSeenNanos("LineSight started", from) - launched);
                long firstLog = TimeUnit.NANOSECONDS.toMillis(runtime.outputSeenNanos("starting: config", from) - launched);
                long running = TimeUnit.NANOSECONDS.toMillis(runtime.outputSeenNanos("Line 'default' is RUNNING", from)
                        - launched);
                assertEquals(0, runtime.terminate(30));
                String run = i == 0 ? "warm-up" : "start " + i;
                System.out.printf(Locale.ROOT, "startup %s: first verdict at the PLC %d ms, 'LineSight started' %d ms"
                        + " (first log line %d ms, line RUNNING %d ms)%n", run, verdict, started, firstLog, running);
                if (i > 0) {
                    verdictMs.add(verdict);
                    startedMs.add(started);
                }
            }
        } finally {
            plc.shutdown();
        }
        System.out.printf(Locale.ROOT, "startup over %d starts: first verdict p50 %d ms, max %d ms; 'LineSight started'"
                + " p50 %d ms, max %d ms (load average at the end %s)%n", starts, p50(verdictMs),
                Collections.max(verdictMs), p50(startedMs), Collections.max(startedMs), loadAverage());
        assertTrue(verdictMs.size() == starts);
    }

    private static long p50(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static String loadAverage() {
        try {
            return Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
