package weft.process;

/**
 * A unique reference, like Erlang's {@code make_ref()}: equal only to itself. Monitors and timers
 * are identified by one.
 */
public final class Ref {

  private Ref() {}

  /**
   * Makes a new reference, different from every other.
   *
   * @return the reference
   */
  public static Ref make() {
    return new Ref();
  }

  @Override
  public String toString() {
    return "#Ref<" + Integer.toHexString(System.identityHashCode(this)) + ">";
  }
}
