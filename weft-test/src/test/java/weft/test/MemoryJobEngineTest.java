package weft.test;

import weft.jobs.engine.JobEngine;

/** The job engine contract on the in-memory engine. */
class MemoryJobEngineTest extends JobEngineContract {
  @Override
  protected JobEngine newEngine() {
    return JobEngine.inMemory();
  }
}
