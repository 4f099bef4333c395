package weft.web.presence;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The joins and leaves of one topic held for one diff (a coalescing window, or one handler's
 * changes before they go out): every one of them, by ref (a ref that joined and left in the window
 * is in both), so that a client whose state was taken at any moment of the window converges on the
 * state at its end.
 */
final class DiffWindow {

  private final Map<String, PresenceState.Entry> joins = new LinkedHashMap<>();
  private final Map<String, PresenceState.Entry> leaves = new LinkedHashMap<>();

  void hold(List<PresenceState.Entry> joined, List<PresenceState.Entry> left) {
    for (PresenceState.Entry e : joined) {
      joins.put(e.ref(), e);
    }
    for (PresenceState.Entry e : left) {
      leaves.put(e.ref(), e);
    }
  }

  void hold(DiffWindow other) {
    joins.putAll(other.joins);
    leaves.putAll(other.leaves);
  }

  boolean isEmpty() {
    return joins.isEmpty() && leaves.isEmpty();
  }

  /** The {@code presence_diff} payload, entries ordered by key then ref. */
  ObjectNode payload() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set(
        "joins",
        PresenceState.grouped(joins.values().stream().sorted(PresenceState.ORDER).toList()));
    o.set(
        "leaves",
        PresenceState.grouped(leaves.values().stream().sorted(PresenceState.ORDER).toList()));
    return o;
  }
}
