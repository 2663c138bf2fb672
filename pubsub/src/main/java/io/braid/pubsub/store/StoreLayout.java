package io.braid.pubsub.store;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The layout version of a store file, in its {@code braid} map: written to a new file, checked on open, and older
 * layouts upgraded in place. Called once, at open, before the writer thread starts.
 */
final class StoreLayout {

  /** The layout version this code writes and reads. */
  static final String CURRENT = "2";
  /** The layout before queue entries recorded whether they were sent; upgraded on open. */
  static final String WITHOUT_SENT = "1";

  private static final System.Logger LOG = System.getLogger(StoreLayout.class.getName());

  private StoreLayout() {
  }

  /**
   * Checks the layout of {@code mvStore} ({@code hasData}: whether it holds sessions, queues or retained messages),
   * writing it to a new file and upgrading layout 1; throws {@link StoreException} for a file Braid did not write or
   * a newer layout.
   */
  static void checkOrUpgrade(MVStore mvStore, String fileName, boolean hasData, MVMap<String, byte[]> queues) {
    MVMap<String, String> meta = mvStore.openMap("braid");
    String layout = meta.get("format");
    if (layout == null) {
      if (hasData) {
        throw new StoreException("store file " + fileName + " has data but no layout version; it was not written "
            + "by Braid");
      }
      meta.put("format", CURRENT);
      mvStore.commit();
    } else if (layout.equals(WITHOUT_SENT)) {
      upgradeFromLayout1(mvStore, fileName, meta, queues);
    } else if (!layout.equals(CURRENT)) {
      throw new StoreException("store file " + fileName + " has layout version " + layout + ", this broker reads "
          + CURRENT + "; it was written by another version of Braid");
    }
  }

  /**
   * Layout 1 did not record which queued messages were sent, and resent every one after a restart with DUP: keep
   * that for the entries it wrote (any may have been sent), so that an upgrade never loses a DUP.
   */
  private static void upgradeFromLayout1(MVStore mvStore, String fileName, MVMap<String, String> meta,
      MVMap<String, byte[]> queues) {
    for (Cursor<String, byte[]> rows = queues.cursor(null); rows.hasNext(); ) {
      String key = rows.next();
      StoreCodec.QueueEntry entry = StoreCodec.decodeQueueEntry(rows.getValue());
      StoreCodec.QueueEntry sent = entry.reached(QueuedMessage.Progress.SENT);
      if (sent != entry) {
        queues.put(key, StoreCodec.encodeQueueEntry(sent));
      }
    }
    meta.put("format", CURRENT);
    mvStore.commit();
    LOG.log(System.Logger.Level.INFO, "store file " + fileName + " upgraded from layout " + WITHOUT_SENT + " to "
        + CURRENT);
  }
}
