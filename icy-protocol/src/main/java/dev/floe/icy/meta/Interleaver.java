package dev.floe.icy.meta;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Per-listener ICY interleaving: after every {@code metaint} audio bytes the listener gets one
 * metadata block. The block is {@link IcyMetadata#block()} of the metadata in force when it differs
 * from the last one this listener was sent (the very first block always carries the metadata in
 * force, or {@link IcyMetadata#EMPTY} when none was set), else the single 0x00 "unchanged" byte.
 *
 * <p>Two ways to drive it, sharing one state:
 *
 * <ul>
 *   <li>Planning, for zero-copy writers: send up to {@link #audioUntilBlock()} audio bytes and
 *       report them with {@link #audioSent(int)}; when {@link #blockDue()} send {@link
 *       #takeBlock()}.
 *   <li>Copying: {@link #write(ByteBuffer, ByteBuffer)} fills an output buffer, stopping when it is
 *       full, even in the middle of a block; the next call resumes exactly there.
 * </ul>
 *
 * The planning methods may be used only when no block is half-written by {@link #write} ({@link
 * #midBlock()} false): meanwhile {@link #audioUntilBlock()} is 0 and {@link #blockDue()} false.
 *
 * <p>With {@code metaint <= 0} no block is ever due. Not thread-safe.
 */
public final class Interleaver {
  private static final byte[] UNCHANGED = {0};

  private final int metaint;
  private IcyMetadata current;
  private IcyMetadata lastSent;
  private int untilBlock;
  private long audioTotal;
  private byte[] pending;
  private int pendingPos;

  public Interleaver(int metaint) {
    this.metaint = metaint;
    this.untilBlock = metaint > 0 ? metaint : Integer.MAX_VALUE;
  }

  /** Sets the metadata in force; the next due block carries it unless this listener already has it. */
  public void metadata(IcyMetadata m) {
    current = Objects.requireNonNull(m, "metadata");
  }

  /** The metadata in force, or null when none was set. */
  public IcyMetadata metadata() {
    return current;
  }

  public int metaint() {
    return metaint;
  }

  /**
   * Audio bytes that may be sent before the next block is due: {@link Integer#MAX_VALUE} when
   * {@code metaint <= 0}, 0 when a block is due or half-written.
   */
  public int audioUntilBlock() {
    if (metaint <= 0) {
      return Integer.MAX_VALUE;
    }
    return pending != null ? 0 : untilBlock;
  }

  /**
   * Records {@code n} audio bytes as sent.
   *
   * @throws IllegalArgumentException when {@code n} is negative or more than {@link
   *     #audioUntilBlock()}
   */
  public void audioSent(int n) {
    if (n < 0 || n > audioUntilBlock()) {
      throw new IllegalArgumentException(
          "audioSent(" + n + ") but " + audioUntilBlock() + " bytes may be sent before the block");
    }
    if (metaint > 0) {
      untilBlock -= n;
    }
    audioTotal += n;
  }

  /** True when the next thing to send is a block (taken with {@link #takeBlock()}). */
  public boolean blockDue() {
    return metaint > 0 && pending == null && untilBlock == 0;
  }

  /**
   * The block to send now, and starts the next interval. The array is shared: do not modify it.
   *
   * @throws IllegalStateException when no block is due
   */
  public byte[] takeBlock() {
    if (!blockDue()) {
      throw new IllegalStateException(
          midBlock() ? "a block is half-written by write()" : "no block due: " + untilBlock + " audio bytes first");
    }
    IcyMetadata m = current != null ? current : IcyMetadata.EMPTY;
    byte[] block;
    if (lastSent == null || !lastSent.equals(m)) {
      block = m.block();
      lastSent = m;
    } else {
      block = UNCHANGED;
    }
    untilBlock = metaint;
    return block;
  }

  /**
   * Copies audio from {@code audio} to {@code out}, inserting blocks where due, until {@code out}
   * is full or there is no audio left and no block is due or half-written. A block falls due as soon
   * as its interval's audio has been copied, so it is written even when no audio follows yet.
   *
   * @return the audio bytes consumed from {@code audio}
   */
  public int write(ByteBuffer audio, ByteBuffer out) {
    int consumed = 0;
    while (out.hasRemaining()) {
      if (pending != null) {
        int n = Math.min(pending.length - pendingPos, out.remaining());
        out.put(pending, pendingPos, n);
        pendingPos += n;
        if (pendingPos == pending.length) {
          pending = null;
        }
        continue;
      }
      if (blockDue()) {
        pending = takeBlock();
        pendingPos = 0;
        continue;
      }
      int n = Math.min(Math.min(audio.remaining(), out.remaining()), audioUntilBlock());
      if (n == 0) {
        break;
      }
      int pos = audio.position();
      out.put(audio.slice(pos, n));
      audio.position(pos + n);
      audioSent(n);
      consumed += n;
    }
    return consumed;
  }

  /** True while {@link #write} has written part of a block. */
  public boolean midBlock() {
    return pending != null;
  }

  /** The metadata last sent in a full block (not an "unchanged" byte), or null before any. */
  public IcyMetadata lastSent() {
    return lastSent;
  }

  /** Total audio bytes sent so far (by either API). */
  public long audioTotal() {
    return audioTotal;
  }
}
