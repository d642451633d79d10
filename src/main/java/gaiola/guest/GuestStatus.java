package gaiola.guest;

import gaiola.config.GuestConfig;
import java.time.Duration;

/** What {@code vserver NAME status} reports. */
public record GuestStatus(GuestConfig config, GuestState state, int processes, Duration uptime) {}
