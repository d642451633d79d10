package gaiola.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OpenFilesTest {
  private static long[] limitsFromProc() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
      if (line.startsWith("Max open files")) {
        String[] f = line.substring("Max open files".length()).trim().split("\\s+");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
      }
    }
    throw new AssertionError("no open-file limit in /proc/self/limits");
  }

  @Test
  void theHardLimitIsReadFromTheLimitsLine() {
    assertThat(OpenFiles.hardOpenFiles("Max open files            1024                 20000                files"))
        .contains(20000L);
    assertThat(OpenFiles.hardOpenFiles("Max open files            1024                 unlimited            files"))
        .isEmpty();
    assertThat(OpenFiles.hardOpenFiles("Max open files")).isEmpty();
    assertThat(OpenFiles.hardOpenFiles("Max processes             63471                63471                processes"))
        .isEmpty();
    assertThat(OpenFiles.hardOpenFiles("Max open files  1  99999999999999999999999  files")).isEmpty();
  }

  @Test
  void theKernelCeilingIsReadWhole() {
    // Read a byte at a time, the sysctl file gave "1".
    assertThat(OpenFiles.kernelCeiling()).isGreaterThanOrEqualTo(1024);
  }

  @Test
  void raisingLeavesTheSoftLimitAtTheHardOneOrAbove() throws Exception {
    long[] before = limitsFromProc();
    long soft = OpenFiles.raise();
    long[] after = limitsFromProc();
    assertThat(soft).isEqualTo(after[0]).isGreaterThanOrEqualTo(before[0]);
    assertThat(after[0]).isEqualTo(after[1]);
    assertThat(OpenFiles.hardLimit()).isEqualTo(after[1]);
    if (mayRaiseHardLimits()) {
      assertThat(after[1]).isGreaterThanOrEqualTo(OpenFiles.kernelCeiling());
    } else {
      assertThat(after[1]).isEqualTo(before[1]);
    }
  }

  /** CAP_SYS_RESOURCE (bit 24) in the effective set: root without it (this VM's) cannot. */
  private static boolean mayRaiseHardLimits() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("CapEff:")) {
        return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 24)) != 0;
      }
    }
    return false;
  }
}
