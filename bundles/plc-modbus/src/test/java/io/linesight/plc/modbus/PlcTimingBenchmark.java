package io.linesight.plc.modbus;

import static io.linesight.plc.modbus.Fixtures.dent;
import static io.linesight.plc.modbus.Fixtures.event;
import static io.linesight.plc.modbus.Fixtures.status;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.linesight.api.inspection.InspectionEvent;
import io.linesight.api.inspection.LineState;
import io.linesight.api.inspection.LineStatus;
import io.linesight.api.inspection.Verdict;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Eject timing benchmark, not a test (surefire's default includes skip {@code *Benchmark}): a line at
 * 30 frames per second with a 150 ms eject delay and a known reject rate publishes to the PLC output,
 * which talks to a {@link RawModbusSlave} that stamps every request on arrival. For each reject pulse it
 * reports (arrival of the coil-ON write at the PLC − planned eject instant) as a distribution. Both
 * times are {@link System#nanoTime()} in this JVM. Pulses are matched to their frames by the part id
 * register written just before each rising edge.
 *
 * <pre>
 * mvn -B -q test -pl bundles/plc-modbus -Dtest=PlcTimingBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbenchmark.seconds=300
 * </pre>
 *
 * Properties: {@code benchmark.seconds} (default 60), {@code benchmark.rejectRate} (default 0.2),
 * {@code benchmark.warmupSeconds} (default 10: pulses due before then are left out of the figures),
 * {@code benchmark.baselineSeconds} (default 60, 0 = off).
 *
 * <p>The slave's reader thread shares the machine with the master, so its own wake-up is part of every
 * arrival time. A control run shows that floor: the same schedule written by a plain blocking socket
 * (same lead and spin as the output, no netty, no Modbus library) to the same kind of slave.
 */
class PlcTimingBenchmark {

    private static final double FPS = 30.0;
    private static final long EJECT_DELAY_MS = 150;
    private static final long PULSE_MS = 20;
    private static final int REJECT_COIL = 0;
    private static final int PART_ID = 40;

    @Test
    void ejectTiming() throws Exception {
        long seconds = Long.getLong("benchmark.seconds", 60);
        double rejectRate = Double.parseDouble(System.getProperty("benchmark.rejectRate", "0.2"));
        long warmupNanos = TimeUnit.SECONDS.toNanos(Long.getLong("benchmark.warmupSeconds", 10));
        GcSnapshot gcBefore = GcSnapshot.now();
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        try (RawModbusSlave plc = new RawModbusSlave(0)) {
            ModbusPlcOutput output = new ModbusPlcOutput(ConfigProxy.of(PlcOutputConfig.class, Map.of(
                    "port", plc.port(), "rejectCoil", REJECT_COIL, "ejectDelayMs", EJECT_DELAY_MS,
                    "ejectToleranceMs", 50L, "pulseWidthMs", PULSE_MS, "partIdRegister", PART_ID,
                    "heartbeatRegister", 1, "resultRegisterBase", 10)));
            try {
                Fixtures.await(java.time.Duration.ofSeconds(10),
                        () -> output.connectionState() == ConnectionState.CONNECTED, "connected");
                Run run = produce(output, seconds, rejectRate);
                Thread.sleep(EJECT_DELAY_MS + PULSE_MS + 500);
                report(run, plc.writes(), output.counters(), warmupNanos, gcBefore, loadBefore);
            } finally {
                output.deactivate();
            }
        }
        long baselineSeconds = Long.getLong("benchmark.baselineSeconds", 60);
        if (baselineSeconds > 0) {
            System.out.println(baseline(baselineSeconds, rejectRate, warmupNanos));
        }
    }

    /** The control: planned instants as in {@link #produce}, written by a plain socket client. */
    private static String baseline(long seconds, double rejectRate, long warmupNanos) throws Exception {
        Random random = new Random(42);
        List<Long> planned = new ArrayList<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        for (long k = 0; k < Math.round(seconds * FPS); k++) {
            long ejectAt = start + Math.round(k * 1e9 / FPS) + TimeUnit.MILLISECONDS.toNanos(EJECT_DELAY_MS);
            random.nextInt(31);
            if (random.nextDouble() < rejectRate && ejectAt - start >= warmupNanos) {
                planned.add(ejectAt);
            }
        }
        try (RawModbusSlave plc = new RawModbusSlave(0);
             java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), plc.port())) {
            socket.setTcpNoDelay(true);
            java.io.OutputStream out = socket.getOutputStream();
            for (long at : planned) {
                sleepUntil(at - ModbusLink.LEAD_NANOS);
                while (System.nanoTime() < at) {
                    Thread.onSpinWait();
                }
                // FC05 coil 0 ON: MBAP (transaction 1, protocol 0, length 6, unit 1) + PDU
                out.write(new byte[] {0, 1, 0, 0, 0, 6, 1, 5, 0, 0, (byte) 0xFF, 0});
                out.flush();
                socket.getInputStream().readNBytes(12);
            }
            long[] late = new long[planned.size()];
            List<RawModbusSlave.Write> writes = plc.writes();
            for (int i = 0; i < late.length; i++) {
                late[i] = writes.get(i).arrivalNanos() - planned.get(i);
            }
            Arrays.sort(late);
            return String.format(Locale.ROOT, "control, plain socket client, same lead and spin, ms: count %d  min %.3f"
                            + "  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f", late.length, ms(late[0]),
                    ms(pct(late, 50)), ms(pct(late, 90)), ms(pct(late, 99)), ms(pct(late, 99.9)),
                    ms(late[late.length - 1]));
        }
    }

    /** What the producer did: planned eject instants by sequence, publish costs, load average per minute. */
    private record Run(long startNanos, Map<Long, Long> ejectAt, long[] publishNanos, long frames,
                       List<Double> loadByMinute) {
    }

    /** The line: frame k is captured at start + k/30 s and judged 10..40 ms later ("inference"). */
    private static Run produce(ModbusPlcOutput output, long seconds, double rejectRate) {
        Random random = new Random(42);
        Map<Long, Long> ejectAt = new ConcurrentHashMap<>();
        long frames = Math.round(seconds * FPS);
        long[] publishNanos = new long[(int) frames];
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long rejects = 0;
        List<Double> loadByMinute = new ArrayList<>();
        for (long k = 0; k < frames; k++) {
            long capture = start + Math.round(k * 1e9 / FPS);
            if (k % Math.round(60 * FPS) == Math.round(60 * FPS) - 1) {
                loadByMinute.add(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
            boolean reject = random.nextDouble() < rejectRate;
            long judged = capture + TimeUnit.MILLISECONDS.toNanos(10 + random.nextInt(31));
            sleepUntil(judged);
            if (reject) {
                rejects++;
                ejectAt.put(k, capture + TimeUnit.MILLISECONDS.toNanos(EJECT_DELAY_MS));
            }
            InspectionEvent event = event(reject ? Verdict.REJECT : Verdict.PASS, k, capture, dent());
            LineStatus status = status(LineState.RUNNING, k + 1 - rejects, rejects, 0);
            long before = System.nanoTime();
            output.publish(event, status);
            publishNanos[(int) k] = System.nanoTime() - before;
        }
        return new Run(start, ejectAt, publishNanos, frames, loadByMinute);
    }

    private static void report(Run run, List<RawModbusSlave.Write> writes, PlcCounters counters, long warmupNanos,
                               GcSnapshot gcBefore, double loadBefore) {
        List<Long> lateness = new ArrayList<>();
        Map<Integer, List<Long>> byMinute = new java.util.TreeMap<>();
        long partId = -1;
        boolean on = false;
        for (RawModbusSlave.Write write : writes) {
            if (write.function() == 16 && write.address() == PART_ID) {
                partId = WordOrder.HIGH_FIRST.join(write.values()[0], write.values()[1]);
            } else if (write.function() == 5 && write.address() == REJECT_COIL) {
                boolean value = write.values()[0] == 1;
                Long planned = run.ejectAt().get(partId);
                if (value && !on && planned != null && planned - run.startNanos() >= warmupNanos) {
                    lateness.add(write.arrivalNanos() - planned);
                    byMinute.computeIfAbsent((int) ((planned - run.startNanos()) / 60_000_000_000L),
                            minute -> new ArrayList<>()).add(write.arrivalNanos() - planned);
                }
                on = value;
            }
        }
        assertFalse(lateness.isEmpty(), "no pulse measured");
        GcSnapshot gc = GcSnapshot.now().minus(gcBefore);
        System.out.println(format(run, lateness, counters, gc, loadBefore));
        byMinute.forEach((minute, values) -> {
            long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
            String load = minute < run.loadByMinute().size()
                    ? String.format(Locale.ROOT, "%.2f", run.loadByMinute().get(minute)) : "-";
            System.out.println(String.format(Locale.ROOT, "  minute %d (load average at its end %s): count %d"
                            + "  p50 %.3f  p99 %.3f  max %.3f ms", minute + 1, load, sorted.length,
                    ms(pct(sorted, 50)), ms(pct(sorted, 99)), ms(sorted[sorted.length - 1])));
        });
    }

    private static String format(Run run, List<Long> lateness, PlcCounters counters, GcSnapshot gc,
                                 double loadBefore) {
        long[] late = lateness.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] publish = run.publishNanos().clone();
        Arrays.sort(publish);
        Runtime rt = Runtime.getRuntime();
        return String.join("\n",
                "=== PLC eject timing: write arrival at the PLC - planned eject instant ===",
                String.format(Locale.ROOT, "frames %d at %.0f fps for %.0f s, eject delay %d ms, pulse %d ms, rejects %d"
                                + " (pulsed %d, merged %d, missed %d)", run.frames(), FPS, run.frames() / FPS,
                        EJECT_DELAY_MS, PULSE_MS, counters.rejectsReceived(), counters.pulsesSent(),
                        counters.rejectsMerged(), counters.rejectsMissed()),
                String.format(Locale.ROOT, "lateness ms: count %d  min %.3f  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f"
                                + "  max %.3f", late.length, ms(late[0]), ms(pct(late, 50)), ms(pct(late, 90)),
                        ms(pct(late, 99)), ms(pct(late, 99.9)), ms(late[late.length - 1])),
                String.format(Locale.ROOT, "publish() on the line thread us: p50 %.1f  p99 %.1f  max %.1f",
                        pct(publish, 50) / 1e3, pct(publish, 99) / 1e3, publish[publish.length - 1] / 1e3),
                String.format(Locale.ROOT, "machine: %d cores, load average %.2f before / %.2f after, %s %s (%s), %s %s,"
                                + " max heap %d MB, GC %s: %d collections, %d ms",
                        rt.availableProcessors(), loadBefore,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                        System.getProperty("java.vm.name"), System.getProperty("java.version"),
                        System.getProperty("java.vm.version"), System.getProperty("os.name"),
                        System.getProperty("os.version"), rt.maxMemory() >> 20, gc.names(), gc.count(), gc.millis()));
    }

    private static long pct(long[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void sleepUntil(long nanos) {
        for (long left = nanos - System.nanoTime(); left > 0; left = nanos - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** Collections and their time so far, over all collectors. */
    private record GcSnapshot(String names, long count, long millis) {
        static GcSnapshot now() {
            List<String> names = new ArrayList<>();
            long count = 0;
            long millis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                names.add(gc.getName());
                count += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
            return new GcSnapshot(String.join("+", names), count, millis);
        }

        GcSnapshot minus(GcSnapshot before) {
            return new GcSnapshot(names, count - before.count, millis - before.millis);
        }
    }
}
