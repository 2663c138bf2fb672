package io.braid.pubsub.presence;

/**
 * A client's membership of a tracked topic, as one node tells the others of a cluster.
 *
 * @param topic the topic name
 * @param clientId the member
 * @param info its info, a JSON object, or null
 * @param uniqueName the name no other member of the topic may have, or null
 */
public record Membership(String topic, String clientId, String info, String uniqueName) {
}
