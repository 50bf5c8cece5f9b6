package io.linesight.model.deploy;

import io.linesight.api.deploy.Activation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A line's history replayed as a stack of {@code name@version}: an activation pushes its model (on top of
 * the model it replaced, for the very first activation), a rollback pops back to the model below, a
 * refusal or a shadow trial changes nothing. The top is the active model; the one below it is where a rollback goes. So
 * rolling back twice after activating A, B, C returns to B, then A.
 *
 * <p>A restore (the model given back to a line when it appears, after a restart) names the model the line
 * runs from then on: the model on top when all is well (nothing changes), a model further down when the ones
 * above it can no longer run (their signer left the trust list, their folder is gone), which drops them.
 */
final class ActivationStack {

    static final String ACTIVATE = "activate";
    static final String ROLLBACK = "rollback";
    static final String REFUSED = "refused";
    static final String RESTORE = "restore";
    /** A candidate started in a shadow trial: the line's active model did not change. */
    static final String SHADOW = "shadow";

    private final Deque<String> stack = new ArrayDeque<>();

    static ActivationStack replay(List<Activation> history) {
        ActivationStack s = new ActivationStack();
        history.forEach(s::apply);
        return s;
    }

    private void apply(Activation a) {
        switch (a.action()) {
            case ACTIVATE -> {
                if (stack.isEmpty() && a.previous() != null) {
                    stack.push(a.previous());
                }
                if (!a.model().equals(stack.peek())) {
                    stack.push(a.model());
                }
            }
            case ROLLBACK -> {
                stack.poll();
                if (!a.model().equals(stack.peek())) {
                    // the record disagrees with the replay (an edited file): trust the record
                    stack.clear();
                    stack.push(a.model());
                }
            }
            case RESTORE -> {
                if (stack.contains(a.model())) {
                    while (!a.model().equals(stack.peek())) {
                        stack.pop(); // a fallback: the models above could not run
                    }
                } else {
                    stack.clear();
                    stack.push(a.model());
                }
            }
            default -> {
                // refused, shadow: the line's active model did not change
            }
        }
    }

    /** {@code name@version} the line was last switched to. */
    Optional<String> active() {
        return Optional.ofNullable(stack.peek());
    }

    /** Every model of the stack, the active one first: where a fallback looks, in order. */
    List<String> fromTop() {
        return List.copyOf(stack);
    }

    /** True when {@code id} is anywhere in the stack: the active model or one that rollbacks walk back to. */
    boolean contains(String id) {
        return stack.contains(id);
    }

    /** {@code name@version} a rollback returns to. */
    Optional<String> rollbackTarget() {
        if (stack.size() < 2) {
            return Optional.empty();
        }
        var it = stack.iterator();
        it.next();
        return Optional.of(it.next());
    }
}
