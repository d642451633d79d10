package gaiola.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that starts real guests: it needs root, runc, catatonit and a static busybox. On a
 * host without them it is skipped with the reason, unless {@code GAIOLA_IT_MUST_RUN=1} (CI), which
 * turns the skip into a failure.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(GuestHostCondition.class)
public @interface RequiresGuestHost {}
