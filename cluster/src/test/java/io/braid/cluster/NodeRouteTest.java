package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.topic.TopicFilter;
import org.junit.jupiter.api.Test;

class NodeRouteTest {

  @Test
  void aKeyNamesItsRouteBack() {
    NodeRoute route = new NodeRoute("6f1c-node", TopicFilter.parse("$share/g/rooms with spaces/+/#"));

    assertThat(NodeRoute.ofKey(route.key())).isEqualTo(route);
  }

  @Test
  void aKeyWithoutANodeIsNoRoute() {
    assertThat(NodeRoute.ofKey("chat/#")).isNull();
    assertThat(NodeRoute.ofKey("\u0000chat/#")).isNull();
  }
}
