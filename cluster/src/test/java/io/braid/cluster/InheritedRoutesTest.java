package io.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The routes of nodes that left, served by their heirs until they expire. */
class InheritedRoutesTest {

  private final InheritedRoutes routes = new InheritedRoutes();

  @Test
  void aTopicADepartedNodeWantedGoesToItsHeirOnItsBehalf() {
    routes.inherit("a", "b", Set.of(TopicFilter.parse("load/#")));
    routes.inherit("x", "b", Set.of(TopicFilter.parse("load/+")));
    routes.inherit("y", "c", Set.of(TopicFilter.parse("other")));

    assertThat(routes.heirsFor(TopicName.parse("load/1"), 1)).isEqualTo(Map.of("b", Set.of("a", "x")));
    assertThat(routes.heirsFor(TopicName.parse("other"), 1)).isEqualTo(Map.of("c", Set.of("y")));
    assertThat(routes.heirsFor(TopicName.parse("nobody"), 1)).isEmpty();
  }

  @Test
  void whatAnHeirThatLeftInheritedGoesWithIt() {
    routes.inherit("a", "b", Set.of(TopicFilter.parse("load/#")));
    routes.inherit("session s", "c", Set.of(TopicFilter.parse("load/+")));

    routes.heirLeft("b");

    assertThat(routes.heirsFor(TopicName.parse("load/1"), 1)).isEqualTo(Map.of("c", Set.of("session s")));
  }

  @Test
  void expiredRoutesAreForgotten() {
    routes.inherit("a", "b", Set.of(TopicFilter.parse("load/#")));

    routes.expire("a");

    assertThat(routes.isEmpty()).isTrue();
    assertThat(routes.heirsFor(TopicName.parse("load/1"), 1)).isEmpty();
  }
}
