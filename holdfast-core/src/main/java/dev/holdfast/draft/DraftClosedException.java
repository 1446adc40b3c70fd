package dev.holdfast.draft;

import dev.holdfast.error.HoldfastException;

/**
 * The draft is no longer open: it was committed, cancelled or expired (or never existed). Nothing was recorded.
 * A second {@link Draft#commit()} of one draft (two browser tabs) gets this exception: a draft commits once.
 */
public final class DraftClosedException extends HoldfastException {
    private static final long serialVersionUID = 1L;

    DraftClosedException(String message) {
        super(message);
    }
}
