package dev.holdfast.internal;

/** The row lock a select takes. */
public enum RowLock { NONE, UPDATE, SHARE }
