package dev.holdfast.internal;

/** The body of a transaction as an engine runs it: the public callback, adapted by the database. */
@FunctionalInterface
public interface Body<R> {
    R apply(Session session) throws Exception;
}
