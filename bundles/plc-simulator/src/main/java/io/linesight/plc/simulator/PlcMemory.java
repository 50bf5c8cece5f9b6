package io.linesight.plc.simulator;

/**
 * The simulated PLC's coils and holding registers. Thread-safe; every write is reported to a
 * {@link Listener} after it is stored, in the order the writes arrived.
 */
final class PlcMemory {

    /** Told about every stored write, including writes that do not change the value. */
    interface Listener {
        void coilWritten(int address, boolean value);

        void registerWritten(int address, int value);
    }

    private final boolean[] coils;
    private final int[] registers;
    private final Listener listener;

    PlcMemory(int coilCount, int registerCount, Listener listener) {
        this.coils = new boolean[coilCount];
        this.registers = new int[registerCount];
        this.listener = listener;
    }

    boolean coilsInRange(int address, int quantity) {
        return inRange(address, quantity, coils.length);
    }

    boolean registersInRange(int address, int quantity) {
        return inRange(address, quantity, registers.length);
    }

    synchronized boolean[] readCoils(int address, int quantity) {
        boolean[] out = new boolean[quantity];
        System.arraycopy(coils, address, out, 0, quantity);
        return out;
    }

    synchronized int[] readRegisters(int address, int quantity) {
        int[] out = new int[quantity];
        System.arraycopy(registers, address, out, 0, quantity);
        return out;
    }

    /** Stores coils starting at {@code address}; the caller checked the range. */
    synchronized void writeCoils(int address, boolean[] values) {
        for (int i = 0; i < values.length; i++) {
            coils[address + i] = values[i];
            listener.coilWritten(address + i, values[i]);
        }
    }

    /** Stores registers starting at {@code address}, each masked to 16 bits; the caller checked the range. */
    synchronized void writeRegisters(int address, int[] values) {
        for (int i = 0; i < values.length; i++) {
            registers[address + i] = values[i] & 0xFFFF;
            listener.registerWritten(address + i, registers[address + i]);
        }
    }

    private static boolean inRange(int address, int quantity, int size) {
        return address >= 0 && quantity >= 1 && (long) address + quantity <= size;
    }
}
