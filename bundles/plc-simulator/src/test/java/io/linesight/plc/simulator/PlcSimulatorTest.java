package io.linesight.plc.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.ModbusResponseException;
import com.digitalpetri.modbus.codec.Modbus;
import com.digitalpetri.modbus.master.ModbusTcpMaster;
import com.digitalpetri.modbus.master.ModbusTcpMasterConfig;
import com.digitalpetri.modbus.requests.ModbusRequest;
import com.digitalpetri.modbus.requests.ReadCoilsRequest;
import com.digitalpetri.modbus.requests.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.requests.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.requests.WriteSingleCoilRequest;
import com.digitalpetri.modbus.requests.WriteSingleRegisterRequest;
import com.digitalpetri.modbus.responses.ModbusResponse;
import com.digitalpetri.modbus.responses.ReadCoilsResponse;
import com.digitalpetri.modbus.responses.ReadHoldingRegistersResponse;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator on a real socket, driven by a real digitalpetri master. */
class PlcSimulatorTest {

    private static final int REJECT_COIL = 7;
    private static final int HEARTBEAT_REGISTER = 3;

    private int port;
    private PlcSimulator simulator;
    private ModbusTcpMaster master;

    @BeforeEach
    void start() throws Exception {
        port = freePort();
        simulator = new PlcSimulator(ConfigProxy.of(SimulatorConfig.class, Map.of("port", port,
                "rejectCoil", REJECT_COIL, "heartbeatRegister", HEARTBEAT_REGISTER, "heartbeatTimeoutMs", 300L)));
        assertTrue(simulator.isListening());
        master = new ModbusTcpMaster(new ModbusTcpMasterConfig.Builder("127.0.0.1").setPort(port)
                .setTimeout(Duration.ofSeconds(2)).build());
        master.connect().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        master.disconnect().get(5, TimeUnit.SECONDS);
        simulator.deactivate();
    }

    @AfterAll
    static void releaseMasterThreads() {
        Modbus.releaseSharedResources(2, TimeUnit.SECONDS);
    }

    @Test
    void rejectCoilPulseIsCountedWithItsWidth() throws Exception {
        send(new WriteSingleCoilRequest(REJECT_COIL, true));
        assertTrue(simulator.coil(REJECT_COIL));
        assertEquals(1, simulator.rejectPulseCount());
        Thread.sleep(50);
        send(new WriteSingleCoilRequest(REJECT_COIL, false));
        assertEquals(1, simulator.rejectPulseCount());
        assertTrue(simulator.lastRejectPulseWidthMs() >= 40, "width " + simulator.lastRejectPulseWidthMs());
        send(new WriteSingleCoilRequest(REJECT_COIL + 1, true));
        assertEquals(1, simulator.rejectPulseCount(), "other coils are not the ejector");
        assertArrayEquals(new byte[] {(byte) 0x80}, readCoils(1, 8),
                "coils 1..8: only coil 8 is ON");
    }

    @Test
    void registersAreStoredAndServed() throws Exception {
        byte[] values = {0x00, 0x02, (byte) 0xFF, (byte) 0xFF, 0x03, (byte) 0xE8};
        send(new WriteMultipleRegistersRequest(10, 3, values));
        assertArrayEquals(new int[] {2, 0xFFFF, 1000}, simulator.holdingRegisters(10, 3));
        assertArrayEquals(values, readRegisters(10, 3));
    }

    @Test
    void heartbeatChangesAreNoticed() throws Exception {
        send(new WriteSingleRegisterRequest(HEARTBEAT_REGISTER, 41));
        send(new WriteSingleRegisterRequest(HEARTBEAT_REGISTER, 42));
        send(new WriteSingleRegisterRequest(HEARTBEAT_REGISTER, 42));
        assertEquals(2, simulator.heartbeatChanges());
        assertTrue(simulator.isHeartbeatAlive());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (simulator.isHeartbeatAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(simulator.isHeartbeatAlive(), "a heartbeat that stops is noticed");
    }

    @Test
    void addressOutsideTheMemoryIsAModbusException() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> send(new ReadHoldingRegistersRequest(1999, 2)));
        ModbusResponseException cause = assertInstanceOf(ModbusResponseException.class, e.getCause());
        assertEquals(ExceptionCode.IllegalDataAddress, cause.getResponse().getExceptionCode());
    }

    @Test
    void portInUseIsReportedWithoutThrowing() {
        PlcSimulator second = new PlcSimulator(ConfigProxy.of(SimulatorConfig.class, Map.of("port", port)));
        assertFalse(second.isListening());
        second.deactivate();
        assertTrue(simulator.isListening(), "the first one keeps serving");
    }

    @Test
    void deactivateFreesThePortAndTheThreads() throws Exception {
        simulator.deactivate();
        try (ServerSocket again = new ServerSocket(port)) {
            assertEquals(port, again.getLocalPort());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); // a terminated loop's thread exits a moment later
        while (Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith("linesight-plc-simulator"))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("linesight-plc-simulator")));
        simulator = new PlcSimulator(ConfigProxy.of(SimulatorConfig.class, Map.of("port", freePort())));
    }

    private ModbusResponse send(ModbusRequest request) throws Exception {
        return master.<ModbusResponse>sendRequest(request, 1).get(5, TimeUnit.SECONDS);
    }

    private byte[] readCoils(int address, int quantity) throws Exception {
        ReadCoilsResponse response = (ReadCoilsResponse) send(new ReadCoilsRequest(address, quantity));
        try {
            return ByteBufUtil.getBytes(response.getCoilStatus());
        } finally {
            ReferenceCountUtil.release(response);
        }
    }

    private byte[] readRegisters(int address, int quantity) throws Exception {
        ReadHoldingRegistersResponse response =
                (ReadHoldingRegistersResponse) send(new ReadHoldingRegistersRequest(address, quantity));
        try {
            return ByteBufUtil.getBytes(response.getRegisters());
        } finally {
            ReferenceCountUtil.release(response);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
