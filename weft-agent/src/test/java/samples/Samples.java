package samples;

import java.util.Arrays;

/** Methods of every shape a yield point must handle; the tests load them instrumented. */
public final class Samples {

  /** Runs in the class initialiser, which must stay without yield points. */
  public static final int INIT;

  static {
    int n = 0;
    for (int i = 0; i < 1000; i++) {
      n += i;
    }
    INIT = n;
  }

  private final int value;

  public Samples(int value) {
    this.value = value;
  }

  /** A leaf: no call, no loop. */
  public int value() {
    return value;
  }

  public static long sum(int n) {
    long s = 0;
    for (int i = 0; i < n; i++) {
      s += i;
    }
    return s;
  }

  public static long fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  }

  /** Nested loops, labelled continue, a do-while, a switch inside a loop. */
  public static long nested(int n) {
    long s = 0;
    outer:
    for (int i = 0; i < n; i++) {
      int j = 0;
      do {
        if ((i + j) % 7 == 0) {
          j++;
          continue outer;
        }
        s +=
            switch ((i * j) % 4) {
              case 0 -> 1;
              case 1 -> i;
              case 2 -> j;
              default -> -1;
            };
        j++;
      } while (j < i);
    }
    return s;
  }

  /** A loop around a try/catch whose handler jumps back. */
  public static int retries(int failures) {
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        if (attempts <= failures) {
          throw new IllegalStateException("try again");
        }
        return attempts;
      } catch (IllegalStateException e) {
        // loop again
      }
    }
  }

  /** Insertion sort: a loop inside a loop. */
  public static int[] sorted(int[] in) {
    int[] a = Arrays.copyOf(in, in.length);
    for (int i = 1; i < a.length; i++) {
      int v = a[i];
      int j = i - 1;
      while (j >= 0 && a[j] > v) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
    return a;
  }

  /** A lookup switch with a backward target: a state machine. */
  public static int machine(int steps) {
    int state = 0;
    int count = 0;
    while (count < steps) {
      switch (state) {
        case 0 -> state = 10;
        case 10 -> state = 100;
        case 100 -> state = 0;
        default -> throw new IllegalStateException();
      }
      count++;
    }
    return state;
  }

  private static int down(int x) {
    java.util.function.IntUnaryOperator g = y -> y <= 0 ? 0 : y + down(y - 1);
    return g.applyAsInt(x);
  }

  /** Recursion through a lambda, and a synchronized block in a loop. */
  public static int viaLambda(int n) {
    java.util.function.IntUnaryOperator f = x -> down(x);
    int s = 0;
    Object lock = new Object();
    for (int i = 0; i < 3; i++) {
      synchronized (lock) {
        s += f.applyAsInt(n);
      }
    }
    return s;
  }
}
