package dev.holdfast.internal;

/** How a locking select waits for rows another transaction holds. */
public enum LockWait { WAIT, NOWAIT, SKIP_LOCKED }
