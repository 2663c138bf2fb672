package io.braid.it;

import static io.braid.it.ChatBrowsers.await;
import static io.braid.it.ChatBrowsers.awaitMessages;
import static io.braid.it.ChatBrowsers.members;
import static io.braid.it.ChatBrowsers.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.chat.ChatDefaults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;

/**
 * The chat page in headless Chromium against two clustered chat brokers in child JVMs, each browser on its own node:
 * users of one room on different nodes see each other in its member list, talk, read what was said before they came,
 * cannot take a nickname used on the other node, and see the users of a node killed with {@code kill -9} leave.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterChatBrowserIT {

  private static final Path SCREENSHOTS = Path.of("target", "chat-screenshots");
  private static final List<ChildBroker> nodes = new ArrayList<>();
  private final ChatBrowsers browsers = new ChatBrowsers();

  @RegisterExtension
  final AfterTestExecutionCallback screenshotsOnFailure = context -> {
    if (context.getExecutionException().isPresent()) {
      browsers.screenshots(SCREENSHOTS, "cluster-" + context.getRequiredTestMethod().getName());
    }
  };

  @BeforeAll
  static void startCluster() throws Exception {
    List<String> chat = new ArrayList<>(List.of("--memory"));
    ChatDefaults.settings().forEach((key, value) -> chat.addAll(List.of("--set", key + "=" + value)));
    nodes.addAll(TestClusters.start(TestClusters.freePorts(2), chat));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (ChildBroker node : nodes) {
      node.close();
    }
  }

  @AfterEach
  void closeBrowsers() {
    browsers.close();
  }

  private WebDriver chat(ChildBroker node, String nick, String room) {
    return browsers.chat(node.port(), nick, room);
  }

  @Test
  @Order(1)
  void usersOnTwoNodesSeeEachOtherInTheirRoomAndTalk() {
    WebDriver alice = chat(nodes.get(0), "alice", "lobby");
    WebDriver bob = chat(nodes.get(1), "bob", "lobby");
    await(alice, d -> members(d).equals(List.of("alice", "bob")));
    await(bob, d -> members(d).equals(List.of("alice", "bob")));

    send(alice, "hi bob");
    awaitMessages(bob, "alice hi bob");
    send(bob, "hello alice");

    awaitMessages(alice, "alice hi bob delivered", "bob hello alice");
  }

  @Test
  @Order(2)
  void aUserComingToTheOtherNodeReadsWhatWasSaidBefore() {
    WebDriver alice = chat(nodes.get(0), "alice", "history");
    send(alice, "one");
    send(alice, "two");
    awaitMessages(alice, "alice one delivered", "alice two delivered");

    WebDriver bob = chat(nodes.get(1), "bob", "history");

    awaitMessages(bob, "alice one", "alice two");
  }

  @Test
  @Order(3)
  void aNicknameUsedOnOneNodeIsRefusedOnTheOther() {
    WebDriver alice = chat(nodes.get(0), "alice", "names");
    await(alice, d -> members(d).equals(List.of("alice")));
    WebDriver second = chat(nodes.get(1), "alice", "elsewhere");

    second.findElement(By.id("room-name")).sendKeys("names", Keys.ENTER);

    await(second, d -> d.findElement(By.id("send-error")).getText()
        .equals("The nickname alice is taken in names: choose another to join it."));
    assertThat(second.findElement(By.id("room-title")).getText()).isEqualTo("elsewhere");
  }

  @Test
  @Order(4)
  void theUsersOfAKilledNodeLeaveTheRoom() throws Exception {
    chat(nodes.get(0), "alice", "crash");
    WebDriver bob = chat(nodes.get(1), "bob", "crash");
    await(bob, d -> members(d).equals(List.of("alice", "bob")));

    nodes.get(0).kill9();

    await(bob, d -> members(d).equals(List.of("bob")));
  }
}
