/** The jobs table's Flyway migrations (SQL resources; no classes). */
package weft.jobs.migration;
