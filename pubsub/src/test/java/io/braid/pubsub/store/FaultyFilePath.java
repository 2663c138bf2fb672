package io.braid.pubsub.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code faulty:} prefix) over the real disk whose writes can be made to fail as a full disk
 * does, so that tests reach the store's I/O failure paths without filling a disk.
 */
public final class FaultyFilePath extends FilePathWrapper {

  static final String PREFIX = "faulty:";
  private static volatile boolean diskFull;

  static {
    FilePath.register(new FaultyFilePath());
  }

  /** For H2, which creates one instance per path by reflection. */
  public FaultyFilePath() {
  }

  /** The H2 file name for {@code path} on this file system. */
  static String of(java.nio.file.Path path) {
    return PREFIX + path.toAbsolutePath();
  }

  /** From now on every write and force fails with "No space left on device" (or works again). */
  static void diskFull(boolean full) {
    diskFull = full;
  }

  @Override
  public String getScheme() {
    return "faulty";
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    return new FaultyChannel(getBase().open(mode));
  }

  private static final class FaultyChannel extends FileBase {
    private final FileChannel base;

    FaultyChannel(FileChannel base) {
      this.base = base;
    }

    private static void checkSpace() throws IOException {
      if (diskFull) {
        throw new IOException("No space left on device");
      }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return base.read(dst);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return base.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      checkSpace();
      return base.write(src);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      checkSpace();
      return base.write(src, position);
    }

    @Override
    public long position() throws IOException {
      return base.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      base.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return base.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      checkSpace();
      base.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      checkSpace();
      base.force(metaData);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return base.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      base.close();
    }
  }
}
