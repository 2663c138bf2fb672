import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs the Autobahn|Testsuite fuzzing client (the Jython harness inside {@code autobahntestsuite-maven-plugin}) in a
 * JVM of its own, for {@code AutobahnFuzzingIT}, which starts it as a single source file ({@code java -cp <harness
 * jars> FuzzingClientMain.java url cases...}): prints one {@value #RESULT} line per case ({@code caseName behavior
 * behaviorClose}), then {@value #DONE}.
 *
 * <p>Its class path holds the harness and nothing of the tests': {@code jython-standalone} carries an old, unshaded
 * Netty that must not meet the broker's, and Jython would take the tests' Java package {@code io} for Python's
 * {@code io} module. Hence the single source file, outside the test sources, and reflection.
 */
final class FuzzingClientMain {

  static final String RESULT = "braid-autobahn-result";
  static final String DONE = "braid-autobahn-done";
  private static final String SUITE = "me.normanmaurer.maven.autobahntestsuite.AutobahnTestSuite";

  private FuzzingClientMain() {
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    List<String> cases = Arrays.asList(args).subList(1, args.length);
    Method run = Class.forName(SUITE).getMethod("runFuzzingClient", String.class, String.class, Map.class,
        List.class, List.class);
    // the agent names the reports; "version" 18 is the protocol version the plugin's own goal asks for
    List<?> results = (List<?>) run.invoke(null, "braid", url, Map.of("version", 18), cases, List.of());
    for (Object result : results) {
      System.out.println(RESULT + " " + call(result, "caseName") + " " + call(result, "behavior") + " "
          + call(result, "behaviorClose"));
    }
    System.out.println(DONE);
    System.out.flush();
    System.exit(0); // the harness leaves its reactor's threads running
  }

  private static Object call(Object target, String accessor) throws Exception {
    return target.getClass().getMethod(accessor).invoke(target);
  }
}
