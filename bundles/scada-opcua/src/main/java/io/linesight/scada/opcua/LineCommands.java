package io.linesight.scada.opcua;

/**
 * What the line methods do, behind the OPC UA plumbing. Every method returns one sentence saying what
 * happened, or throws saying why not, with the status code for the caller.
 */
interface LineCommands {

    /** Sets the line's counters back to zero. */
    String resetCounters(String lineId, ScadaUser user) throws CommandRefusedException;

    /** Makes {@code name@version} the line's model, through the model deployment (gate included). */
    String activateModel(String lineId, String name, String version, ScadaUser user) throws CommandRefusedException;

    /** Returns the line to its previous model. */
    String rollbackModel(String lineId, ScadaUser user) throws CommandRefusedException;

    /** Deletes the stored version {@code name@version} (refused while a line needs it). */
    String removeModel(String name, String version, ScadaUser user) throws CommandRefusedException;

    /** Starts a shadow trial of {@code name@version} on the line, through the model deployment (gate included). */
    default String shadowModel(String lineId, String name, String version, ScadaUser user)
            throws CommandRefusedException {
        throw new CommandRefusedException(org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_ResourceUnavailable,
                "shadow trials are not available on this server");
    }

    /** Stops the line's shadow trial. */
    default String stopShadow(String lineId, ScadaUser user) throws CommandRefusedException {
        throw new CommandRefusedException(org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_ResourceUnavailable,
                "shadow trials are not available on this server");
    }

    /** Makes the shadow candidate the line's model. */
    default String promoteModel(String lineId, ScadaUser user) throws CommandRefusedException {
        throw new CommandRefusedException(org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_ResourceUnavailable,
                "shadow trials are not available on this server");
    }

    /** Commands for a server without lines to command (tests of the address space alone). */
    LineCommands NONE = new LineCommands() {
        @Override
        public String resetCounters(String lineId, ScadaUser user) throws CommandRefusedException {
            throw unavailable();
        }

        @Override
        public String activateModel(String lineId, String name, String version, ScadaUser user)
                throws CommandRefusedException {
            throw unavailable();
        }

        @Override
        public String rollbackModel(String lineId, ScadaUser user) throws CommandRefusedException {
            throw unavailable();
        }

        @Override
        public String removeModel(String name, String version, ScadaUser user) throws CommandRefusedException {
            throw unavailable();
        }

        private CommandRefusedException unavailable() {
            return new CommandRefusedException(org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_ResourceUnavailable,
                    "no commands are available on this server");
        }
    };
}
