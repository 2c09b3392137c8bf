package dev.floe.icy.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Cuts a byte array into consecutive feeds at positions drawn from a seed (fuzz input). */
final class Splits {
  private Splits() {}

  /**
   * The feeds of {@code in}: empty feeds included now and then, every byte exactly once, in order.
   * Seeds whose low bits are 0 give byte-by-byte feeds, which exercise every split at once.
   */
  static List<ByteBuffer> of(byte[] in, long seed) {
    List<ByteBuffer> out = new ArrayList<>();
    if ((seed & 0xF) == 0) {
      for (byte b : in) {
        out.add(ByteBuffer.wrap(new byte[] {b}));
      }
      return out;
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    int maxPiece = 1 + rnd.nextInt(Math.max(1, in.length));
    int pos = 0;
    while (pos < in.length) {
      int n = Math.min(in.length - pos, rnd.nextInt(maxPiece + 1));
      out.add(ByteBuffer.wrap(in, pos, n).slice());
      pos += n;
    }
    return out;
  }
}
