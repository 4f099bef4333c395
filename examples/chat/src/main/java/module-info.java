/** The chat: rooms over Phoenix channels, history in the store, mentions as jobs, a dashboard. */
module weft.examples.chat {
  requires weft.web;
  requires weft.store;
  requires weft.jobs;
  requires weft.dashboard;
  requires org.slf4j;

  // Messages and metas are records written by Jackson.
  opens weft.examples.chat to
      tools.jackson.databind;
  // The migrations are resources: Flyway (another module) reads them through the class loader.
  opens db.chat;
}
