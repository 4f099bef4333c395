package weft.dashboard.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import weft.genserver.GenServer;
import weft.jobs.Jobs;
import weft.process.ExitReason;
import weft.process.Node;
import weft.process.Pid;
import weft.process.ProcessInfo;
import weft.web.channel.Channel;
import weft.web.channel.ChannelContext;
import weft.web.channel.Frame;
import weft.web.channel.InResult;
import weft.web.channel.JoinResult;

/**
 * The dashboard's channel, {@value Sampler#TOPIC}: the join reply is the latest sample and the
 * chart history; samples then arrive as {@code sample} broadcasts. Actions ({@code kill} with
 * {@code {"pid"}}, {@code retry} and {@code cancel} with {@code {"id"}}) are written to the audit
 * log ({@code weft.dashboard.audit}) with who asked, before they are carried out.
 */
public final class LiveChannel implements Channel {

  private static final Logger AUDIT = LoggerFactory.getLogger("weft.dashboard.audit");

  private final Node node;
  private final Supplier<Pid> sampler;
  private final Jobs jobs;
  private final String root;

  /**
   * A channel.
   *
   * @param node the node whose processes may be killed
   * @param sampler the sampler's current pid
   * @param jobs the jobs, or null
   * @param root the root supervisor's registered name (it may not be killed), or null
   */
  public LiveChannel(Node node, Supplier<Pid> sampler, Jobs jobs, String root) {
    this.node = node;
    this.sampler = sampler;
    this.jobs = jobs;
    this.root = root;
  }

  @Override
  public JoinResult join(String topic, JsonNode params, ChannelContext ctx) {
    if (!topic.equals(Sampler.TOPIC)) {
      return JoinResult.error(Map.of("reason", "unknown topic"));
    }
    Pid pid = sampler.get();
    if (pid == null) {
      return JoinResult.error(Map.of("reason", "the dashboard is starting"));
    }
    Sampler.Snapshot s = GenServer.call(pid, new Sampler.Latest(), Duration.ofSeconds(5));
    return JoinResult.ok(s);
  }

  @Override
  public InResult handleIn(String event, Frame.Payload payload, ChannelContext ctx) {
    JsonNode body = payload instanceof Frame.JsonPayload(JsonNode json) ? json : null;
    String who = String.valueOf(ctx.assigns().getOrDefault("peer", "unknown"));
    return switch (event) {
      case "kill" -> kill(body == null ? "" : body.path("pid").asString(""), who);
      case "retry", "cancel" -> job(event, body == null ? -1 : body.path("id").asLong(-1), who);
      default -> InResult.replyError(Map.of("reason", "unknown action " + event));
    };
  }

  private InResult kill(String pidText, String who) {
    Optional<ProcessInfo> target =
        node.processes().stream().filter(p -> p.pid().toString().equals(pidText)).findFirst();
    if (target.isEmpty()) {
      return InResult.replyError(Map.of("reason", "no process " + pidText));
    }
    ProcessInfo p = target.get();
    if (root != null && p.name().filter(root::equals).isPresent()) {
      AUDIT.warn("dashboard user at {} was refused killing the root supervisor {}", who, pidText);
      return InResult.replyError(
          Map.of("reason", "the root supervisor has no supervisor to restart it"));
    }
    AUDIT.warn(
        "dashboard user at {} killed process {} (name {}, behaviour {})",
        who,
        pidText,
        p.name().orElse("-"),
        p.behaviour().orElse("-"));
    node.exit(p.pid(), ExitReason.KILL);
    return InResult.reply(Map.of("killed", pidText));
  }

  private InResult job(String action, long id, String who) {
    if (jobs == null) {
      return InResult.replyError(Map.of("reason", "this dashboard shows no jobs"));
    }
    if (id < 0) {
      return InResult.replyError(Map.of("reason", "id must be a job id"));
    }
    AUDIT.warn("dashboard user at {} asked to {} job {}", who, action, id);
    boolean done = action.equals("retry") ? jobs.retry(id) : jobs.cancel(id);
    AUDIT.warn("{} of job {} {}", action, id, done ? "done" : "refused (not in a state for it)");
    return done
        ? InResult.reply(Map.of("id", id))
        : InResult.replyError(
            Map.of(
                "reason",
                "job " + id + " cannot be " + (action.equals("retry") ? "retried" : "cancelled")));
  }
}
