package weft.web.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import weft.web.channel.Frame;
import weft.web.channel.ProtocolException;
import weft.web.channel.V2Serializer;

/**
 * The V2 serializer under a coverage-guided fuzzer: whatever a client sends, decoding gives a frame
 * or a {@link ProtocolException} (nothing else), and a frame it gives survives encoding and
 * decoding again unchanged.
 */
class V2SerializerFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void textFramesDecodeOrAreRefusedCleanly(String text) {
    Frame frame;
    try {
      frame = V2Serializer.decodeText(text);
    } catch (ProtocolException refused) {
      return;
    }
    assertThat(V2Serializer.decodeText(V2Serializer.encodeText(frame))).isEqualTo(frame);
  }

  @FuzzTest(maxDuration = "10s")
  void binaryPushesDecodeOrAreRefusedCleanly(byte[] data) {
    Frame frame;
    try {
      frame = V2Serializer.decodeClientPush(data);
    } catch (ProtocolException refused) {
      return;
    }
    assertThat(V2Serializer.decodeClientPush(V2Serializer.encodeClientPush(frame)))
        .isEqualTo(frame);
  }
}
