package io.braid.it;

import static io.braid.it.ChatBrowsers.await;
import static io.braid.it.ChatBrowsers.awaitMessages;
import static io.braid.it.ChatBrowsers.joinRoom;
import static io.braid.it.ChatBrowsers.members;
import static io.braid.it.ChatBrowsers.messages;
import static io.braid.it.ChatBrowsers.screenshot;
import static io.braid.it.ChatBrowsers.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.braid.chat.ChatDefaults;
import io.braid.client.BlockingBraidClient;
import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.server.BrokerRuntime;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The chat page in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, named explicitly so that
 * nothing is downloaded), against the broker with the chat defaults: conversations, rooms, presence, history, a broker
 * restart, HTML injection, the rate limit, sends while offline. Screenshots of every browser are saved under
 * {@code target/chat-screenshots} when a test fails.
 */
class ChatBrowserIT {

  private static final Path SCREENSHOTS = Path.of("target", "chat-screenshots");

  @TempDir
  Path dataDirectory;
  private BrokerRuntime broker;
  private int port;
  private final ChatBrowsers browsers = new ChatBrowsers();

  @RegisterExtension
  final AfterTestExecutionCallback screenshotsOnFailure = context -> {
    if (context.getExecutionException().isPresent()) {
      browsers.screenshots(SCREENSHOTS, context.getRequiredTestMethod().getName());
    }
  };

  @AfterEach
  void stop() throws Exception {
    for (Process terminal : terminals) {
      terminal.destroyForcibly().waitFor();
    }
    browsers.close();
    TestBrokers.stop(broker);
  }

  private void startBroker(String... more) throws IOException {
    if (port == 0) {
      try (ServerSocket free = new ServerSocket(0)) {
        port = free.getLocalPort();
      }
    }
    Map<String, String> settings = TestBrokers.settings("server.port", Integer.toString(port), "store.type", "mvstore",
        "store.dataDir", dataDirectory.toString());
    settings.putAll(ChatDefaults.settings());
    for (int i = 0; i + 1 < more.length; i += 2) {
      settings.put(more[i], more[i + 1]);
    }
    broker = TestBrokers.start(settings);
  }

  @Test
  void twoUsersInARoomTalkAndAUserInAnotherRoomSeesNothingOfIt() throws Exception {
    startBroker();
    WebDriver alice = chat("alice", "lobby");
    WebDriver bob = chat("bob", "lobby");
    WebDriver carol = chat("carol", "elsewhere");

    send(alice, "hi bob");
    awaitMessages(bob, "alice hi bob");
    send(bob, "hello alice");
    awaitMessages(alice, "alice hi bob delivered", "bob hello alice");

    assertThat(messages(carol)).isEmpty();
    String keep = System.getProperty("chat.screenshot");
    if (keep != null) {
      screenshot(alice, Path.of(keep));
    }
  }

