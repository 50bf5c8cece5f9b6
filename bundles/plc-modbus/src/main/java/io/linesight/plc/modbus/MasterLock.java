package io.linesight.plc.modbus;

import com.digitalpetri.modbus.requests.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.requests.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.responses.ModbusResponse;
import com.digitalpetri.modbus.responses.ReadHoldingRegistersResponse;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.security.SecureRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure two LineSight runtimes never drive one PLC. Modbus TCP lets any number of masters write the same
 * coils, so a second runtime started by mistake (a copied installation, a test box on the plant network) would
 * pulse the ejector for parts it never saw. The lock lives in the PLC, in two holding registers the PLC program
 * leaves alone ({@code masterLockRegister}, +1):
 *
 * <ul>
 *   <li>register 0 holds the owning runtime's token (1..65535, random per runtime start; 0 = free), register 1 a
 *       lease count the owner advances every heartbeat period;</li>
 *   <li>after connecting, an output reads the pair. Free or its own token: it claims the lock and drives the PLC.
 *       Another token: it watches the lease for {@value #STALE_PERIODS} heartbeat periods; a lease that does not move
 *       belongs to a runtime that is gone (crash, power cut), so it takes over; a lease that moves means another
 *       runtime drives this PLC: this output drives nothing, raises {@code PLC_OTHER_MASTER} and looks again every
 *       {@value #STALE_PERIODS} periods;</li>
 *   <li>while owning, it reads before each renewal: two runtimes that claimed at the same instant see each other, and
 *       the lower token yields;</li>
 *   <li>a clean stop frees the lock (token 0), so the next start claims at once.</li>
 * </ul>
 *
 * <p>Confined to the {@link TimerThread}; answers hop back to it. All outputs of one runtime share its token, so
 * two outputs of one runtime on one PLC (each with its own coils) do not lock each other out.
 */
final class MasterLock {

    /** Heartbeat periods a lease must stand still before its owner counts as gone. */
    static final int STALE_PERIODS = 3;
    /** This runtime's token: all outputs in this bundle instance share it. */
    static final int RUNTIME_TOKEN = 1 + new SecureRandom().nextInt(65535);
    private static final Logger LOG = LoggerFactory.getLogger(MasterLock.class);

    enum State { CHECKING, OWNED, HELD_ELSEWHERE }

    /** What the lock registers held. */
    record Holder(int token, int lease) {
    }

    private final PlcSettings settings;
    private final TimerThread timer;
    private final ModbusLink link;
    private final Alarms alarms;
    private final int token;
    private volatile State state = State.CHECKING;
    private Runnable onOwned = () -> { };
    private Holder watched;
    private int lease;
    private int connection;
    private ScheduledFuture<?> recheck;

    MasterLock(PlcSettings settings, TimerThread timer, ModbusLink link, Alarms alarms, int token) {
        this.settings = settings;
        this.timer = timer;
        this.link = link;
        this.alarms = alarms;
        this.token = token;
    }

    /** Renews the lease while owned; call once. */
    void start() {
        timer.every(this::renew, settings.heartbeatPeriodMs());
    }

    boolean owned() {
        return state == State.OWNED;
    }

    /** Timer thread: a new connection; claim the lock, then run {@code owned} (the output's "connected" work). */
    void connected(Runnable owned) {
        onOwned = owned;
        state = State.CHECKING;
        watched = null;
        int current = ++connection;
        cancelRecheck();
        read(current, this::firstLook);
    }

    /** Timer thread: the connection is gone; whatever held, we no longer know. */
    void disconnected() {
        connection++;
        cancelRecheck();
        state = State.CHECKING;
    }

    /** Deactivation (timer stopped): frees the lock so the next start claims it at once. */
    void release() {
        if (state == State.OWNED) {
            link.sendAndWait(write(0, 0));
            state = State.CHECKING;
        }
    }

    String describe(Holder holder) {
        return "PLC at " + settings.endpoint() + " is driven by another LineSight runtime (token " + holder.token()
                + ", its lease in holding register " + (settings.masterLockRegister() + 1) + " advancing; this"
                + " runtime's token is " + token + "): this output drives nothing there. Stop the other runtime, or point"
                + " this output at its own PLC ('host'/'port')";
    }

    private void firstLook(Holder holder) {
        if (holder.token() == 0 || holder.token() == token) {
            claim(holder.lease());
        } else {
            watch(holder);
        }
    }

    /** Another token: look again after the stale time. */
    private void watch(Holder holder) {
        watched = holder;
        int current = connection;
        recheck = timer.after(() -> read(current, this::secondLook),
                STALE_PERIODS * settings.heartbeatPeriodMs(), TimeUnit.MILLISECONDS);
    }

    private void secondLook(Holder holder) {
        Holder before = watched;
        if (before == null || before.token() < 0) { // the last look failed: this one is the first
            firstLook(holder);
        } else if (holder.token() == 0 || holder.token() == token) {
            claim(holder.lease());
        } else if (holder.equals(before)) {
            LOG.warn("PLC at {}: the master lock of token {} has not been renewed for {} ms; its runtime is gone,"
                    + " this runtime takes over", settings.endpoint(), holder.token(),
                    STALE_PERIODS * settings.heartbeatPeriodMs());
            claim(holder.lease());
        } else {
            heldElsewhere(holder);
            watch(holder);
        }
    }

    private void claim(int leaseFound) {
        lease = next(leaseFound);
        int current = connection;
        link.sendUnguarded(write(token, lease)).whenComplete((answer, error) -> timer.run(() -> {
            if (current != connection) {
                return;
            }
            if (error != null) {
                if (Alarms.isRefusal(error)) {
                    alarms.refused("masterLockRegister", "holding registers " + settings.masterLockRegister() + ".."
                            + (settings.masterLockRegister() + 1) + " (master lock)", error);
                }
                watch(new Holder(-1, -1)); // try again after the stale time
                return;
            }
            alarms.accepted("masterLockRegister");
            boolean wasHeld = state == State.HELD_ELSEWHERE;
            state = State.OWNED;
            if (wasHeld) {
                alarms.otherMaster(null);
            }
            onOwned.run();
        }));
    }

    private void heldElsewhere(Holder holder) {
        if (state != State.HELD_ELSEWHERE) {
            state = State.HELD_ELSEWHERE;
            alarms.otherMaster(describe(holder));
        }
    }

    /** Timer thread, every heartbeat period: while owned, read (a rival?) then advance the lease. */
    private void renew() {
        if (state != State.OWNED || !link.connected()) {
            return;
        }
        int current = connection;
        read(current, holder -> {
            if (holder.token() != 0 && holder.token() != token && holder.token() > token) {
                LOG.warn("PLC at {}: runtime with token {} claimed this PLC's master lock too; the higher token"
                        + " keeps it, this runtime ({}) yields", settings.endpoint(), holder.token(), token);
                heldElsewhere(holder);
                watch(holder);
                return;
            }
            lease = next(lease);
            link.sendUnguarded(write(token, lease));
        });
    }

    private void read(int current, Consumer<Holder> then) {
        link.sendRead(new ReadHoldingRegistersRequest(settings.masterLockRegister(), 2))
                .whenComplete((response, error) -> {
                    Holder holder = error == null ? holder(response) : null;
                    timer.run(() -> {
                        if (current != connection) {
                            return;
                        }
                        if (holder != null) {
                            then.accept(holder);
                        } else if (!Alarms.isRefusal(error)) {
                            LOG.debug("PLC at {}: master lock read failed: {}", settings.endpoint(),
                                    Alarms.describe(error));
                        } else {
                            // shown in the output's detail and logged (rate-limited); the output drives nothing
                            // until the PLC lets it read the lock, and asks again every few periods
                            alarms.refused("masterLockRegister", "holding registers " + settings.masterLockRegister()
                                    + ".." + (settings.masterLockRegister() + 1) + " (master lock, read)", error);
                            watch(new Holder(-1, -1));
                        }
                    });
                });
    }

    private static Holder holder(ModbusResponse response) {
        try {
            ByteBuf registers = ((ReadHoldingRegistersResponse) response).getRegisters();
            int at = registers.readerIndex();
            return new Holder(registers.getUnsignedShort(at), registers.getUnsignedShort(at + 2));
        } finally {
            ReferenceCountUtil.release(response);
        }
    }

    private WriteMultipleRegistersRequest write(int owner, int leaseValue) {
        return new WriteMultipleRegistersRequest(settings.masterLockRegister(), 2,
                ResultRegisters.toBytes(new int[] {owner, leaseValue}));
    }

    private static int next(int leaseValue) {
        return (leaseValue + 1) & 0xFFFF;
    }

    private void cancelRecheck() {
        if (recheck != null) {
            recheck.cancel(false);
            recheck = null;
        }
    }
}
