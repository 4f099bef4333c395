/** The chat: rooms over Phoenix channels, history in the store, mentions as jobs, a dashboard. */
module weft.examples.chat {
  requires transitive weft.web;
  requires weft.store;
  requires weft.jobs;
  requires transitive weft.dashboard;
  requires org.slf4j;

  // ChatApp starts the chat from other programs (the HTTP benchmark); messages and metas are
  // records written by Jackson.
  exports weft.examples.chat;

  opens weft.examples.chat to
      tools.jackson.databind;
  // The migrations are resources: Flyway (another module) reads them through the class loader.
  opens db.chat;
}
