package weft.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The load client's frame scan, against frames as a Phoenix V2 server writes them. */
class FramesTest {

  @Test
  void theEventIsTheFourthStringWhateverTheOthersHold() {
    assertThat(Frames.event("[null,null,\"room:1\",\"presence_diff\",{\"joins\":{}}]"))
        .isEqualTo("presence_diff");
    assertThat(Frames.event("[\"1\",\"7\",\"room:a,\\\"b\",\"phx_reply\",{}]"))
        .as("commas and quotes inside the topic")
        .isEqualTo("phx_reply");
    assertThat(Frames.event("[\"1\",null,\"t\",\"new_msg\",{\"body\":\"x\"}]"))
        .isEqualTo("new_msg");
    assertThat(Frames.event("not a frame")).isNull();
    assertThat(Frames.event("[null,null,\"t\"]")).isNull();
    assertThat(Frames.event("[null,null,\"t\",\"unterminated")).isNull();
  }

  @Test
  void joinRepliesAreToldApart() {
    assertThat(
            Frames.isJoinOk(
                "[\"1\",\"1\",\"room:1\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]"))
        .isTrue();
    String refused =
        "[\"1\",\"1\",\"room:1\",\"phx_reply\",{\"status\":\"error\",\"response\":{}}]";
    assertThat(Frames.isJoinOk(refused)).isFalse();
    assertThat(Frames.isJoinError(refused)).isTrue();
    assertThat(Frames.isJoinOk("[null,null,\"room:1\",\"presence_state\",{}]")).isFalse();
  }

  @Test
  void writtenFramesReadBackWithTheirEventForAnyTopic() {
    Random rnd = new Random(0x10AD);
    for (int i = 0; i < 2000; i++) {
      StringBuilder topic = new StringBuilder("room:");
      for (int k = rnd.nextInt(12); k > 0; k--) {
        topic.append(List.of("a", ",", "\"", "\\", "[", "]", "é", "\n").get(rnd.nextInt(8)));
      }
      String t = topic.toString();
      assertThat(Frames.event(Frames.join(t))).as("topic %s", t).isEqualTo("phx_join");
      assertThat(Frames.event(Frames.push(t, "new_msg", "{\"body\":\"x\"}"))).isEqualTo("new_msg");
    }
    assertThat(Frames.event(Frames.heartbeat())).isEqualTo("heartbeat");
  }
}
