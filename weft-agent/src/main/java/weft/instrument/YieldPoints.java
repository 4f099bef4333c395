package weft.instrument;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/*
 * Design: the bytecode rewrite, with the JDK's own ClassFile API (java.lang.classfile, final since
 * JDK 24). A yield point is one call, `invokestatic weft/process/internal/YieldPoint.check()V` (or
 * checkExit() in application code), that takes nothing and leaves nothing on the stack; the JIT
 * inlines it to a few loads and a branch. It goes:
 *
 * - at the entry of every method that invokes another or has a loop: recursion without loops (fib)
 *   passes one on each call. Leaf methods without loops (getters, arithmetic, constructors that
 *   only call Object's) get none: they cannot run long, and they are most of the small methods the
 *   JIT inlines.
 * - at backward branches (goto, if*, and switches with a target at or before them), so that every
 *   loop, whatever its shape, passes one: a countdown in a local variable, shared by the method's
 *   back-edges, calls it once every BACK_EDGES_PER_CHECK (64) back-edges (see Inserter). A label is
 *   "backward" when it was bound earlier in the code's element stream, which is bytecode order.
 *
 * Never in class initialisers (a <clinit> runs pinned, and an exception there would make the class
 * unusable), nor in abstract or native methods. Stack map frames are recomputed by the API; the
 * class hierarchy it needs is read from class-file resources of the defining loader, never by
 * loading classes (which a transformer must not do).
 */
/** Inserts yield points into a class file. */
public final class YieldPoints {

  /** The class the inserted calls go to (in weft-core). */
  public static final String TARGET_CLASS = "weft.process.internal.YieldPoint";

  /** The yield point of library and framework code: yields when asked, never throws. */
  public static final String CHECK = "check";

  /** The yield point of application code: also ends a killed process. */
  public static final String CHECK_EXIT = "checkExit";

  /**
   * What a loop calls once every {@link #BACK_EDGES_PER_CHECK} back-edges, in library code: the
   * check, and the carrier's own clock (see weft-core's YieldPoint).
   */
  public static final String LOOP = "loop";

  /** {@link #LOOP} in application code. */
  public static final String LOOP_EXIT = "loopExit";

  /** A back-edge checks the flag once every this many back-edges of its method activation. */
  static final int BACK_EDGES_PER_CHECK = Integer.getInteger("weft.agent.backEdges", 64);

  private static final ClassDesc TARGET = ClassDesc.of(TARGET_CLASS);
  private static final MethodTypeDesc VOID = MethodTypeDesc.of(ConstantDescs.CD_void);

  private YieldPoints() {}

  /**
   * Instruments one class.
   *
   * @param bytes the class file
   * @param loader its defining loader, for the class hierarchy (null for the boot loader)
   * @param exits whether its yield points also end killed processes (application code)
   * @return the new class file, or null if it has no place for a yield point
   * @throws IllegalArgumentException if the class file cannot be parsed or rewritten
   */
  public static byte[] instrument(byte[] bytes, ClassLoader loader, boolean exits) {
    return instrument(bytes, hierarchy(loader), exits);
  }

  /**
   * The class hierarchy of a loader's classes, read from their class-file resources (no class is
   * loaded); cache it per loader.
   *
   * @param loader the loader (null for the boot loader)
   * @return the resolver
   */
  public static ClassHierarchyResolver hierarchy(ClassLoader loader) {
    // Not defaultResolver(): it falls back to reflection, which loads classes, and a class loaded
    // while another is being transformed can be defined twice.
    return ClassHierarchyResolver.ofResourceParsing(
            loader != null ? loader : ClassLoader.getPlatformClassLoader())
        .cached();
  }

