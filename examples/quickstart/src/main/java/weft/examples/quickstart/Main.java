package weft.examples.quickstart;

import weft.process.Node;

/** Starts a node, runs the {@link Kitchen} story and stops the node. */
public final class Main {

  private Main() {}

  /**
   * Runs the example.
   *
   * @param args ignored
   * @throws Exception if the story fails
   */
  public static void main(String[] args) throws Exception {
    try (Node node = Node.start("quickstart")) {
      Kitchen.run(node, System.out);
    }
  }
}
