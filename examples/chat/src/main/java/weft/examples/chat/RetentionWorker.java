package weft.examples.chat;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.LoggerFactory;
import weft.jobs.Job;
import weft.jobs.JobResult;
import weft.jobs.Worker;
import weft.jobs.WorkerOptions;

/** Deletes messages older than the retention period; run by a daily cron entry. */
final class RetentionWorker implements Worker {

  private final Messages messages;
  private final Duration retention;

  RetentionWorker(Messages messages, Duration retention) {
    this.messages = messages;
    this.retention = retention;
  }

  @Override
  public JobResult perform(Job job) {
    int deleted = messages.deleteBefore(Instant.now().minus(retention));
    LoggerFactory.getLogger(RetentionWorker.class)
        .info("retention: deleted {} message(s) older than {}", deleted, retention);
    return JobResult.ok();
  }

  @Override
  public WorkerOptions options() {
    return WorkerOptions.defaults().withQueue("maintenance").withMaxAttempts(3);
  }

  @Override
  public String name() {
    return "retention";
  }
}
