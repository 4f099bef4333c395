package weft.instrument;

import java.io.IOException;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarFile;

/*
 * Design: which classes get yield points, and which kind.
 *
 * Never: classes of the boot and platform loaders and of JDK modules (the JDK; the watchdog covers
 * it), the agent and the scheduler (weft.instrument, weft.process.internal: the scheduler must not
 * preempt itself), the message path of Weft's own jar (weft.process, weft.genserver,
 * weft.scheduler, weft.registry from a source carrying the framework marker: short code between
 * blocking calls, where a yield point per method would cost a ring of processes a fifth of its
 * speed; and the registry's short critical sections must not yield while holding their lock, or
 * the processes that block on it pin every carrier while the holder waits for one; the same
 * packages in a test directory are instrumented), classes whose loader cannot see weft-core (they
 * could not link the call), and `exclude`.
 *
 * Application code (yield points that also end a killed process): classes loaded from a directory
 * (the application being developed, its tests), the jar or directory that holds the main class,
 * and the `app` prefixes. A directory or jar marked with the resource META-INF/weft/framework
 * (Weft's own modules) is never application code. Library code (every other jar) gets yield points
 * that only yield: an exception thrown at an arbitrary point of a library could leave state it
 * shares with other processes half-updated (a connection pool, a logger), as Thread.stop did. A
 * killed process in library code runs on to the next yield point in application code, or to its
 * next Weft call, where it ends.
 *
 * Failures: a class that cannot be rewritten (a hierarchy the resolver cannot read, a method too
 * large) is left as it was and counted; the agent never makes a class fail to load.
 */
/** The agent's class-file transformer. */
final class WeftTransformer implements ClassFileTransformer {

  private static final String MARKER = "META-INF/weft/framework";
  private static final List<String> RUNTIME = List.of("weft/instrument/", "weft/process/internal/");
  private static final List<String> MESSAGE_PATH =
      List.of("weft/process/", "weft/genserver/", "weft/scheduler/", "weft/registry/");

  private final AgentOptions options;
  private final Instrumentation inst;
  private final ClassLoader app = ClassLoader.getSystemClassLoader();
  private final Module target;
  private final String mainClass;
  private final String mainJar;
  private volatile URL mainSource;
  private final Map<URL, Source> sources = new ConcurrentHashMap<>();
  private final Map<ClassLoader, Boolean> visible = new ConcurrentHashMap<>();
  private final Map<ClassLoader, ClassHierarchyResolver> hierarchies = new WeakHashMap<>();
  private final Set<Module> reading = ConcurrentHashMap.newKeySet();

  final AtomicLong applicationClasses = new AtomicLong();
  final AtomicLong libraryClasses = new AtomicLong();
  final AtomicLong failures = new AtomicLong();

  WeftTransformer(AgentOptions options, Instrumentation inst, Module target, String command) {
    this.options = options;
    this.inst = inst;
    this.target = target;
    String first = command == null ? "" : command.strip().split("\\s+")[0];
    this.mainJar = first.endsWith(".jar") ? first : null;
    this.mainClass = first.endsWith(".jar") || first.isEmpty() ? null : first.replace('.', '/');
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> redefined,
      ProtectionDomain domain,
      byte[] bytes) {
    if (className == null || redefined != null || !eligible(module, loader, className)) {
      return null;
    }
    URL source = location(domain);
    if (mainClass != null && mainClass.equals(className) && source != null) {
      mainSource = source;
    }
    Source kind = source == null ? Source.LIBRARY : sources.computeIfAbsent(source, this::kind);
    if (kind == Source.FRAMEWORK && startsWithAny(className, MESSAGE_PATH)) {
      return null;
    }
    boolean application =
        kind == Source.APPLICATION || AgentOptions.matches(className, options.app());
    try {
      byte[] out = YieldPoints.instrument(bytes, hierarchy(loader), application);
      if (out != null) {
        canCallWeft(module);
        (application ? applicationClasses : libraryClasses).incrementAndGet();
      }
      return out;
    } catch (RuntimeException | LinkageError e) {
      failures.incrementAndGet();
      if (options.verbose()) {
        System.err.println("weft-agent: " + className + " left without yield points: " + e);
      }
      return null;
    }
  }

  private boolean eligible(Module module, ClassLoader loader, String className) {
    if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
      return false;
    }
    if (module.isNamed()) {
      String name = module.getName();
      if (name.startsWith("java.") || name.startsWith("jdk.")) {
        return false;
      }
    }
    if (startsWithAny(className, RUNTIME)) {
      return false;
    }
    if (AgentOptions.matches(className, options.exclude())) {
      return false;
    }
    return visible.computeIfAbsent(loader, this::seesWeft);
  }

  private boolean seesWeft(ClassLoader loader) {
    for (ClassLoader l = loader; l != null; l = l.getParent()) {
      if (l == app) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithAny(String className, List<String> prefixes) {
    for (String p : prefixes) {
      if (className.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** Where a class comes from: Weft's own modules, the application, or a library. */
  enum Source {
    FRAMEWORK,
    APPLICATION,
    LIBRARY
  }

  private Source kind(URL source) {
    Path path;
    try {
      path = Path.of(source.toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Source.LIBRARY;
    }
    if (Files.isDirectory(path)) {
      return Files.exists(path.resolve(MARKER)) ? Source.FRAMEWORK : Source.APPLICATION;
    }
    boolean marked;
    try (JarFile jar = new JarFile(path.toFile())) {
      marked = jar.getEntry(MARKER) != null;
    } catch (IOException e) {
      return Source.LIBRARY;
    }
    if (marked) {
      return Source.FRAMEWORK;
    }
    boolean main =
        source.equals(mainSource) || (mainJar != null && sameFile(path, Path.of(mainJar)));
    return main ? Source.APPLICATION : Source.LIBRARY;
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static URL location(ProtectionDomain domain) {
    CodeSource cs = domain == null ? null : domain.getCodeSource();
    return cs == null ? null : cs.getLocation();
  }

  private ClassHierarchyResolver hierarchy(ClassLoader loader) {
    synchronized (hierarchies) {
      return hierarchies.computeIfAbsent(loader, YieldPoints::hierarchy);
    }
  }

  /**
   * A class of this module now calls weft-core's yield point: the module must read weft.core, and,
   * when weft.core is a named module (on the module path), weft.core must export the yield point's
   * package to it. That package is exported to no one in weft.core's descriptor, so no code can
   * compile against it; only instrumented code reaches it.
   */
  private synchronized void canCallWeft(Module module) {
    // Marked only once both redefinitions are done: a second class of the same module loading on
    // another thread waits here instead of running a yield point it cannot yet reach.
    if (module == target || reading.contains(module)) {
      return;
    }
    if (module.isNamed() && !module.canRead(target)) {
      inst.redefineModule(module, Set.of(target), Map.of(), Map.of(), Set.of(), Map.of());
    }
    String pkg = YieldPoints.TARGET_CLASS.substring(0, YieldPoints.TARGET_CLASS.lastIndexOf('.'));
    if (target.isNamed() && !target.isExported(pkg, module)) {
      inst.redefineModule(
          target, Set.of(), Map.of(pkg, Set.of(module)), Map.of(), Set.of(), Map.of());
    }
    reading.add(module);
  }
}
