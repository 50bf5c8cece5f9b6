package io.linesight.plc.simulator;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.requests.ReadCoilsRequest;
import com.digitalpetri.modbus.requests.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.requests.WriteMultipleCoilsRequest;
import com.digitalpetri.modbus.requests.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.requests.WriteSingleCoilRequest;
import com.digitalpetri.modbus.requests.WriteSingleRegisterRequest;
import com.digitalpetri.modbus.responses.ReadCoilsResponse;
import com.digitalpetri.modbus.responses.ReadHoldingRegistersResponse;
import com.digitalpetri.modbus.responses.WriteMultipleCoilsResponse;
import com.digitalpetri.modbus.responses.WriteMultipleRegistersResponse;
import com.digitalpetri.modbus.responses.WriteSingleCoilResponse;
import com.digitalpetri.modbus.responses.WriteSingleRegisterResponse;
import com.digitalpetri.modbus.slave.ServiceRequestHandler;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;

/**
 * Serves the function codes a line's PLC link uses (read coils, read holding registers, write single
 * and multiple coils and registers) from {@link PlcMemory}; any unit id is accepted. Out-of-range
 * addresses get the Modbus exception "illegal data address", as a real PLC would answer. Runs on the
 * netty event loop; every request buffer is released here.
 */
final class SlaveRequestHandler implements ServiceRequestHandler {

    private final PlcMemory memory;

    SlaveRequestHandler(PlcMemory memory) {
        this.memory = memory;
    }

    @Override
    public void onReadCoils(ServiceRequest<ReadCoilsRequest, ReadCoilsResponse> service) {
        ReadCoilsRequest request = service.getRequest();
        if (memory.coilsInRange(request.getAddress(), request.getQuantity())) {
            boolean[] bits = memory.readCoils(request.getAddress(), request.getQuantity());
            service.sendResponse(new ReadCoilsResponse(Unpooled.wrappedBuffer(Packing.packBits(bits))));
        } else {
            service.sendException(ExceptionCode.IllegalDataAddress);
        }
        ReferenceCountUtil.release(request);
    }

    @Override
    public void onReadHoldingRegisters(
            ServiceRequest<ReadHoldingRegistersRequest, ReadHoldingRegistersResponse> service) {
        ReadHoldingRegistersRequest request = service.getRequest();
        if (memory.registersInRange(request.getAddress(), request.getQuantity())) {
            int[] words = memory.readRegisters(request.getAddress(), request.getQuantity());
            service.sendResponse(new ReadHoldingRegistersResponse(
                    Unpooled.wrappedBuffer(Packing.wordsToBytes(words))));
        } else {
            service.sendException(ExceptionCode.IllegalDataAddress);
        }
        ReferenceCountUtil.release(request);
    }

    @Override
    public void onWriteSingleCoil(ServiceRequest<WriteSingleCoilRequest, WriteSingleCoilResponse> service) {
        WriteSingleCoilRequest request = service.getRequest();
        if (memory.coilsInRange(request.getAddress(), 1)) {
            memory.writeCoils(request.getAddress(), new boolean[] {request.getValue() == 0xFF00});
            service.sendResponse(new WriteSingleCoilResponse(request.getAddress(), request.getValue()));
        } else {
            service.sendException(ExceptionCode.IllegalDataAddress);
        }
        ReferenceCountUtil.release(request);
    }

    @Override
    public void onWriteSingleRegister(
            ServiceRequest<WriteSingleRegisterRequest, WriteSingleRegisterResponse> service) {
        WriteSingleRegisterRequest request = service.getRequest();
        if (memory.registersInRange(request.getAddress(), 1)) {
            memory.writeRegisters(request.getAddress(), new int[] {request.getValue()});
            service.sendResponse(new WriteSingleRegisterResponse(request.getAddress(), request.getValue()));
        } else {
            service.sendException(ExceptionCode.IllegalDataAddress);
        }
        ReferenceCountUtil.release(request);
    }

    @Override
    public void onWriteMultipleCoils(
            ServiceRequest<WriteMultipleCoilsRequest, WriteMultipleCoilsResponse> service) {
        WriteMultipleCoilsRequest request = service.getRequest();
        try {
            byte[] bytes = ByteBufUtil.getBytes(request.getValues());
            if (!memory.coilsInRange(request.getAddress(), request.getQuantity())) {
                service.sendException(ExceptionCode.IllegalDataAddress);
            } else if (bytes.length != (request.getQuantity() + 7) / 8) {
                service.sendException(ExceptionCode.IllegalDataValue);
            } else {
                memory.writeCoils(request.getAddress(), Packing.unpackBits(bytes, request.getQuantity()));
                service.sendResponse(new WriteMultipleCoilsResponse(request.getAddress(), request.getQuantity()));
            }
        } finally {
            ReferenceCountUtil.release(request);
        }
    }

    @Override
    public void onWriteMultipleRegisters(
            ServiceRequest<WriteMultipleRegistersRequest, WriteMultipleRegistersResponse> service) {
        WriteMultipleRegistersRequest request = service.getRequest();
        try {
            byte[] bytes = ByteBufUtil.getBytes(request.getValues());
            if (!memory.registersInRange(request.getAddress(), request.getQuantity())) {
                service.sendException(ExceptionCode.IllegalDataAddress);
            } else if (bytes.length != 2 * request.getQuantity()) {
                service.sendException(ExceptionCode.IllegalDataValue);
            } else {
                memory.writeRegisters(request.getAddress(), Packing.bytesToWords(bytes, request.getQuantity()));
                service.sendResponse(
                        new WriteMultipleRegistersResponse(request.getAddress(), request.getQuantity()));
            }
        } finally {
            ReferenceCountUtil.release(request);
        }
    }
}
