/** The chat's Flyway migrations (SQL resources; no classes). */
package db.chat;
