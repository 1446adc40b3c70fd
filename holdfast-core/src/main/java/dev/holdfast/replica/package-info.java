/**
 * Reads from replicas that already have what the caller has seen: {@link dev.holdfast.replica.CausalToken} (a commit
 * position the application can carry between requests and processes), {@link dev.holdfast.replica.ReadOptions} (which
 * position a read needs and how long it may wait for a replica to reach it) and
 * {@link dev.holdfast.replica.ReplicaReads} (where reads were served). See {@code docs/replicas.md}.
 */
package dev.holdfast.replica;
