package weft.process.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.process.Pid;
import weft.scheduler.LongSchedule;

/*
 * Design: the reporting half of the watchdog (the ticker detects, this names). Finding the holder
 * of a carrier means scanning the live processes for the one whose virtual thread is mounted on it
 * and taking its stack, which takes milliseconds with a million processes; so it runs on a thread
 * of its own, fed by the ticker, and the ticker never waits for it. Reports are rare by nature:
 * at most one per carrier per long hold.
 *
 * Threads: held() and released() are called by the ticker; the rest runs on "weft-watchdog".
 */
/** Names and reports processes that hold a carrier without reaching a yield point. */
final class Watchdog {

  private static final Logger LOG = LoggerFactory.getLogger("weft.scheduler.watchdog");
  private static final int FRAMES = 4;

  private sealed interface Event {}

  private record Held(Carrier carrier, long mount, long heldNanos) implements Event {}

  private record Released(Carrier carrier, long mount, long heldNanos) implements Event {}

  private final Duration threshold;
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

  private record Hold(Carrier carrier, long mount) {}

  private final Map<Hold, Optional<ProcessCore>> holders = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<LongSchedule>> listeners =
      new CopyOnWriteArrayList<>();
  final AtomicLong reports = new AtomicLong();

  Watchdog(Duration threshold) {
    this.threshold = threshold;
    Thread t = new Thread(this::loop, "weft-watchdog");
    t.setDaemon(true);
    t.start();
  }

  /** The ticker saw the carrier's mount number {@code mount} make no progress for too long. */
  void held(Carrier carrier, long mount, long heldNanos) {
    events.offer(new Held(carrier, mount, heldNanos));
  }

  /** A mount reported by {@link #held} has ended. */
  void released(Carrier carrier, long mount, long heldNanos) {
    events.offer(new Released(carrier, mount, heldNanos));
  }

  void addListener(Consumer<LongSchedule> listener) {
    listeners.add(listener);
  }

  void removeListener(Consumer<LongSchedule> listener) {
    listeners.remove(listener);
  }

  private void loop() {
    while (true) {
      try {
        switch (events.take()) {
          case Held(Carrier carrier, long mount, long nanos) -> report(carrier, mount, nanos);
          case Released(Carrier carrier, long mount, long nanos) -> release(carrier, mount, nanos);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("watchdog report failed", e);
      }
    }
  }

  private void report(Carrier carrier, long mount, long nanos) {
    Optional<ProcessCore> holder = Kernel.findMountedOn(carrier);
    if (carrier.mounts() != mount || carrier.current() == null) {
      return; // the hold ended while this report waited: nothing to name
    }
    reports.incrementAndGet();
    holders.put(new Hold(carrier, mount), holder);
    holder.ifPresent(ProcessCore::countLongSchedule);
    List<StackTraceElement> stack =
        holder.map(p -> Arrays.asList(p.thread().getStackTrace())).orElse(List.of());
    LongSchedule ls =
        new LongSchedule(
            holder.map(p -> (Pid) p),
            holder.flatMap(p -> Optional.ofNullable(p.name())),
            holder.flatMap(ProcessCore::behaviourLabel),
            carrier.getName(),
            Duration.ofNanos(nanos),
            stack);
    LOG.warn(
        "{} has held carrier {} for {} ms without reaching a yield point{}{}",
        who(holder),
        carrier.getName(),
        nanos / 1_000_000,
        where(stack),
        ls.inNativeCode()
            ? "; native calls cannot be preempted: run them in a DirtyPool"
            : "; JDK code and classes the agent does not instrument cannot be preempted");
    for (Consumer<LongSchedule> listener : listeners) {
      try {
        listener.accept(ls);
      } catch (RuntimeException e) {
        listeners.remove(listener);
        LOG.error("long-schedule listener {} failed and was removed", listener, e);
      }
    }
  }

  private void release(Carrier carrier, long mount, long nanos) {
    Optional<ProcessCore> holder = holders.remove(new Hold(carrier, mount));
    if (holder == null) {
      return; // not reported after all
    }
    LOG.info(
        "{} released carrier {} after {} ms (reported past {} ms)",
        who(holder),
        carrier.getName(),
        nanos / 1_000_000,
        threshold.toMillis());
  }

  private static String who(Optional<ProcessCore> holder) {
    return holder
        .map(p ->
            "process "
                + p
                + (p.name() == null ? "" : " (" + p.name() + ")")
                + p.behaviourLabel().map(b -> " [" + b + "]").orElse(""))
        .orElse("a virtual thread that is not a process");
  }

  /**
   * The top frames, and the first frame outside the JDK (the caller to look at) if further down.
   */
  private static String where(List<StackTraceElement> stack) {
    if (stack.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(", at");
    for (int i = 0; i < Math.min(FRAMES, stack.size()); i++) {
      sb.append(i == 0 ? " " : " <- ").append(stack.get(i));
    }
    for (int i = FRAMES; i < stack.size(); i++) {
      String c = stack.get(i).getClassName();
      if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
        sb.append(" <- ... <- ").append(stack.get(i));
        break;
      }
    }
    return sb.toString();
  }
}
