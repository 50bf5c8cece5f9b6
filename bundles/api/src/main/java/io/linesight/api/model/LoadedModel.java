package io.linesight.api.model;

import io.linesight.api.frame.Frame;

/**
 * A model ready to judge frames: one inference session and the buffers around it.
 *
 * <p>Threading: {@link #infer} is called by one thread at a time (the line's inference thread).
 * Ownership: whoever called {@link ModelRuntime#load} owns the model and must {@link #close} it,
 * which releases the native session; {@code infer} after {@code close} throws
 * {@link IllegalStateException}.
 */
public interface LoadedModel extends AutoCloseable {

    /** Identity of the model, recorded with every inspection. */
    ModelInfo info();

    /**
     * Judges one frame. The frame may be of any size; the model resizes as it was trained to.
     *
     * @throws InferenceException when the engine fails on this frame; the model stays usable
     */
    InferenceResult infer(Frame frame) throws InferenceException;

    /** Releases the session and its native memory. Idempotent. */
    @Override
    void close();
}
