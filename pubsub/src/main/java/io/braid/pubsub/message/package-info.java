/**
 * The broker's representation of an application message (MQTT 5.0 §3.3), independent of any wire encoding, and of
 * a will.
 */
package io.braid.pubsub.message;
