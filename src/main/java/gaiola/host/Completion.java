package gaiola.host;

/** How a program ended: its exit status and what it printed (empty when output went to a file). */
public record Completion(int exitStatus, String stdout, String stderr) {}
