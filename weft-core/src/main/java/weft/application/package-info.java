/**
 * Applications, as OTP's: an {@link weft.application.Application} builds one supervision tree from
 * its {@link weft.application.Config} (each {@link weft.application.Setting}'s default, then a
 * properties file, then environment variables, checked at start), starts it in order and stops it
 * in reverse.
 */
package weft.application;
