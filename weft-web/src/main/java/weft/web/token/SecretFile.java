package weft.web.token;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * A signing secret kept in a file that only its owner can read, as ssh keeps private keys.
 *
 * <p>{@link #loadOrCreate(Path)} reads the secret from the file, or, when there is none, creates it
 * (and its missing directories) owner-only — the file {@code rw-------}, directories {@code
 * rwx------} — with 48 random bytes, written so that no other user can ever read it, not even for a
 * moment. It refuses a file that its group or others may read or write, and a secret shorter than
 * {@link Tokens}' minimum of 32 characters, with a message that says how to fix it. With the secret
 * alone, anyone can forge tokens and dashboard sessions.
 *
 * <p>On a file system without POSIX permissions (Windows) the permission checks are skipped.
 */
public final class SecretFile {

  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private SecretFile() {}

  /**
   * Reads the secret in {@code file}, creating the file (owner-only) with a random secret if it
   * does not exist.
   *
   * @param file where the secret is kept
   * @return the secret, at least 32 characters
   * @throws InsecureSecretException if the file may be read or written by its group or others, or
   *     holds fewer than 32 characters
   * @throws IOException if the file or its directory cannot be read or created
   */
  public static String loadOrCreate(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      createPrivateDirectories(dir);
    }
    if (!Files.exists(file)) {
      try {
        create(file);
      } catch (FileAlreadyExistsException raced) {
        // Another process created it first: read theirs.
      }
    }
    checkPrivate(file);
    String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (secret.length() < 32) {
      throw new InsecureSecretException(
          file
              + " holds a secret of "
              + secret.length()
              + " characters; it must have at least 32 (delete the file to have a new one"
              + " generated)");
    }
    return secret;
  }

  /**
   * Creates a directory and its missing parents, each new one owner-only ({@code rwx------});
   * existing directories are left as they are.
   *
   * @param dir the directory
   * @throws IOException if it cannot be created
   */
  public static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      createPrivateDirectories(parent);
    }
    try {
      if (posix(dir)) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  private static void create(Path file) throws IOException {
    byte[] raw = new byte[48];
    new SecureRandom().nextBytes(raw);
    byte[] secret =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(raw)
            .getBytes(StandardCharsets.UTF_8);
    if (posix(file)) {
      // Created with its permissions, never readable by others (the umask can only remove bits).
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
      Files.write(file, secret, StandardOpenOption.TRUNCATE_EXISTING);
    } else {
      Files.write(file, secret, StandardOpenOption.CREATE_NEW);
    }
  }

  private static void checkPrivate(Path file) throws IOException {
    if (!posix(file)) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
    open.addAll(perms);
    open.retainAll(OTHERS);
    if (!open.isEmpty()) {
      throw new InsecureSecretException(
          file
              + " may be read or changed by other users (permissions "
              + PosixFilePermissions.toString(perms)
              + "); with it anyone can forge tokens and sessions. Make it private: chmod 600 "
              + file);
    }
  }

  private static boolean posix(Path path) {
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null
        && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
  }
}
