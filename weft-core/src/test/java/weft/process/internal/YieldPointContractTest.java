package weft.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;
import weft.instrument.YieldPoints;

/** The calls weft-agent inserts exist here, as public static no-argument void methods. */
class YieldPointContractTest {

  @Test
  void everyCallTheAgentInsertsExists() throws Exception {
    Class<?> target = Class.forName(YieldPoints.TARGET_CLASS);
    assertThat(target).isEqualTo(YieldPoint.class);
    for (String name :
        new String[] {
          YieldPoints.CHECK, YieldPoints.CHECK_EXIT, YieldPoints.LOOP, YieldPoints.LOOP_EXIT
        }) {
      Method m = target.getMethod(name);
      assertThat(Modifier.isStatic(m.getModifiers())).as(name).isTrue();
      assertThat(m.getReturnType()).as(name).isEqualTo(void.class);
    }
  }

  @Test
  void weftCoreMarksItselfAsFrameworkCode() {
    assertThat(YieldPoint.class.getClassLoader().getResource("META-INF/weft/framework"))
        .isNotNull();
  }
}
