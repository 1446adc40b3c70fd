package dev.holdfast.draft;

import dev.holdfast.error.HoldfastException;

/**
 * Another handle on the same draft (another request, tab or process) changed it since this handle last saw it, and
 * the operation asked for would undo, redo or discard something this handle has not seen. Nothing was done: call
 * {@link Draft#refresh()}, look at the draft again, and repeat the operation if it still makes sense.
 */
public final class DraftChangedException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    DraftChangedException(String message) {
        super(message);
    }
}
