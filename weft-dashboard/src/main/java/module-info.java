/**
 * Weft's live dashboard ({@link weft.dashboard}), as Phoenix LiveDashboard: processes, schedulers,
 * memory, sockets and jobs of a running node, behind a sign-in.
 */
module weft.dashboard {
  requires transitive weft.web;
  requires transitive weft.jobs;
  requires weft.phoenix.js;
  requires org.slf4j;
  requires java.management;
  requires jdk.management;

  exports weft.dashboard;

  // The live view's samples and snapshots are records Jackson writes by reflection.
  opens weft.dashboard.internal to
      tools.jackson.databind;
}
