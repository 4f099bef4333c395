package weft.testing.uninstrumented;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Code the agent leaves without yield points (weft-core's tests start it with {@code
 * exclude=weft.testing.uninstrumented}): it stands for JDK code, native calls and uninstrumented
 * libraries, which hold their carrier until they return.
 */
public final class Spin {

  private Spin() {}

  /**
   * Spins, with no yield point, until the flag is set.
   *
   * @param stop the flag
   * @return a value, so that the loop is not optimised away
   */
  public static long until(AtomicBoolean stop) {
    long n = 0;
    while (!stop.get()) {
      n++;
    }
    return n;
  }
}
