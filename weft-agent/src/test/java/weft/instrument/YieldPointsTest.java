package weft.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import samples.Samples;
import weft.process.internal.YieldPoint;

/**
 * The rewrite, on the samples: where yield points go, how often loops pass one, and that the
 * rewritten code computes what the original did. The calls land on a counting stand-in for
 * weft-core's YieldPoint.
 */
class YieldPointsTest {

  /** Loads the samples package from instrumented bytes; everything else from the parent. */
  static final class Instrumenting extends ClassLoader {
    private final boolean exits;

    Instrumenting(boolean exits) {
      super(YieldPointsTest.class.getClassLoader());
      this.exits = exits;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith("samples.")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          byte[] bytes = bytes(name);
          byte[] out = YieldPoints.instrument(bytes, getParent(), exits);
          byte[] def = out == null ? bytes : out;
          c = defineClass(name, def, 0, def.length);
        }
        return c;
      }
    }
  }

  static byte[] bytes(String className) {
    try (InputStream in =
        YieldPointsTest.class
            .getClassLoader()
            .getResourceAsStream(className.replace('.', '/') + ".class")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Class<?> samples;
  private Class<?> exitSamples;

  @BeforeEach
  void load() throws Exception {
    samples = new Instrumenting(false).loadClass(Samples.class.getName());
    exitSamples = new Instrumenting(true).loadClass(Samples.class.getName());
    YieldPoint.reset();
  }

  private static Object call(Class<?> c, String method, Object... args) throws Exception {
    for (Method m : c.getMethods()) {
      if (m.getName().equals(method) && m.getParameterCount() == args.length) {
        return m.invoke(null, args);
      }
    }
    throw new NoSuchMethodException(method);
  }

  @Test
  void aLoopChecksAtItsEntryAndOnceEvery64BackEdges() throws Exception {
    assertThat(call(samples, "sum", 64 * 100)).isEqualTo(Samples.sum(64 * 100));
    assertThat(YieldPoint.CHECK.get()).isEqualTo(1);
    assertThat(YieldPoint.LOOP.get()).isEqualTo(100);
  }

  @Test
  void recursionWithoutLoopsChecksAtEveryCall() throws Exception {
    assertThat(call(samples, "fib", 15)).isEqualTo(Samples.fib(15));
    assertThat(YieldPoint.CHECK.get()).isEqualTo(1973); // fib(15) makes 1,973 calls
    assertThat(YieldPoint.LOOP.get()).isZero();
  }

  @Test
  void leafMethodsAndClassInitialisersHaveNone() throws Exception {
    Object s = samples.getConstructor(int.class).newInstance(7);
    assertThat(samples.getField("INIT").get(null)).isEqualTo(Samples.INIT);
    YieldPoint.reset();
    assertThat(samples.getMethod("value").invoke(s)).isEqualTo(7);
    assertThat(YieldPoint.CHECK.get() + YieldPoint.LOOP.get()).isZero();
  }

  @Test
  void applicationCodeGetsTheVariantThatEndsKilledProcesses() throws Exception {
    call(exitSamples, "sum", 640);
    assertThat(YieldPoint.CHECK_EXIT.get()).isEqualTo(1);
    assertThat(YieldPoint.LOOP_EXIT.get()).isEqualTo(10);
    assertThat(YieldPoint.CHECK.get() + YieldPoint.LOOP.get()).isZero();
  }

  @Test
  void theRewrittenCodeComputesWhatTheOriginalDid() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      int n = random.nextInt(300);
      assertThat(call(samples, "nested", n)).isEqualTo(Samples.nested(n));
      assertThat(call(samples, "retries", n % 20)).isEqualTo(Samples.retries(n % 20));
      assertThat(call(samples, "machine", n)).isEqualTo(Samples.machine(n));
      assertThat(call(samples, "viaLambda", n % 50)).isEqualTo(Samples.viaLambda(n % 50));
      int[] in = random.ints(n, -1000, 1000).toArray();
      assertThat((int[]) call(samples, "sorted", (Object) in)).isEqualTo(Samples.sorted(in));
      int[] copy = Arrays.copyOf(in, in.length);
      Arrays.sort(copy);
      assertThat(Samples.sorted(in)).isEqualTo(copy);
    }
    assertThat(YieldPoint.LOOP.get()).as("loops passed their yield points").isPositive();
  }

  @Test
  void aClassWithNothingToInstrumentIsLeftAsItWas() {
    assertThat(YieldPoints.instrument(bytes(Plain.class.getName()), (ClassLoader) null, false))
        .isNull();
  }

  /** A constructor that only calls Object's, and accessors: nothing could run long. */
  static final class Plain {
    private final int a;

    Plain(int a) {
      this.a = a;
    }

    int a() {
      return a * 2 + 1;
    }
  }
}
