package io.linesight.api.model;

/** What a model does with a frame. */
public enum Task {
    /** One label for the whole frame, with a probability per class. */
    CLASSIFY,
    /** Boxes around objects, each with a class and a confidence. */
    DETECT
}
