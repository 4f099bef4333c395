package weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

  private final List<Result> results =
      List.of(
          new Result("spawn", "ops/s", true, 50, 100, "threads"),
          new Result("memory", "bytes", false, 200, 100, "threads"));

  @Test
  void relativeFigureIsOrientedByUnit() {
    assertThat(results.get(0).relative()).isEqualTo(0.5);
    assertThat(results.get(1).relative()).isEqualTo(0.5);
  }

  @Test
  void writesCsvJsonAndAChart(@TempDir Path dir) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Reports.write(dir, "core", results, "test run");
    assertThat(Files.readAllLines(dir.resolve("core.csv")))
        .hasSize(3)
        .element(1)
        .asString()
        .startsWith("spawn,ops/s,true,50.000,100.000,threads,0.5000,,");
    assertThat(Files.readString(dir.resolve("core.json"))).contains("\"relative\": 0.5000");
    assertThat(ImageIO.read(dir.resolve("core.png").toFile()).getWidth()).isEqualTo(900);
    assertThat(Reports.table(results)).contains("spawn").contains("0.50");
  }
}
