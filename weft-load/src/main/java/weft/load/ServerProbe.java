package weft.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server under test seen from outside: its heap after a full collection ({@code jcmd}), its
 * resident memory and CPU time ({@code /proc}). A JVM of another vendor or a server that is not a
 * JVM (Phoenix) gives no heap figure; RSS and CPU still work.
 */
final class ServerProbe {

  /**
   * What was read at one moment.
   *
   * @param heapBytes the heap in use, or -1
   * @param rssBytes the resident set, or -1
   * @param cpuSeconds user + system CPU so far, or -1
   */
  record Sample(long heapBytes, long rssBytes, double cpuSeconds) {}

  private static final Pattern USED = Pattern.compile("used (\\d+)K");
  private final long pid;

  ServerProbe(long pid) {
    this.pid = pid;
  }

  /** Runs a full collection in the server (a JVM), waiting for it. */
  void gc() {
    jcmd("GC.run");
  }

  Sample sample() {
    long heap = -1;
    String info = jcmd("GC.heap_info");
    Matcher m = USED.matcher(info);
    if (m.find()) {
      heap = Long.parseLong(m.group(1)) * 1024;
    }
    return new Sample(heap, rss(pid), cpuSeconds(pid));
  }

  private String jcmd(String command) {
    if (pid <= 0) {
      return "";
    }
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
              .redirectErrorStream(true)
              .start();
      String text =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor(60, TimeUnit.SECONDS);
      return text;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Resident memory of a process, from /proc (Linux), or -1. */
  static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or gone
    }
    return -1;
  }

  /** User + system CPU seconds of a process, from /proc/<pid>/stat (100 ticks a second), or -1. */
  static double cpuSeconds(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The pid of the process listening on a TCP port (from /proc/net/tcp and each /proc/PID/fd), or
   * 0.
   */
  static long pidListeningOn(int port) {
    String hexPort = String.format(":%04X", port);
    String inode = null;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
            inode = f[9];
            break;
          }
        }
      } catch (IOException e) {
        return 0;
      }
      if (inode != null) {
        break;
      }
    }
    if (inode == null) {
      return 0;
    }
    String target = "socket:[" + inode + "]";
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
          for (Path fd : fds) {
            if (target.equals(Files.readSymbolicLink(fd).toString())) {
              return Long.parseLong(proc.getFileName().toString());
            }
          }
        } catch (IOException | RuntimeException e) {
          // another user's process, or gone
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }
}
