/** Migrations whose second one fails, for {@link weft.test.StoreContract}. */
package weft.test.store.broken;
