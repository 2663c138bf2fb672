package io.braid.chat;

import io.braid.client.BlockingBraidClient;
import io.braid.client.BraidClient;
import io.braid.client.BraidClientOptions;
import io.braid.client.ReceivedMessage;
import io.braid.protocol.message.Subscribe;
import io.braid.protocol.message.SubscribeStart;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid-chat client}: joins a room from a terminal, with the Java SDK. Prints the room's recent messages and
 * every new one ({@code nick: text}), publishes each line typed, and leaves at end of input.
 */
@Command(name = "client", mixinStandardHelpOptions = true, description = "Chat in a room from the terminal.")
final class ChatClientCommand implements Callable<Integer> {

  @Option(names = "--url", defaultValue = "ws://localhost:8080/braid", description = "The broker (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--room", defaultValue = "lobby", description = "The room (default: ${DEFAULT-VALUE}).")
  String room;

  @Option(names = "--nick", required = true, description = "Your nickname in the room.")
  String nick;

  @Option(names = "--history", defaultValue = "20", description = "Recent messages shown on joining (default: ${DEFAULT-VALUE}).")
  int history;

  @Override
  public Integer call() throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    String topic = "chat/rooms/" + room;
    try (BlockingBraidClient client = BraidClient.blocking(new BraidClientOptions().uris(url)
        .presence("{\"nick\":" + ChatMessage.quote(nick) + "}"))) {
      client.connect();
      client.subscribe(Subscribe.of(topic, 1).withStart(new SubscribeStart.Last(history)),
          message -> out.println(format(message)));
      out.println("joined " + room + " as " + nick + "; type a message and Enter, Ctrl-D to leave");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          client.publish(topic, Buffer.buffer(ChatMessage.json(UUID.randomUUID().toString(), nick, line,
              System.currentTimeMillis())), 1);
        }
      }
    }
    return 0;
  }

  private static String format(ReceivedMessage message) {
    ChatMessage chat = ChatMessage.parse(message.payload().toString(StandardCharsets.UTF_8));
    return chat == null ? "(a message that is not chat)" : chat.nick() + ": " + chat.text();
  }
}
