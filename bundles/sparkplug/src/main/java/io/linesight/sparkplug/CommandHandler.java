package io.linesight.sparkplug;

/**
 * Carries out a command a host sent, through the same services the console uses. The node has checked the
 * allow-list and the value's type before.
 */
interface CommandHandler {

    /**
     * @param lineId  the line a DCMD is for; null for an NCMD
     * @param command what to do
     * @param value   the metric's value (Boolean, Long, String as the command's metric type)
     * @param who     who asked, for the log and the records
     * @return what was done, one sentence
     * @throws IllegalArgumentException when the value is not valid for the command (the sentence says why)
     * @throws IllegalStateException    when the command cannot be carried out now (the sentence says why)
     */
    String apply(String lineId, Command command, Object value, String who);
}
