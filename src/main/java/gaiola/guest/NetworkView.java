package gaiola.guest;

import gaiola.config.GuestConfig;
import gaiola.network.GuestLink;
import gaiola.network.LinkState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code vserver NAME net} shows: the links the configuration makes, and for a running guest
 * the links inside and the state of their host ends.
 *
 * @param planProblem why the links cannot be planned now (a missing bridge, say), if so
 * @param inside the guest's links as its namespace has them; empty when stopped or on the host stack
 * @param hostEnds the state of each host end ({@code up}, {@code down}, {@code absent})
 */
public record NetworkView(
    GuestConfig config,
    boolean running,
    List<GuestLink> links,
    Optional<String> planProblem,
    List<LinkState> inside,
    Map<String, String> hostEnds) {}
