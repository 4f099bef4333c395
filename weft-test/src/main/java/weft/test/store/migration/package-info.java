/** The migrations {@link weft.test.StoreContract} applies (SQL resources, opened to Flyway). */
package weft.test.store.migration;
