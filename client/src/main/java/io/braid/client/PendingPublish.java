package io.braid.client;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * A QoS 1/2 publish that a client restored from its {@link ClientStore} when it was created: made by an earlier run
 * of the process and not acknowledged then. The client sends it again once connected; {@code acknowledged} completes
 * with its acknowledgement, as the original call's future would have. An application that resumes a sequence of
 * publishes after a restart starts after these, so that it does not publish them a second time. Immutable; the
 * future completes on the client's context.
 */
public record PendingPublish(String topic, Buffer payload, int qos, Future<Void> acknowledged) {
}
