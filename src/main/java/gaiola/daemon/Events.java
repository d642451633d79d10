package gaiola.daemon;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The daemon's event bus: every subscriber (a client of {@code /1.0/events} or {@code vwait}) gets
 * its own queue. A subscriber too slow to keep 10,000 events is dropped rather than let the
 * daemon's memory grow.
 */
final class Events {
  static final int QUEUE = 10_000;
  private final List<BlockingQueue<Event>> subscribers = new CopyOnWriteArrayList<>();

  BlockingQueue<Event> subscribe() {
    BlockingQueue<Event> q = new LinkedBlockingQueue<>(QUEUE);
    subscribers.add(q);
    return q;
  }

  void unsubscribe(BlockingQueue<Event> q) {
    subscribers.remove(q);
  }

  void publish(Event e) {
    for (BlockingQueue<Event> q : subscribers) {
      if (!q.offer(e)) {
        subscribers.remove(q);
      }
    }
  }

  int subscribers() {
    return subscribers.size();
  }
}