  @Test
  void chromiumsCompressionOfferIsAcceptedAndALongMessageTravelsCompressed() throws Exception {
    startBroker();
    WebDriver alice = chat("alice", "lobby");
    WebDriver bob = chat("bob", "lobby");
    Object extensions = ((JavascriptExecutor) alice).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        const ws = new WebSocket(`ws://${location.host}/braid`, 'braid.v1.json');
        ws.onopen = () => { done(ws.extensions); ws.close(); };
        ws.onerror = () => done('error');""");
    assertThat(extensions).isEqualTo("permessage-deflate; server_no_context_takeover");

    String longText = "compressible ".repeat(70).trim(); // well past the 256 bytes compression starts at
    send(alice, longText);
    awaitMessages(bob, "alice " + longText);
  }

  @Test
  void theMembersOfARoomAreShownAndOneLeavesWhenItsTabCloses() throws Exception {
    startBroker();
    WebDriver alice = chat("alice", "lobby");
    WebDriver bob = chat("bob", "lobby");
    await(alice, d -> members(d).equals(List.of("alice", "bob")));

    bob.quit();

    await(alice, d -> members(d).equals(List.of("alice")));
  }

  @Test
  void theRecentHistoryAppearsOnJoining() throws Exception {
    startBroker();
    WebDriver alice = chat("alice", "lobby");
    send(alice, "one");
    send(alice, "two");
    awaitMessages(alice, "alice one delivered", "alice two delivered");

    WebDriver bob = chat("bob", "lobby");

    awaitMessages(bob, "alice one", "alice two");
  }

  @Test
  void aBrokerRestartIsSurvivedWithTheMessagesSentMeanwhileAndNoDuplicates() throws Exception {
    startBroker();
    WebDriver alice = chat("alice", "lobby");
    WebDriver bob = chat("bob", "lobby");
    send(alice, "before");
    awaitMessages(bob, "alice before");

    TestBrokers.stop(broker);
    await(alice, d -> d.findElement(By.id("connection")).getText().equals("reconnecting…"));
    send(alice, "while down");
    awaitMessages(alice, "alice before delivered", "alice while down pending");
    startBroker();

    awaitMessages(alice, "alice before delivered", "alice while down delivered");
    awaitMessages(bob, "alice before", "alice while down");
    await(bob, d -> d.findElement(By.id("connection")).getText().equals("connected"));
    assertThat(messages(bob)).containsExactly("alice before", "alice while down");
  }

  @Test
  void htmlInAMessageIsShownAsText() throws Exception {
    startBroker();
    WebDriver alice = chat("alice", "lobby");
    WebDriver bob = chat("bob", "lobby");
    String attack = "<img src=x onerror=\"window.injected=1\"><b>bold</b>";

    send(alice, attack);

    awaitMessages(bob, "alice " + attack);
    assertThat(bob.findElements(By.cssSelector("#messages b, #messages img"))).isEmpty();
    assertThat(((JavascriptExecutor) bob).executeScript("return window.injected === undefined")).isEqualTo(true);
  }

  @Test
  void sendingFasterThanTheRateShowsAClearMessage() throws Exception {
    startBroker("limits.publishRatePerClient", "1"); // one a second: a burst of sends is over it however fast typed
    WebDriver alice = chat("alice", "lobby");

    for (int i = 0; i < 5; i++) {
      send(alice, "m" + i);
    }

    await(alice, d -> d.findElement(By.id("send-error")).getText()
        .equals("You are sending too fast: wait a moment, then retry."));
    assertThat(alice.findElements(By.cssSelector("#messages li.failed button.retry"))).isNotEmpty();
  }

  @Test
  void aRoomThatIsNotShownCountsItsUnreadMessages() throws Exception {
    startBroker();
    WebDriver alice = chat("alice", "lobby");
    joinRoom(alice, "news");
    joinRoom(alice, "lobby");
    WebDriver bob = chat("bob", "news");

    send(bob, "one");
    send(bob, "two");

    await(alice, d -> d.findElements(By.cssSelector("#rooms button[data-room='news'] .unread")).stream()
        .anyMatch(badge -> badge.getText().equals("2")));
    joinRoom(alice, "news");
    awaitMessages(alice, "bob one", "bob two");
    assertThat(alice.findElements(By.cssSelector("#rooms .unread"))).isEmpty();
  }

  @Test
  void aLostHistoryIsAnnouncedAndTheRecentHistoryShownAgain() throws Exception {
    startBroker("store.type", "memory"); // a restart loses the history: a new epoch
    WebDriver alice = chat("alice", "lobby");
    WebDriver bob = chat("bob", "lobby");
    send(alice, "before");
    awaitMessages(bob, "alice before");

    TestBrokers.stop(broker);
    startBroker("store.type", "memory");

    await(bob, d -> d.findElement(By.id("notice")).isDisplayed());
    assertThat(bob.findElement(By.id("notice")).getText()).isEqualTo("Some messages of lobby could not be "
        + "recovered (epoch-changed): the recent history is shown again.");
    await(bob, d -> d.findElement(By.id("connection")).getText().equals("connected"));
    send(alice, "after");
    awaitMessages(bob, "alice after");
  }

  @Test
  void aPhoneSizedWindowShowsTheWholeChat() throws Exception {
    startBroker();
    WebDriver alice = chat("alice", "lobby");
    alice.manage().window().setSize(new Dimension(375, 740));
    WebDriver bob = chat("bob", "lobby");

    send(alice, "from a phone");

    awaitMessages(bob, "alice from a phone");
    for (String id : List.of("rooms", "messages", "members", "text")) {
      WebElement part = alice.findElement(By.id(id));
      assertThat(part.isDisplayed()).as(id).isTrue();
      assertThat(part.getRect().getX() + part.getRect().getWidth()).as("%s within the width", id)
          .isLessThanOrEqualTo(375);
    }
  }

  @Test
  void aNicknameTakenInARoomIsRefusedThere() throws Exception {
    startBroker();
    chat("alice", "lobby");
    WebDriver second = chat("alice", "elsewhere");

    second.findElement(By.id("room-name")).sendKeys("lobby", Keys.ENTER);

    await(second, d -> d.findElement(By.id("send-error")).getText()
        .equals("The nickname alice is taken in lobby: choose another to join it."));
    assertThat(second.findElement(By.id("room-title")).getText()).isEqualTo("elsewhere");
  }

  @Test
  void nobodyCanPostUnderAnotherMembersNickname() throws Exception {
    startBroker();
    WebDriver alice = chat("alice", "lobby");
    try (BlockingBraidClient mallory = BraidClient.blocking(
        new BraidClientOptions().uris("ws://127.0.0.1:" + port + "/braid")
            .presence("{\"nick\":\"mallory\"}"))) {
      mallory.connect();
      mallory.subscribe("chat/rooms/lobby", 1, message -> { });
      await(alice, d -> members(d).equals(List.of("alice", "mallory")));

      mallory.publish("chat/rooms/lobby", Buffer.buffer(
          "{\"id\":\"x\",\"nick\":\"alice\",\"text\":\"I am alice\",\"sentAt\":1}"), 1);

      awaitMessages(alice, "mallory I am alice"); // the broker's braid.sender, not the payload's claim
    }
  }

  @Test
  void aBrowserUserAndATerminalUserTalk() throws Exception {
    startBroker();
    WebDriver alice = chat("alice", "lobby");
    Process terminal = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.braid.chat.ChatMain", "client",
        "--url", "ws://127.0.0.1:" + port + "/braid", "--room", "lobby", "--nick", "term")
        .redirectErrorStream(true).start();
    terminals.add(terminal);
    BufferedReader out = new BufferedReader(new InputStreamReader(terminal.getInputStream(),
        StandardCharsets.UTF_8));
    assertThat(readUntil(out, "joined lobby as term")).isTrue();
    await(alice, d -> members(d).equals(List.of("alice", "term")));

    send(alice, "hello terminal");
    assertThat(readUntil(out, "alice: hello terminal")).isTrue();
    terminal.getOutputStream().write("hello browser\n".getBytes(StandardCharsets.UTF_8));
    terminal.getOutputStream().flush();

    awaitMessages(alice, "alice hello terminal delivered", "term hello browser");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private final List<Process> terminals = new ArrayList<>();

  /** Reads lines until one holds {@code expected} (true), the output ends (false) or 15 seconds pass (false). */
  private static boolean readUntil(BufferedReader out, String expected) throws Exception {
    CompletableFuture<Boolean> found = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.contains(expected)) {
            return true;
          }
        }
        return false;
      } catch (IOException e) {
        return false;
      }
    });
    try {
      return found.get(15, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return false;
    }
  }

  private WebDriver chat(String nick, String room) {
    return browsers.chat(port, nick, room);
  }
}
