package weft.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every class of real libraries Weft applications run (Jackson, Netty, the JDBC drivers, HikariCP,
 * Logback) is rewritten as the agent does and then checked by the JDK's bytecode verifier: a
 * rewrite the JVM would refuse would make a class fail to load.
 */
class LibrariesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tools.jackson.databind.ObjectMapper",
        "io.netty.handler.codec.http.HttpObjectDecoder",
        "io.netty.buffer.ByteBuf",
        "io.netty.util.concurrent.SingleThreadEventExecutor",
        "org.sqlite.JDBC",
        "org.postgresql.Driver",
        "com.zaxxer.hikari.HikariDataSource",
        "ch.qos.logback.classic.Logger"
      })
  void everyClassOfTheJarIsRewrittenIntoCodeTheVerifierAccepts(String anyClassOfTheJar)
      throws Exception {
    Path jar = jarOf(Class.forName(anyClassOfTheJar));
    ClassLoader loader = LibrariesTest.class.getClassLoader();
    ClassHierarchyResolver hierarchy = YieldPoints.hierarchy(loader);
    ClassFile verifier = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(hierarchy));
    int classes = 0;
    int rewritten = 0;
    List<String> unresolved = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        String name = entry.getName();
        if (!name.endsWith(".class")
            || name.contains("module-info")
            || name.startsWith("META-INF")) {
          continue;
        }
        classes++;
        byte[] bytes;
        try (InputStream in = file.getInputStream(entry)) {
          bytes = in.readAllBytes();
        }
        byte[] out;
        try {
          out = YieldPoints.instrument(bytes, hierarchy, false);
        } catch (IllegalArgumentException ex) {
          // The agent leaves such a class as it was (typically: a supertype from an optional
          // dependency that is not on the class path, so frames cannot be computed).
          unresolved.add(name + ": " + ex.getMessage());
          continue;
        }
        if (out == null) {
          continue;
        }
        rewritten++;
        if (!verifier.verify(bytes).isEmpty()) {
          continue; // not verifiable here even as it was (an optional dependency is missing)
        }
        var errors = verifier.verify(out);
        if (!errors.isEmpty()) {
          rejected.add(name + ": " + errors.getFirst());
        }
      }
    }
    assertThat(rejected).as("classes the verifier refuses after the rewrite").isEmpty();
    assertThat(rewritten).as("classes with yield points in %s", jar.getFileName()).isPositive();
    assertThat(unresolved.size())
        .as("classes left alone in %s: %s", jar.getFileName(), unresolved)
        .isLessThanOrEqualTo(classes / 10);
  }

  private static Path jarOf(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
