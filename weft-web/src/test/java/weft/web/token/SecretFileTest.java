package weft.web.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing secret's file: created owner-only, refused when others may read it. */
class SecretFileTest {

  @TempDir Path dir;

  @BeforeEach
  void posixOnly() {
    assumeTrue(
        Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null,
        "this file system has no POSIX permissions: nothing to check");
  }

  @Test
  void aNewSecretAndItsDirectoriesAreTheOwnersAlone() throws Exception {
    Path file = dir.resolve("data/nested/secret.key");
    String secret = SecretFile.loadOrCreate(file);
    assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file.getParent().getParent())))
        .isEqualTo("rwx------");
    assertThat(SecretFile.loadOrCreate(file)).as("read back, not replaced").isEqualTo(secret);
  }

  @Test
  void aSecretOthersMayReadIsRefusedWithTheFix() throws Exception {
    Path file = dir.resolve("secret.key");
    Files.writeString(file, "x".repeat(40));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> SecretFile.loadOrCreate(file))
        .isInstanceOf(InsecureSecretException.class)
        .hasMessageContaining("rw-r--r--")
        .hasMessageContaining("chmod 600 " + file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw--w----"));
    assertThatThrownBy(() -> SecretFile.loadOrCreate(file))
        .isInstanceOf(InsecureSecretException.class);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(SecretFile.loadOrCreate(file)).isEqualTo("x".repeat(40));
  }

  @Test
  void aShortSecretIsRefused() throws Exception {
    Path file = dir.resolve("secret.key");
    Files.writeString(file, "short\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> SecretFile.loadOrCreate(file))
        .isInstanceOf(InsecureSecretException.class)
        .hasMessageContaining("at least 32");
    assertThat(Files.readString(file)).as("left as it was").isEqualTo("short\n");
  }
}
