/**
 * The official Phoenix JavaScript client as resources ({@code weft/js/phoenix.min.js}, {@code
 * weft/js/phoenix.mjs}), and {@link weft.js.NodeScripts} to run Node.js scripts against it.
 *
 * <p>Open, so that weft-web's static file serving (and any class loader) can read the client's
 * files, which lie in the package's directory.
 */
open module weft.phoenix.js {
  exports weft.js;
}
