package gaiola.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gaiola.config.GuestName;
import gaiola.config.HostLayout;
import gaiola.error.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation of a guest's log by copy and truncate, its limits, and a reader that follows it. */
class ConsoleLogTest {
  @TempDir Path root;

  private ConsoleLog log() throws Exception {
    HostLayout layout = new HostLayout(root);
    Files.createDirectories(layout.logDir());
    return new ConsoleLog(layout, GuestName.parse("vs01"));
  }

  private static void append(Path file, String text) throws IOException {
    try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String lines(int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      b.append(String.format("line %06d of the guest's console%n", i));
    }
    return b.toString();
  }

  private static String read(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p) : "";
  }

  @Test
  void aLogUnderItsLimitStaysAndOneOverItMovesToDotOne() throws Exception {
    ConsoleLog log = log();
    LogLimits limits = new LogLimits(4096, 3);
    append(log.file(), lines(0, 10));
    assertThat(log.rotate(limits)).isFalse();
    append(log.file(), lines(10, 200));
    assertThat(log.rotate(limits)).isTrue();
    assertThat(read(log.rotated(1))).isEqualTo(lines(0, 200));
    assertThat(Files.size(log.file())).isZero();
    assertThat(log.rotating()).isFalse();
  }

  @Test
  void olderLogsMoveUpAndThoseBeyondKeepGo() throws Exception {
    ConsoleLog log = log();
    LogLimits keepTwo = new LogLimits(4096, 2);
    for (int round = 0; round < 4; round++) {
      append(log.file(), lines(round * 200, round * 200 + 200));
      assertThat(log.rotate(keepTwo)).isTrue();
    }
    assertThat(read(log.rotated(1))).isEqualTo(lines(600, 800));
    assertThat(read(log.rotated(2))).isEqualTo(lines(400, 600));
    assertThat(log.rotated(3)).doesNotExist();
    // A lower keep than before removes the surplus at the next rotation.
    append(log.file(), lines(800, 1000));
    assertThat(log.rotate(new LogLimits(4096, 1))).isTrue();
    assertThat(read(log.rotated(1))).isEqualTo(lines(800, 1000));
    assertThat(log.rotated(2)).doesNotExist();
    log.removeAll();
    assertThat(log.file()).doesNotExist();
    assertThat(log.rotated(1)).doesNotExist();
  }

  @Test
  void aRunningRotationIsNotJoinedAndAStaleOnesCopyIsKept() throws Exception {
    ConsoleLog log = log();
    LogLimits limits = new LogLimits(4096, 3);
    append(log.file(), lines(100, 300));
    Files.writeString(log.copy(), lines(0, 100));
    assertThat(log.rotate(limits)).as("another rotation runs").isFalse();
    assertThat(read(log.file())).isEqualTo(lines(100, 300));
    // Left by a crash a minute ago: finished with what came since, nothing lost.
    Files.setLastModifiedTime(log.copy(), FileTime.from(Instant.now().minusSeconds(120)));
    assertThat(log.rotate(limits)).isTrue();
    assertThat(read(log.rotated(1))).isEqualTo(lines(0, 300));
    assertThat(log.copy()).doesNotExist();
  }

  @Test
  void aWriterThatKeepsAppendingLosesOnlyAtTheInstantOfEachRotationAndNothingRepeats() throws Exception {
    ConsoleLog log = log();
    LogLimits limits = new LogLimits(4096, 99);
    AtomicBoolean stop = new AtomicBoolean();
    int[] written = {0};
    // As the guest's init, but writing as fast as it can: one descriptor opened with O_APPEND,
    // kept across every rotation.
    Thread writer = Thread.ofPlatform().start(() -> {
      try (FileOutputStream out = new FileOutputStream(log.file().toFile(), true)) {
        int i = 0;
        while (!stop.get()) {
          out.write(lines(i, i + 1).getBytes(StandardCharsets.UTF_8));
          i++;
        }
        // Written after the last rotation ended: it must be there.
        out.write(lines(i, i + 1).getBytes(StandardCharsets.UTF_8));
        written[0] = i + 1;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    int rotations = 0;
    while (rotations < 40) {
      if (log.rotate(limits)) {
        rotations++;
      }
    }
    stop.set(true);
    writer.join();
    List<Path> files = new ArrayList<>();
    for (int n = rotations; n >= 1; n--) {
      files.add(log.rotated(n));
    }
    files.add(log.file());
    int last = -1;
    int kept = 0;
    int gaps = 0;
    for (Path f : files) {
      List<String> part = read(f).lines().toList();
      for (int i = 0; i < part.size(); i++) {
        if (!part.get(i).matches("line \\d{6} of the guest's console")) {
          // Only the last line of a copy can be cut: its rest was written after the last read.
          assertThat(i).as("a cut line inside %s", f).isEqualTo(part.size() - 1);
          continue;
        }
        int line = Integer.parseInt(part.get(i).substring(5, 11));
        assertThat(line).as("order, and no line twice, in %s", f).isGreaterThan(last);
        // Inside one file no line is missing: a loss can only fall between two files.
        if (line != last + 1) {
          assertThat(i).as("a gap inside %s before line %d", f, line).isZero();
          gaps++;
        }
        last = line;
        kept++;
      }
    }
    assertThat(last).isEqualTo(written[0] - 1);
    assertThat(gaps).as("%d of %d lines lost", written[0] - kept, written[0]).isLessThanOrEqualTo(rotations);
  }

  @Test
  void aCursorFollowsAcrossRotationsPassingEachByteOnce() throws Exception {
    ConsoleLog log = log();
    LogLimits limits = new LogLimits(4096, 3);
    append(log.file(), lines(0, 10));
    LogCursor cursor = log.cursor();
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    assertThat(cursor.copyNew(seen)).isEqualTo(lines(0, 10).length());
    append(log.file(), lines(10, 200));
    assertThat(log.rotate(limits)).isTrue();
    append(log.file(), lines(200, 210));
    cursor.copyNew(seen);
    assertThat(seen.toString(StandardCharsets.UTF_8)).isEqualTo(lines(0, 210));
    // Two rotations between two reads: the first one's file continues, the second's follows.
    append(log.file(), lines(210, 400));
    assertThat(log.rotate(limits)).isTrue();
    append(log.file(), lines(400, 600));
    assertThat(log.rotate(limits)).isTrue();
    append(log.file(), lines(600, 605));
    cursor.copyNew(seen);
    assertThat(seen.toString(StandardCharsets.UTF_8)).isEqualTo(lines(0, 605));
    assertThat(cursor.copyNew(seen)).isZero();
  }

  @Test
  void aCursorWaitsWhileARotationRunsAndStartsOverOnAFileCutByHand() throws Exception {
    ConsoleLog log = log();
    append(log.file(), lines(0, 10));
    LogCursor cursor = log.cursor();
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    Files.writeString(log.copy(), "");
    assertThat(cursor.copyNew(seen)).isEqualTo(-1);
    assertThat(seen.size()).isZero();
    Files.delete(log.copy());
    cursor.copyNew(seen);
    Files.writeString(log.file(), "new\n");
    seen.reset();
    cursor.copyNew(seen);
    assertThat(seen.toString(StandardCharsets.UTF_8)).isEqualTo("new\n");
  }

  @Test
  void limitsReadFromAppsLogWithUnitsAndBadValuesAreNamed() throws Exception {
    HostLayout layout = new HostLayout(root);
    GuestName vs01 = GuestName.parse("vs01");
    assertThat(LogLimits.read(layout, vs01)).isEqualTo(LogLimits.DEFAULT).isEqualTo(new LogLimits(1 << 20, 3));
    Path dir = Files.createDirectories(layout.configDir(vs01).resolve("apps/log"));
    Files.writeString(dir.resolve("size"), "512k\n");
    Files.writeString(dir.resolve("keep"), "5\n");
    assertThat(LogLimits.read(layout, vs01)).isEqualTo(new LogLimits(512 * 1024, 5));
    assertThat(LogLimits.parseSize("s", "2M")).isEqualTo(2 << 20);
    assertThat(LogLimits.parseSize("s", "1G")).isEqualTo(1 << 30);
    assertThat(LogLimits.parseSize("s", "65536")).isEqualTo(65536);
    for (String bad : List.of("", "1", "4095", "-1M", "1T", "1.5M", "9999999999999G", "2048G", "ten")) {
      assertThatThrownBy(() -> LogLimits.parseSize("vs01/apps/log/size", bad))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("vs01/apps/log/size: '" + bad + "' is not a log size");
    }
    for (String bad : List.of("0", "100", "-1", "x")) {
      assertThatThrownBy(() -> LogLimits.parseKeep("vs01/apps/log/keep", bad))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("'" + bad + "' is not a number of rotated logs to keep");
    }
    Files.writeString(dir.resolve("size"), "lots\n");
    assertThatThrownBy(() -> LogLimits.read(layout, vs01)).hasMessageContaining("vs01/apps/log/size: 'lots'");
  }
}
