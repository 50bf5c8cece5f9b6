package io.linesight.it;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.requests.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.requests.WriteSingleCoilRequest;
import com.digitalpetri.modbus.requests.WriteSingleRegisterRequest;
import com.digitalpetri.modbus.responses.WriteMultipleRegistersResponse;
import com.digitalpetri.modbus.responses.WriteSingleCoilResponse;
import com.digitalpetri.modbus.responses.WriteSingleRegisterResponse;
import com.digitalpetri.modbus.slave.ModbusTcpSlave;
import com.digitalpetri.modbus.slave.ModbusTcpSlaveConfig;
import com.digitalpetri.modbus.slave.ServiceRequestHandler;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The PLC in the end-to-end test: a real Modbus TCP slave (digitalpetri's, not our simulator) that
 * records every coil and register write the runtime makes.
 */
final class RecordingPlc implements AutoCloseable {

    /** One write to a coil. */
    record CoilWrite(int address, boolean on, long atNanos) {
    }

    private final ModbusTcpSlave slave = new ModbusTcpSlave(new ModbusTcpSlaveConfig.Builder().build());
    final List<CoilWrite> coilWrites = new CopyOnWriteArrayList<>();
    /** The masters' connections, closed with the PLC: a PLC that goes away drops them too. */
    private final java.util.Set<io.netty.channel.Channel> channels = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final Map<Integer, List<Integer>> registerWrites = new ConcurrentHashMap<>();

    RecordingPlc(int port) throws Exception {
        slave.setRequestHandler(new ServiceRequestHandler() {
            @Override
            public void onWriteSingleCoil(ServiceRequest<WriteSingleCoilRequest, WriteSingleCoilResponse> service) {
                channels.add(service.getChannel());
                WriteSingleCoilRequest request = service.getRequest();
                coilWrites.add(new CoilWrite(request.getAddress(), request.getValue() == 0xFF00, System.nanoTime()));
                service.sendResponse(new WriteSingleCoilResponse(request.getAddress(), request.getValue()));
                ReferenceCountUtil.release(request);
            }

            @Override
            public void onReadHoldingRegisters(ServiceRequest<com.digitalpetri.modbus.requests.ReadHoldingRegistersRequest,
                    com.digitalpetri.modbus.responses.ReadHoldingRegistersResponse> service) {
                channels.add(service.getChannel());
                com.digitalpetri.modbus.requests.ReadHoldingRegistersRequest request = service.getRequest();
                ByteBuf values = io.netty.buffer.Unpooled.buffer(2 * request.getQuantity());
                for (int i = 0; i < request.getQuantity(); i++) {
                    List<Integer> written = registerWrites.get(request.getAddress() + i);
                    values.writeShort(written == null || written.isEmpty() ? 0 : written.get(written.size() - 1));
                }
                service.sendResponse(new com.digitalpetri.modbus.responses.ReadHoldingRegistersResponse(values));
                ReferenceCountUtil.release(request);
            }

            @Override
            public void onWriteSingleRegister(ServiceRequest<WriteSingleRegisterRequest, WriteSingleRegisterResponse> service) {
                channels.add(service.getChannel());
                WriteSingleRegisterRequest request = service.getRequest();
                record(request.getAddress(), request.getValue());
                service.sendResponse(new WriteSingleRegisterResponse(request.getAddress(), request.getValue()));
                ReferenceCountUtil.release(request);
            }

            @Override
            public void onWriteMultipleRegisters(
                    ServiceRequest<WriteMultipleRegistersRequest, WriteMultipleRegistersResponse> service) {
                channels.add(service.getChannel());
                WriteMultipleRegistersRequest request = service.getRequest();
                try {
                    ByteBuf values = request.getValues();
                    for (int i = 0; i < request.getQuantity(); i++) {
                        record(request.getAddress() + i, values.getUnsignedShort(values.readerIndex() + 2 * i));
                    }
                    service.sendResponse(new WriteMultipleRegistersResponse(request.getAddress(), request.getQuantity()));
                } catch (RuntimeException e) {
                    service.sendException(ExceptionCode.IllegalDataValue);
                } finally {
                    ReferenceCountUtil.release(request);
                }
            }
        });
        slave.bind("127.0.0.1", port).get(10, TimeUnit.SECONDS);
    }

    private void record(int address, int value) {
        registerWrites.computeIfAbsent(address, a -> new CopyOnWriteArrayList<>()).add(value);
    }

    /** Rising edges (OFF → ON) seen on a coil. */
    /** The coil's value as last written (OFF before any write). */
    boolean coil(int address) {
        boolean on = false;
        for (CoilWrite w : coilWrites) {
            if (w.address() == address) {
                on = w.on();
            }
        }
        return on;
    }

    long risingEdges(int coil) {
        boolean on = false;
        long edges = 0;
        for (CoilWrite w : coilWrites) {
            if (w.address() == coil) {
                if (w.on() && !on) {
                    edges++;
                }
                on = w.on();
            }
        }
        return edges;
    }

    /** Values written to a holding register, in order. */
    List<Integer> writes(int register) {
        return registerWrites.getOrDefault(register, List.of());
    }

    @Override
    public void close() {
        slave.shutdown();
        channels.forEach(io.netty.channel.Channel::close);
    }
}
