/**
 * Presence: who is subscribed, connected, to which topics, told to subscribers of {@code $presence/<topic filter>} as
 * a snapshot of the members, then join and leave events.
 */
package io.braid.pubsub.presence;
