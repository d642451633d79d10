package gaiola.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

/** Rotation of a guest's log (cut in place, or copy and truncate), its limits, and a reader that follows it. */
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

  /** Whether rotation cuts in place here (fallocate's collapse: ext4, xfs) rather than truncating. */
  private static boolean cutsInPlace(Path dir) throws IOException {
    return List.of("ext4", "xfs").contains(Files.getFileStore(dir).type());
  }

  /** The rotated files, oldest first, and then the live one: together, the log as written. */
  private static String whole(ConsoleLog log) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int n = log.rotatedCount(); n >= 1; n--) {
      b.append(read(log.rotated(n)));
    }
    return b.append(read(log.file())).toString();
  }

  @Test
  void aLogUnderItsLimitStaysAndOneOverItMovesToDotOne() throws Exception {
    ConsoleLog log = log();
    LogLimits limits = new LogLimits(4096, 3);
    append(log.file(), lines(0, 10));
    assertThat(log.rotate(limits)).isFalse();
    append(log.file(), lines(10, 200));
    assertThat(log.rotate(limits)).isTrue();
    assertThat(read(log.rotated(1)) + read(log.file())).isEqualTo(lines(0, 200));
    if (cutsInPlace(root)) {
      // Whole blocks moved; the last, partial one stays in the live file.
      assertThat(Files.size(log.rotated(1)) % 4096).isZero();
      assertThat(Files.size(log.file())).isBetween(1L, 4096L);
    } else {
      assertThat(Files.size(log.file())).isZero();
    }
    assertThat(log.rotating()).isFalse();
  }

  @Test
  void olderLogsMoveUpAndThoseBeyondKeepGo() throws Exception {
    ConsoleLog log = log();
    LogLimits keepTwo = new LogLimits(4096, 2);
    List<Long> sizes = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      append(log.file(), lines(round * 200, round * 200 + 200));
      assertThat(log.rotate(keepTwo)).isTrue();
      sizes.add(Files.size(log.rotated(1)));
    }
    // The two newest rotations' files and the live one: the log's end, from the third rotation on.
    String all = lines(0, 800);
    assertThat(log.rotated(3)).doesNotExist();
    assertThat(whole(log)).isEqualTo(all.substring((int) (all.length() - sizes.get(2) - sizes.get(3) - Files.size(log.file()))));
    assertThat(Files.size(log.rotated(2))).isEqualTo(sizes.get(2));
    // A lower keep than before removes the surplus at the next rotation.
    append(log.file(), lines(800, 1000));
    assertThat(log.rotate(new LogLimits(4096, 1))).isTrue();
    assertThat(log.rotated(2)).doesNotExist();
    assertThat(lines(0, 1000)).endsWith(whole(log));
    assertThat(whole(log)).startsWith(read(log.rotated(1))).contains(lines(800, 900));
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
    assertThat(whole(log)).isEqualTo(lines(0, 300));
    assertThat(log.copy()).doesNotExist();
  }

  @Test
  void aWriterThatKeepsAppendingLosesNothingWhereTheFileIsCutInPlace() throws Exception {
    assumeTrue(cutsInPlace(root), "the temporary directory's file system has no fallocate collapse");
    ConsoleLog log = log();
    ByteArrayOutputStream followed = new ByteArrayOutputStream();
    int written = writeWhileRotating(log, followed);
    // Every line once, in order, in the files taken together and through a cursor that followed.
    assertThat(whole(log)).isEqualTo(lines(0, written));
    assertThat(followed.toString(StandardCharsets.UTF_8)).isEqualTo(lines(0, written));
  }

  @Test
  void aWriterThatKeepsAppendingLosesOnlyAtTheInstantOfEachRotationWhereTheFileIsTruncated() throws Exception {
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && Files.getFileStore(shm).type().equals("tmpfs"), "no tmpfs at /dev/shm");
    Path dir = Files.createTempDirectory(shm, "gaiola-console-log-test");
    try {
      HostLayout layout = new HostLayout(dir);
      Files.createDirectories(layout.logDir());
      ConsoleLog log = new ConsoleLog(layout, GuestName.parse("vs01"));
      int written = writeWhileRotating(log, new ByteArrayOutputStream());
      assertLossOnlyBetweenFiles(log, written);
    } finally {
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    assertThat(dir).doesNotExist();
  }

  /**
   * As the guest's init, but writing as fast as it can: one descriptor opened with O_APPEND, kept
   * across 40 rotations, while a cursor follows; returns how many lines were written.
   */
  private static int writeWhileRotating(ConsoleLog log, ByteArrayOutputStream followed) throws Exception {
    LogLimits limits = new LogLimits(4096, 99);
    AtomicBoolean stop = new AtomicBoolean();
    int[] written = {0};
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
    LogCursor cursor = log.cursor();
    int rotations = 0;
    while (rotations < 40) {
      if (log.rotate(limits)) {
        rotations++;
      }
      cursor.copyNew(followed);
    }
    stop.set(true);
    writer.join();
    while (cursor.copyNew(followed) != 0) {
      // Up to the end.
    }
    assertThat(log.rotatedCount()).isEqualTo(rotations);
    return written[0];
  }

  private static void assertLossOnlyBetweenFiles(ConsoleLog log, int written) throws IOException {
    List<Path> files = new ArrayList<>();
    int rotations = log.rotatedCount();
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
    assertThat(last).isEqualTo(written - 1);
    assertThat(gaps).as("%d of %d lines lost", written - kept, written).isLessThanOrEqualTo(rotations);
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
