package io.linesight.api.model;

/**
 * One class and how sure the model is of it.
 *
 * @param index      position in the model's label list
 * @param label      the class name
 * @param confidence probability in [0, 1]
 */
public record ClassScore(int index, String label, float confidence) {
}
