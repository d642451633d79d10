package gaiola.cli;

import gaiola.config.GuestName;
import gaiola.error.InvalidInputException;
import gaiola.guest.Guests;
import gaiola.guest.Unions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vserver NAME union list | add BRANCH [--before B|--after B] | remove BRANCH | hide PATH
 * [--branch DIR] | mount}: the guest's root as a stack of read-only branches under one private,
 * writable branch (the seed's UnionFS {@code diff=rw : noportage=ro : master=ro}).
 */
@Command(
    name = "union",
    mixinStandardHelpOptions = true,
    description = {
      "The guest's root as a stack of read-only branches (guests or directories) under a private",
      "writable branch; changed while the guest is stopped.",
      "  union list",
      "  union add GUEST|DIR [--before BRANCH | --after BRANCH]",
      "  union remove GUEST|DIR",
      "  union hide /PATH [--branch DIR]   (a whiteout: the path of the branches below disappears)",
      "  union mount                       (mount the root for the host, e.g. after a reboot)"
    })
final class UnionVerb extends GuestVerb {
  @Parameters(index = "0", paramLabel = "ACTION", description = "list, add, remove, hide or mount.")
  String action;

  @Parameters(index = "1..*", paramLabel = "ARG")
  List<String> args = new ArrayList<>();

  @Option(names = "--before", paramLabel = "BRANCH", description = "add: just above this branch.")
  String before;

  @Option(names = "--after", paramLabel = "BRANCH", description = "add: just below this branch.")
  String after;

  @Option(names = "--branch", paramLabel = "DIR", description = "hide: put the whiteout in this (mask) branch instead of the private one.")
  String branch;

  UnionVerb(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    GuestName name = name();
    Guests g = guests();
    switch (action) {
      case "list" -> {
        expect(0, "union list");
        for (Unions.Branch b : g.unions().list(name)) {
          context.out().printf("%s  %-20s %s%n", b.writable() ? "rw" : "ro", b.label(), b.dir());
        }
      }
      case "add" -> {
        expect(1, "union add GUEST|DIR");
        if (before != null && after != null) {
          throw new InvalidInputException("union add: give --before or --after, not both");
        }
        g.unions().add(name, args.getFirst(), Optional.ofNullable(before), Optional.ofNullable(after));
        context.out().println("added branch " + args.getFirst() + " to " + name);
      }
      case "remove" -> {
        expect(1, "union remove GUEST|DIR");
        g.unions().remove(name, args.getFirst());
        context.out().println("removed branch " + args.getFirst() + " from " + name);
      }
      case "hide" -> {
        expect(1, "union hide /PATH");
        context.out().println("hidden by " + g.unions().hide(name, args.getFirst(), Optional.ofNullable(branch)));
      }
      case "mount" -> {
        expect(0, "union mount");
        g.unions().mount(name);
      }
      default -> throw new InvalidInputException(
          "union: unknown action '" + action + "'", "use list, add, remove, hide or mount");
    }
    return 0;
  }

  private void expect(int n, String usage) throws InvalidInputException {
    if (args.size() != n) {
      throw new InvalidInputException("usage: " + usage);
    }
  }
}
