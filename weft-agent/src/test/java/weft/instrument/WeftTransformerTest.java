package weft.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.classfile.ClassFile;
import java.lang.classfile.instruction.InvokeInstruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import samples.Samples;

/**
 * Which classes get yield points, and which kind: application code (from a directory, the main
 * class's source, the `app` prefixes) ends killed processes; libraries only yield; the JDK, Weft's
 * runtime and `exclude` get none.
 */
class WeftTransformerTest {

  private final ClassLoader loader = WeftTransformerTest.class.getClassLoader();
  private final Module module = loader.getUnnamedModule();

  private WeftTransformer transformer(String app, String exclude) {
    return new WeftTransformer(
        new AgentOptions(
            app.isEmpty() ? List.of() : List.of(app),
            exclude.isEmpty() ? List.of() : List.of(exclude),
            false),
        null,
        module,
        "org.junit.Runner");
  }

  private static String target(byte[] bytes) {
    return ClassFile.of().parse(bytes).methods().stream()
        .flatMap(m -> m.code().stream())
        .flatMap(c -> c.elementStream())
        .filter(e ->
            e instanceof InvokeInstruction i
                && i.owner().asInternalName().equals("weft/process/internal/YieldPoint"))
        .map(e -> ((InvokeInstruction) e).name().stringValue())
        .findFirst()
        .orElse("none");
  }

  private byte[] transform(WeftTransformer t, ClassLoader l, String name, ProtectionDomain pd) {
    return t.transform(module, l, name.replace('.', '/'), null, pd, YieldPointsTest.bytes(name));
  }

  @Test
  void classesFromADirectoryAreApplicationCode() {
    byte[] out =
        transform(
            transformer("", ""),
            loader,
            Samples.class.getName(),
            Samples.class.getProtectionDomain());
    assertThat(target(out)).isEqualTo(YieldPoints.CHECK_EXIT);
  }

  @Test
  void classesFromAJarAreLibraryCodeUnlessListedAsApplication() throws Exception {
    Class<?> fromJar = Class.forName("com.zaxxer.hikari.pool.HikariPool");
    ProtectionDomain jar = fromJar.getProtectionDomain();
    assertThat(target(transform(transformer("", ""), loader, fromJar.getName(), jar)))
        .isEqualTo(YieldPoints.CHECK);
    assertThat(target(transform(transformer("com.zaxxer", ""), loader, fromJar.getName(), jar)))
        .isEqualTo(YieldPoints.CHECK_EXIT);
  }

  @Test
  void theJdkWeftsRuntimeAndExcludedClassesAreLeftAlone() {
    ProtectionDomain pd = Samples.class.getProtectionDomain();
    WeftTransformer t = transformer("", "samples");
    assertThat(transform(t, loader, Samples.class.getName(), pd)).isNull();
    assertThat(
            transformer("", "")
                .transform(module, null, "java/lang/String", null, null, new byte[0]))
        .isNull();
    assertThat(
            transformer("", "")
                .transform(
                    module,
                    ClassLoader.getPlatformClassLoader(),
                    "java/sql/Date",
                    null,
                    null,
                    new byte[0]))
        .isNull();
    assertThat(
            transformer("", "")
                .transform(module, loader, "weft/process/internal/Kernel", null, pd, new byte[0]))
        .isNull();
  }

  @Test
  void theMessagePathIsLeftAloneInWeftsOwnJarButNotInATestDirectory(@TempDir Path dir)
      throws Exception {
    Path marker = dir.resolve("META-INF/weft/framework");
    Files.createDirectories(marker.getParent());
    Files.createFile(marker);
    ProtectionDomain framework =
        new ProtectionDomain(
            new CodeSource(dir.toUri().toURL(), (java.security.cert.Certificate[]) null), null);
    ProtectionDomain tests = Samples.class.getProtectionDomain();
    byte[] bytes = YieldPointsTest.bytes(Samples.class.getName());
    WeftTransformer t = transformer("", "");
    for (String name : List.of("weft/process/Process", "weft/genserver/GenServer")) {
      assertThat(t.transform(module, loader, name, null, framework, bytes)).isNull();
      assertThat(target(t.transform(module, loader, name + "Test", null, tests, bytes)))
          .isEqualTo(YieldPoints.CHECK_EXIT);
    }
    assertThat(target(t.transform(module, loader, "weft/supervisor/Sup", null, framework, bytes)))
        .isEqualTo(YieldPoints.CHECK);
  }

  @Test
  void aClassThatCannotBeRewrittenIsLeftAsItWas() {
    WeftTransformer t = transformer("", "");
    ProtectionDomain pd =
        new ProtectionDomain(new CodeSource(null, (java.security.cert.Certificate[]) null), null);
    assertThat(t.transform(module, loader, "broken/Thing", null, pd, new byte[] {1, 2, 3}))
        .isNull();
    assertThat(t.failures.get()).isEqualTo(1);
  }
}
