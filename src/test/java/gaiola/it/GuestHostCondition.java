package gaiola.it;

import gaiola.host.Privileges;
import gaiola.host.Programs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link RequiresGuestHost}. */
public final class GuestHostCondition implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    List<String> missing = new ArrayList<>();
    if (!Privileges.isRoot()) {
      missing.add("root");
    }
    for (String program : List.of("runc", "catatonit", "busybox", "ip")) {
      if (Programs.locate(program).isEmpty()) {
        missing.add(program);
      }
    }
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("root, runc, catatonit and busybox are here");
    }
    String reason = "this host lacks " + String.join(", ", missing);
    if ("1".equals(System.getenv("GAIOLA_IT_MUST_RUN"))) {
      throw new AssertionError(reason + ", and GAIOLA_IT_MUST_RUN=1 forbids skipping");
    }
    return ConditionEvaluationResult.disabled(reason);
  }
}
