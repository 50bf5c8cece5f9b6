/**
 * Watching the active models: how far each line's outputs have drifted from what its model showed when it started.
 *
 * <p>A {@link io.linesight.api.watch.DriftWatch} service (bundle model-watch) keeps, per line, a reference window of
 * the first judged frames after an activation and a rolling window of the latest, and reports
 * {@link io.linesight.api.watch.DriftFigures}; the console, REST, OPC UA and /metrics show them, and a drift beyond the
 * configured thresholds is the alarm {@code MODEL_DRIFT}.
 *
 * <p>A {@link io.linesight.api.watch.HealthWindows} service (same bundle) opens a health window after a line switches
 * models and rolls the line back when a rule breaks inside it; {@link io.linesight.api.watch.HealthWindowStatus} says
 * where each line's window stands.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.linesight.api.watch;
