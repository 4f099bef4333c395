package weft.dashboard.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.genserver.CallResult;
import weft.genserver.From;
import weft.genserver.GenServer;
import weft.genserver.InitResult;
import weft.genserver.Result;
import weft.process.Process;
import weft.web.channel.Socket;
import weft.web.pubsub.PubSub;

/**
 * The dashboard's process: takes a sample every interval, keeps the chart history and broadcasts
 * the sample to every open dashboard (topic {@value #TOPIC}, event {@code sample}). A new page asks
 * it for the latest sample and the history.
 */
public final class Sampler implements GenServer<Sampler, Sampler.Request> {

  /** Where samples are broadcast. */
  public static final String TOPIC = "dashboard:live";

  private static final Logger LOG = LoggerFactory.getLogger(Sampler.class);

  /** A request. */
  public sealed interface Request {}

  /** The latest sample and the history, as {@link Snapshot}. */
  public record Latest() implements Request {}

  /** What a page starts from (the sample is null until the first is taken). */
  public record Snapshot(Sample sample, List<Sample.Point> history) {}

  /** What each {@code sample} broadcast carries: the sample and its chart point. */
  public record Live(Sample sample, Sample.Point point) {}

  private record Tick() {}

  private final java.util.function.Supplier<Collector> collector;
  private final PubSub pubsub;
  private final Duration interval;
  private final int keep;
  private final ArrayDeque<Sample.Point> history = new ArrayDeque<>();
  private Collector taking;
  private Sample latest;
  private long nextSampleNanos;

  /**
   * A sampler.
   *
   * @param collector makes the collector (in the sampler's process)
   * @param pubsub where samples go
   * @param interval how often
   * @param keep how many chart points to keep
   */
  public Sampler(
      java.util.function.Supplier<Collector> collector,
      PubSub pubsub,
      Duration interval,
      int keep) {
    this.collector = collector;
    this.pubsub = pubsub;
    this.interval = interval;
    this.keep = keep;
  }

  @Override
  public String behaviour() {
    return "Dashboard";
  }

  @Override
  public InitResult<Sampler> init() {
    taking = collector.get();
    nextSampleNanos = System.nanoTime();
    // The first sample is taken after init: reading the tree calls the supervisor that is
    // starting this process, which answers only once init has returned.
    Process.send(Process.self(), new Tick());
    Process.sendInterval(Process.self(), new Tick(), interval);
    return InitResult.ok(this);
  }

  @Override
  public CallResult<Sampler> handleCall(Request request, From from, Sampler self) {
    return switch (request) {
      case Latest l -> CallResult.reply(new Snapshot(latest, List.copyOf(history)), this);
    };
  }

  @Override
  public Result<Sampler> handleInfo(Object message, Sampler self) {
    if (message instanceof Tick) {
      Process.flush(m -> m instanceof Tick); // a slow sample does not queue up ticks
      if (System.nanoTime() - nextSampleNanos >= 0) {
        sample();
      }
    }
    return Result.noreply(this);
  }

  /**
   * Takes a sample. A sample reads every process, which costs milliseconds with tens of thousands
   * of them: the next is taken no sooner than 20 times this one's cost later while a page watches
   * (at most 5% of a core), 100 times when none does (1%), and at the interval when that is longer.
   */
  private void sample() {
    long started = System.nanoTime();
    try {
      latest = taking.take();
    } catch (RuntimeException e) {
      LOG.warn("dashboard sample failed: {}", e.toString());
      return;
    }
    Sample.Point point = latest.point();
    history.addLast(point);
    while (history.size() > keep) {
      history.removeFirst();
    }
    boolean watched = pubsub.subscriberCount(TOPIC) > 0;
    if (watched) {
      Socket.broadcast(pubsub, TOPIC, "sample", new Live(latest, point));
    }
    long now = System.nanoTime();
    nextSampleNanos = now + (now - started) * (watched ? 20 : 100);
  }
}
