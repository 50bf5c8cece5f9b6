package io.linesight.api.model;

/**
 * One object found by a detector, in the original frame's pixel coordinates.
 *
 * @param classIndex position in the model's label list
 * @param label      the class name
 * @param confidence objectness times class score, in [0, 1]
 * @param x1         left edge
 * @param y1         top edge
 * @param x2         right edge
 * @param y2         bottom edge
 */
public record Detection(int classIndex, String label, float confidence, float x1, float y1, float x2, float y2) {
}
