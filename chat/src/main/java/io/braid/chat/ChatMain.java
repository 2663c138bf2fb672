package io.braid.chat;

import io.braid.server.cli.BraidServerMain;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar braid-chat.jar}: the topic chat service (the broker with the chat page, on embedded defaults), or
 * with {@code client} a terminal chat client on the Java SDK.
 */
@Command(name = "braid-chat", mixinStandardHelpOptions = true, subcommands = {ChatClientCommand.class},
    description = {"The Braid topic chat: the broker and its web page at http://localhost:8080/.",
        "Every braid-server flag works (--port, --data-dir, --memory, --set KEY=VALUE, ...).",
        "'braid-chat client --room lobby --nick alice' chats from a terminal."})
public final class ChatMain implements java.util.concurrent.Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "BROKER-FLAGS", description = "braid-server flags")
  List<String> brokerFlags = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>(ChatDefaults.arguments());
    args.addAll(brokerFlags);
    return new CommandLine(new BraidServerMain()).execute(args.toArray(String[]::new));
  }

  public static void main(String[] args) {
    CommandLine command = new CommandLine(new ChatMain()).setUnmatchedArgumentsAllowed(false)
        .setUnmatchedOptionsArePositionalParams(true);
    int code = command.execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
