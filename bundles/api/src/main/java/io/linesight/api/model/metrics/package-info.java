/**
 * Model quality figures computed one way for every caller: the deployment gate's mAP50 and
 * {@code model:eval}'s YOLOv5 val table (mAP50, mAP50-95, P, R, F1) come from the same
 * {@link io.linesight.api.model.metrics.DetectionMetrics}, so a package scores the same wherever it is
 * judged. Pure JDK arithmetic, reproducing NumPy's summation order ({@link io.linesight.api.model.metrics.PairwiseSum}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.linesight.api.model.metrics;
