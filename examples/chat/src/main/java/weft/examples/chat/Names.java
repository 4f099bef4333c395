package weft.examples.chat;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The naming rule shared by users and rooms: 1-32 letters, digits, {@code _} and {@code -}. */
final class Names {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final Pattern MENTION = Pattern.compile("@([A-Za-z0-9_-]{1,32})");

  private Names() {}

  static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** The distinct names mentioned as {@code @name} in a message body, in order. */
  static Set<String> mentions(String body) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = MENTION.matcher(body);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
