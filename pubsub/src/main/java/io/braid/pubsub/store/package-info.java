/**
 * Durable broker state behind {@link io.braid.pubsub.store.BrokerStore}: persistent sessions, retained messages,
 * queued and in-flight QoS 1/2 messages, with group commit. {@link io.braid.pubsub.store.InMemoryStore} keeps it in
 * memory (tests, or when configured); the embedded default is the H2 MVStore implementation.
 */
package io.braid.pubsub.store;
