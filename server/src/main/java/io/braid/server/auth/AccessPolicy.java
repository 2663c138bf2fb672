package io.braid.server.auth;

import io.braid.pubsub.topic.TopicFilter;
import io.braid.pubsub.topic.TopicName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who may publish to and subscribe to what: ACL rules in Mosquitto's {@code acl_file} syntax, with roles.
 *
 * <pre>
 * # before any user or role line: rules for anonymous clients
 * topic read public/#
 * # pattern lines apply to every client; %u is its user name, %c its client id
 * pattern readwrite clients/%c/#
 * role operators
 * topic readwrite ops/#
 * user alice
 * roles operators
 * topic write sensors/alice/#
 * topic deny sensors/alice/secret
 * </pre>
 *
 * <p>Access is {@code read} (subscribe), {@code write} (publish), {@code readwrite}, or {@code deny}, which wins
 * over any grant. A user's rules are the user's own, those of each of its roles (from {@code roles} lines, or from
 * its token's roles claim) and every {@code pattern}. A publish is allowed when a granting rule matches its topic
 * and no deny rule does. A subscription is allowed when a granting rule covers its whole filter and no deny rule
 * matches any topic the filter could match, so that nothing denied can reach the subscriber later; for a shared
 * subscription the filter after {@code $share/{group}/} is checked. A {@code %u} or {@code %c} whose value holds
 * {@code /}, {@code +} or {@code #} makes its rule not apply, so that no name can widen a rule.
 *
 * <p>Without a file, {@link #allowAll()}: anything goes except publishing to {@code $} topics, which belong to the
 * broker. Immutable; safe for any thread.
 */
public final class AccessPolicy {

  enum Access { READ, WRITE, READWRITE, DENY }

  /** One rule: an access and a filter, which may hold {@code %u} and {@code %c} if it is a pattern. */
  record Rule(Access access, String filter, boolean pattern) {

    boolean grants(boolean write) {
      return access == Access.READWRITE || access == (write ? Access.WRITE : Access.READ);
    }
  }

  private final boolean restrictive;
  private final List<Rule> anonymous;
  private final List<Rule> patterns;
  private final Map<String, List<Rule>> users;
  private final Map<String, List<Rule>> roles;
  private final Map<String, Set<String>> userRoles;

  private AccessPolicy(boolean restrictive, List<Rule> anonymous, List<Rule> patterns, Map<String, List<Rule>> users,
      Map<String, List<Rule>> roles, Map<String, Set<String>> userRoles) {
    this.restrictive = restrictive;
    this.anonymous = List.copyOf(anonymous);
    this.patterns = List.copyOf(patterns);
    this.users = Map.copyOf(users);
    this.roles = Map.copyOf(roles);
    this.userRoles = Map.copyOf(userRoles);
  }

  /** The policy without an ACL file: everything but publishing to {@code $} topics. */
  public static AccessPolicy allowAll() {
    return new AccessPolicy(false, List.of(), List.of(), Map.of(), Map.of(), Map.of());
  }

  /** Reads an ACL file; throws {@link IllegalArgumentException} naming the file and line of a bad entry. */
  public static AccessPolicy load(Path file) {
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the ACL file " + file + ": " + e, e);
    }
  }

  static AccessPolicy parse(List<String> lines, String source) {
    List<Rule> anonymous = new ArrayList<>();
    List<Rule> patterns = new ArrayList<>();
    Map<String, List<Rule>> users = new HashMap<>();
    Map<String, List<Rule>> roles = new HashMap<>();
    Map<String, Set<String>> userRoles = new HashMap<>();
    List<Rule> section = anonymous;
    String user = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = source + " line " + (i + 1) + ": ";
      String[] words = line.split("\\s+", 2);
      String keyword = words[0].toLowerCase(Locale.ROOT);
      String rest = words.length > 1 ? words[1].strip() : "";
      switch (keyword) {
        case "user" -> {
          require(!rest.isEmpty(), where + "'user' needs a user name");
          user = rest;
          section = users.computeIfAbsent(rest, name -> new ArrayList<>());
        }
        case "role" -> {
          require(!rest.isEmpty(), where + "'role' needs a role name");
          user = null;
          section = roles.computeIfAbsent(rest, name -> new ArrayList<>());
        }
        case "roles" -> {
          require(user != null, where + "'roles' belongs in a user section");
          for (String role : rest.split(",")) {
            require(!role.isBlank(), where + "empty role name");
            userRoles.computeIfAbsent(user, name -> new HashSet<>()).add(role.strip());
          }
        }
        case "topic", "pattern" -> {
          Rule rule = rule(rest, keyword.equals("pattern"), where);
          (rule.pattern() ? patterns : section).add(rule);
        }
        default -> throw new IllegalArgumentException(where + "unknown keyword '" + words[0]
            + "' (expected topic, pattern, user, role or roles)");
      }
    }
    return new AccessPolicy(true, anonymous, patterns, users, roles, userRoles);
  }

  private static Rule rule(String rest, boolean pattern, String where) {
    String[] words = rest.split("\\s+", 2);
    Access access = Access.READWRITE;
    String filter = rest;
    if (words.length == 2) {
      switch (words[0].toLowerCase(Locale.ROOT)) {
        case "read" -> access = Access.READ;
        case "write" -> access = Access.WRITE;
        case "readwrite" -> access = Access.READWRITE;
        case "deny" -> access = Access.DENY;
        default -> access = null;
      }
      if (access != null) {
        filter = words[1].strip();
      } else {
        access = Access.READWRITE; // "topic a b" has a space in its filter: only valid if the first word is access
        filter = rest;
      }
    }
    require(!filter.isEmpty(), where + "a rule needs a topic filter");
    try {
      TopicFilter.parse(pattern ? filter.replace("%u", "u").replace("%c", "c") : filter);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "invalid topic filter '" + filter + "': " + e.getMessage(), e);
    }
    return new Rule(access, filter, pattern);
  }

  /**
   * The rules that apply to {@code principal} connected as {@code clientId}, with {@code %u} and {@code %c}
   * substituted: resolved once per connection, so that checking a publish costs only matching.
   */
  public ClientAccess forClient(Principal principal, String clientId) {
    if (!restrictive) {
      return ClientAccess.ALLOW_ALL;
    }
    List<ClientAccess.Grant> grants = new ArrayList<>();
    for (Rule rule : rulesOf(principal)) {
      List<String> levels = levels(rule, principal, clientId);
      if (levels != null) {
        grants.add(new ClientAccess.Grant(rule.access() == Access.DENY, rule.grants(false), rule.grants(true),
            levels));
      }
    }
    return new ClientAccess(grants);
  }

  /** Whether {@code principal}, connected as {@code clientId}, may publish to {@code topic}. */
  public boolean canPublish(Principal principal, String clientId, TopicName topic) {
    return forClient(principal, clientId).canPublish(topic);
  }

  /** Whether {@code principal}, connected as {@code clientId}, may subscribe to {@code filter}. */
  public boolean canSubscribe(Principal principal, String clientId, TopicFilter filter) {
    return forClient(principal, clientId).canSubscribe(filter);
  }

  /** Whether an ACL file is in force (as opposed to {@link #allowAll()}). */
  public boolean isRestrictive() {
    return restrictive;
  }

  private List<Rule> rulesOf(Principal principal) {
    List<Rule> rules = new ArrayList<>(patterns);
    if (principal.isAnonymous()) {
      rules.addAll(anonymous);
      return rules;
    }
    rules.addAll(users.getOrDefault(principal.username(), List.of()));
    Set<String> memberships = new HashSet<>(principal.roles());
    memberships.addAll(userRoles.getOrDefault(principal.username(), Set.of()));
    for (String role : memberships) {
      rules.addAll(roles.getOrDefault(role, List.of()));
    }
    return rules;
  }

  /** The rule's filter levels for this client, or null if a substitution makes it not apply. */
  private static List<String> levels(Rule rule, Principal principal, String clientId) {
    String filter = rule.filter();
    if (rule.pattern()) {
      if (filter.contains("%u")) {
        if (principal.username() == null || !safe(principal.username())) {
          return null;
        }
        filter = filter.replace("%u", principal.username());
      }
      if (filter.contains("%c")) {
        if (!safe(clientId)) {
          return null;
        }
        filter = filter.replace("%c", clientId);
      }
    }
    return List.of(filter.split("/", -1));
  }

  private static boolean safe(String value) {
    return !value.isEmpty() && value.indexOf('/') < 0 && value.indexOf('+') < 0 && value.indexOf('#') < 0;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