  /**
   * Instruments one class with a given class hierarchy.
   *
   * @param bytes the class file
   * @param hierarchy how to find the supertypes of the classes it uses (see {@link #hierarchy})
   * @param exits whether its yield points also end killed processes
   * @return the new class file, or null if it has no place for a yield point
   * @throws IllegalArgumentException if the class file cannot be parsed or rewritten
   */
  public static byte[] instrument(byte[] bytes, ClassHierarchyResolver hierarchy, boolean exits) {
    ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(hierarchy));
    ClassModel model = cf.parse(bytes);
    int[] inserted = {0};
    String method = exits ? CHECK_EXIT : CHECK;
    String loop = exits ? LOOP_EXIT : LOOP;
    ClassTransform transform =
        ClassTransform.transformingMethods(
            YieldPoints::eligible,
            (mb, me) -> {
              if (me instanceof CodeModel code) {
                Inserter inserter = new Inserter(callsOthers(code) || loops(code), method, loop);
                mb.transformCode(code, inserter);
                inserted[0] += inserter.inserted;
              } else {
                mb.with(me);
              }
            });
    byte[] out = cf.transformClass(model, transform);
    return inserted[0] == 0 ? null : out;
  }

  private static boolean eligible(MethodModel m) {
    return m.code().isPresent() && !m.methodName().equalsString(ConstantDescs.CLASS_INIT_NAME);
  }

  /** Whether the code calls anything but Object's constructor (which every constructor calls). */
  private static boolean callsOthers(CodeModel code) {
    for (CodeElement e : code) {
      if (e instanceof InvokeDynamicInstruction) {
        return true;
      }
      if (e instanceof InvokeInstruction i
          && !(i.name().equalsString(ConstantDescs.INIT_NAME)
              && i.owner().asInternalName().equals("java/lang/Object"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean loops(CodeModel code) {
    Set<Label> bound = new HashSet<>();
    for (CodeElement e : code) {
      if (e instanceof LabelTarget t) {
        bound.add(t.label());
      } else if (backward(e, bound)) {
        return true;
      }
    }
    return false;
  }

  private static boolean backward(CodeElement e, Set<Label> bound) {
    return switch (e) {
      case BranchInstruction b -> bound.contains(b.target());
      case TableSwitchInstruction s -> backward(s.defaultTarget(), s.cases(), bound);
      case LookupSwitchInstruction s -> backward(s.defaultTarget(), s.cases(), bound);
      default -> false;
    };
  }

  private static boolean backward(Label fallback, List<SwitchCase> cases, Set<Label> bound) {
    if (bound.contains(fallback)) {
      return true;
    }
    for (SwitchCase c : cases) {
      if (bound.contains(c.target())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds the yield points of one method; a new one per method (it remembers bound labels).
   *
   * <p>Back-edges share one countdown in a new local variable: each decrements it, and only when it
   * reaches zero is it reset and the yield point called. A register decrement and a branch cost
   * less in a tight loop than the yield point's load, which also keeps the JIT from reordering
   * loads across it. All the loops of an activation share the countdown, so nested loops cannot
   * multiply the distance between two checks; and every call of a method with a loop or a call
   * checks at its entry, so loops nested across methods cannot either.
   */
  private static final class Inserter implements CodeTransform {
    private final boolean atEntry;
    private final String method;
    private final String loop;
    private final Set<Label> bound = new HashSet<>();
    private int countdown = -1;
    int inserted;

    Inserter(boolean atEntry, String method, String loop) {
      this.atEntry = atEntry;
      this.method = method;
      this.loop = loop;
    }

    @Override
    public void atStart(CodeBuilder builder) {
      if (atEntry) {
        yieldPoint(builder, method);
        if (BACK_EDGES_PER_CHECK > 1) {
          countdown = builder.allocateLocal(TypeKind.INT);
          builder.loadConstant(BACK_EDGES_PER_CHECK).istore(countdown);
        }
      }
    }

    @Override
    public void accept(CodeBuilder builder, CodeElement element) {
      if (element instanceof LabelTarget t) {
        bound.add(t.label());
      } else if (backward(element, bound)) {
        backEdge(builder);
      }
      builder.with(element);
    }

    private void backEdge(CodeBuilder builder) {
      if (countdown < 0) {
        yieldPoint(builder, method);
        return;
      }
      Label skip = builder.newLabel();
      builder.iinc(countdown, -1).iload(countdown).ifgt(skip);
      builder.loadConstant(BACK_EDGES_PER_CHECK).istore(countdown);
      yieldPoint(builder, loop);
      builder.labelBinding(skip);
    }

    private void yieldPoint(CodeBuilder builder, String target) {
      builder.invokestatic(TARGET, target, VOID);
      inserted++;
    }
  }
}
