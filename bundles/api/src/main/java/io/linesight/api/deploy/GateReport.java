package io.linesight.api.deploy;

/**
 * What the gate measured on a package before it could be activated.
 *
 * @param passed        true when every check passed
 * @param metric        {@code accuracy} (classifiers) or {@code mAP50} (detectors)
 * @param value         the metric on the package's golden set
 * @param minimum       the card's minimum for the metric
 * @param images        golden images evaluated
 * @param latencyMs     median inference latency on this machine, milliseconds
 * @param latencyBudgetMs the card's budget, milliseconds
 * @param detail        one line: what passed or what failed
 */
public record GateReport(boolean passed, String metric, double value, double minimum, int images,
                         double latencyMs, double latencyBudgetMs, String detail) {
}
