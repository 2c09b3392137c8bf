package dev.floe.proxy.swarm;

import com.typesafe.config.ConfigFactory;
import dev.floe.buffer.Chunk;
import dev.floe.buffer.Cursor;
import dev.floe.buffer.LappedException;
import dev.floe.buffer.StreamBuffer;
import dev.floe.proxy.config.ConfigLoader;
import dev.floe.proxy.config.MountSettings;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Test audio: numbered MPEG frames, and what a mount's buffer holds. */
final class Audio {
  static final int FRAME = 417;

  private Audio() {}

  /** {@code count} MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz), each payload numbered. */
  static byte[] frames(int count) {
    byte[] out = new byte[count * FRAME];
    for (int i = 0; i < count; i++) {
      int o = i * FRAME;
      out[o] = (byte) 0xFF;
      out[o + 1] = (byte) 0xFB;
      out[o + 2] = (byte) 0x90;
      out[o + 3] = (byte) 0x64;
      out[o + 4] = (byte) (i >> 8);
      out[o + 5] = (byte) i;
    }
    return out;
  }

  /** Every byte {@code buffer} holds, oldest first. */
  static byte[] held(StreamBuffer buffer) throws LappedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Cursor c = buffer.open(buffer.oldest());
    for (Chunk ch = c.next(); ch != null; ch = c.next()) {
      ByteBuffer d = ch.data();
      byte[] b = new byte[d.remaining()];
      d.get(b);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  /** The settings of the only mount in {@code floe.mounts = [mount]}. */
  static MountSettings mount(String mountHocon) throws Exception {
    return ConfigLoader.fromConfig(ConfigFactory.parseString("floe.mounts = [" + mountHocon
        + "]")).mounts().get(0);
  }
}
