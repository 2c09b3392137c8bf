package dev.floe.bench.load;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The selector thread of simulated hls.js players ({@link HlsSession}): each loads the playlist
 * and its segments over plain HTTP/1.1, one connection per request ({@code Connection: close}:
 * Floe answers HTTP/1.0 and closes after each response, as browsers then see too). A player has
 * at most one playlist and one segment request in flight, as hls.js's playlist and fragment
 * loaders do. Nothing is shared between players: each fetches its own copy of every playlist and
 * segment. Any failed request (connect, status other than 200, a malformed response or playlist)
 * fails the player, as in {@link IcyWorker}.
 */
final class HlsWorker extends Worker {
  /** Playlist bytes kept (a playlist longer than this fails the player). */
  static final int MAX_PLAYLIST = 4 * 1024 * 1024;

  private final InetSocketAddress address;
  private final URI playlistUri;
  private final String host;
  private final ByteBuffer readBuf = ByteBuffer.allocateDirect(64 * 1024);
  private final List<Player> players = new ArrayList<>();

  /** One request of a player: its connection and its response. */
  private static final class Exchange {
    final Player player;
    final boolean playlist;
    final long sequence;
    final String path;
    final byte[] request;
    final HttpResponseParser response;
    final long startNs;
    SocketChannel channel;
    SelectionKey key;
    int written;
    long connectedNs = -1;
    long sentNs = -1;

    Exchange(Player player, boolean playlist, long sequence, String path, byte[] request,
        long startNs) {
      this.player = player;
      this.playlist = playlist;
      this.sequence = sequence;
      this.path = path;
      this.request = request;
      this.response = new HttpResponseParser(playlist ? MAX_PLAYLIST : 0);
      this.startNs = startNs;
    }
  }

  /** One simulated player. */
  private static final class Player {
    final int id;
    final HlsSession session;
    Exchange playlist;
    Exchange segment;
    long connectStartNs = -1;
    long connectedNs = -1;
    long requestSentNs = -1;
    long firstByteNs = -1;
    long firstAudioNs = -1;
    long bytes;
    long audioBytes;
    long windowStartAudio = -1;
    long windowEndAudio = -1;
    long maxGapNs;
    long maxGapStartNs = -1;
    long requests;
    Listener.Failure failure;
    String failureDetail;
    /** Failed (recorded as {@link #failure} only before the window's end): does nothing more. */
    boolean dead;

    Player(int id, PlayerModel model) {
      this.id = id;
      this.session = new HlsSession(model);
    }
  }

  HlsWorker(Options o, InetSocketAddress address, int index, int stride, long t0,
      long windowStartNs, long windowEndNs, CountDownLatch windowDone) throws IOException {
    super(o, index, stride, t0, windowStartNs, windowEndNs, windowDone);
    this.address = address;
    this.playlistUri = URI.create(o.url);
    this.host = playlistUri.getHost() + (playlistUri.getPort() > 0 ? ":" + playlistUri.getPort()
        : "");
  }

  /** The request line and head of a GET of {@code path} by player {@code id}. */
  byte[] request(String path, int id) {
    // One User-Agent per player, so a server counting HLS listeners by address and agent (Floe)
    // sees each of them.
    return ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: floe-loadgen-hls/"
        + id + "\r\nAccept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  @Override
  void open(int id, long now) {
    Player p = new Player(id, o.playerModel.copy());
    players.add(p);
    loadPlaylist(p, now);
  }

  private void loadPlaylist(Player p, long now) {
    String path = pathOf(playlistUri);
    p.playlist = start(new Exchange(p, true, -1, path, request(path, p.id), now));
  }

  private void loadNextSegment(Player p, long now) {
    if (p.segment != null || p.dead) {
      return;
    }
    HlsPlaylist.Entry e = p.session.nextSegment();
    if (e == null) {
      return;
    }
    URI u = playlistUri.resolve(e.uri());
    if (!"http".equals(u.getScheme()) || !host.equals(u.getRawAuthority())) {
      fail(p, Listener.Failure.PARSE_ERROR, "segment on another server: " + u, now);
      return;
    }
    String path = pathOf(u);
    p.segment = start(new Exchange(p, false, e.sequence(), path, request(path, p.id), now));
  }

  private static String pathOf(URI u) {
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    return u.getRawQuery() == null ? path : path + "?" + u.getRawQuery();
  }

  private Exchange start(Exchange x) {
    Player p = x.player;
    p.requests++;
    if (p.connectStartNs < 0) {
      p.connectStartNs = x.startNs;
    }
    try {
      SocketChannel ch = SocketChannel.open();
      x.channel = ch;
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (ch.connect(address)) {
        x.key = ch.register(selector, 0, x);
        connected(x, System.nanoTime());
      } else {
        x.key = ch.register(selector, SelectionKey.OP_CONNECT, x);
      }
    } catch (ConnectException e) {
      fail(p, Listener.Failure.CONNECT_REFUSED, e.getMessage(), System.nanoTime());
    } catch (IOException e) {
      fail(p, Listener.Failure.CONNECT_ERROR, e.toString(), System.nanoTime());
    }
    return x;
  }

  @Override
  void ready(SelectionKey k, long now) {
    Exchange x = (Exchange) k.attachment();
    if (k.isConnectable()) {
      try {
        if (x.channel.finishConnect()) {
          connected(x, System.nanoTime());
        }
      } catch (ConnectException e) {
        fail(x.player, Listener.Failure.CONNECT_REFUSED, e.getMessage(), now);
      } catch (IOException e) {
        fail(x.player, Listener.Failure.CONNECT_ERROR, e.toString(), now);
      }
    } else if (k.isWritable()) {
      write(x, now);
    } else if (k.isReadable()) {
      read(x);
    }
  }

  private void connected(Exchange x, long now) {
    x.connectedNs = now;
    if (x.player.connectedNs < 0) {
      x.player.connectedNs = now;
    }
    write(x, now);
  }

  private void write(Exchange x, long now) {
    try {
      x.written += x.channel.write(ByteBuffer.wrap(x.request, x.written,
          x.request.length - x.written));
      if (x.written < x.request.length) {
        x.key.interestOps(SelectionKey.OP_WRITE);
        return;
      }
      x.sentNs = System.nanoTime();
      if (x.player.requestSentNs < 0) {
        x.player.requestSentNs = x.sentNs;
      }
      x.key.interestOps(SelectionKey.OP_READ);
    } catch (IOException e) {
      fail(x.player, Listener.Failure.IO_ERROR, "writing GET " + x.path + ": " + e, now);
    }
  }

  private void read(Exchange x) {
    Player p = x.player;
    while (true) {
      readBuf.clear();
      int n;
      try {
        n = x.channel.read(readBuf);
      } catch (IOException e) {
        fail(p, Listener.Failure.CLOSED_EARLY, "GET " + x.path + ": " + e, System.nanoTime());
        return;
      }
      long now = System.nanoTime();
      if (n == 0) {
        return;
      }
      if (n < 0) {
        x.response.endOfStream();
      } else {
        if (p.firstByteNs < 0) {
          p.firstByteNs = now;
        }
        p.bytes += n;
        readBuf.flip();
        x.response.feed(readBuf);
      }
      HttpResponseParser r = x.response;
      if (r.failed()) {
        fail(p, n < 0 ? Listener.Failure.CLOSED_EARLY : Listener.Failure.PARSE_ERROR,
            "GET " + x.path + ": " + r.error(), now);
        return;
      }
      if (r.headComplete() && r.status() != 200) {
        fail(p, Listener.Failure.NON_200, "GET " + x.path + ": status " + r.status(), now);
        return;
      }
      if (r.done()) {
        close(x);
        complete(x, now);
        return;
      }
      if (n < 0) {
        return;
      }
    }
  }

  private void complete(Exchange x, long now) {
    Player p = x.player;
    if (x.playlist) {
      p.playlist = null;
      try {
        p.session.playlist(x.startNs, now,
            HlsPlaylist.parse(x.response.body(), x.response.kept()));
      } catch (IllegalArgumentException e) {
        fail(p, Listener.Failure.PARSE_ERROR, "playlist: " + e.getMessage(), now);
        return;
      }
    } else {
      p.segment = null;
      long previous = p.session.lastSegmentNs();
      long audio = Math.max(0, x.response.bodyBytes() - x.response.id3Length());
      // After the window (the hold of --signal-dir) the player goes on as before; its figures
      // were taken at the window's end.
      p.session.segment(now, x.sequence, audio);
      p.audioBytes += audio;
      if (windowStarted && !windowEnded && previous >= 0 && now - previous > p.maxGapNs) {
        p.maxGapNs = now - previous;
        p.maxGapStartNs = previous;
      }
      if (p.firstAudioNs < 0 && p.audioBytes >= o.firstAudioBytes) {
        p.firstAudioNs = now;
      }
    }
    loadNextSegment(p, now);
  }

  @Override
  void sweep(long now) {
    for (Player p : players) {
      if (p.dead) {
        continue;
      }
      timeout(p.playlist, now);
      timeout(p.segment, now);
      if (!p.dead && p.playlist == null && now >= p.session.reloadDueNs()) {
        loadPlaylist(p, now);
      }
    }
  }

  private void timeout(Exchange x, long now) {
    if (x == null || x.player.dead) {
      return;
    }
    if (x.connectedNs < 0) {
      if (now - x.startNs > o.timeoutNs) {
        fail(x.player, Listener.Failure.CONNECT_TIMEOUT, "GET " + x.path + ": no connection after "
            + (now - x.startNs) / 1_000_000 + " ms", now);
      }
    } else if (now - x.connectedNs > o.timeoutNs) {
      fail(x.player, Listener.Failure.RESPONSE_TIMEOUT, "GET " + x.path + ": no complete"
          + " response after " + (now - x.connectedNs) / 1_000_000 + " ms ("
          + x.response.bodyBytes() + " body bytes)", now);
    }
  }

  @Override
  void startWindow(long now) {
    for (Player p : players) {
      if (p.failure == null && p.session.segments() > 0) {
        p.windowStartAudio = p.audioBytes;
      }
    }
  }

  @Override
  List<Listener.Result> endWindow(long now) {
    List<Listener.Result> out = new ArrayList<>(players.size());
    for (Player p : players) {
      boolean up = p.failure == null && p.session.segments() > 0;
      if (p.windowStartAudio >= 0) {
        p.windowEndAudio = p.audioBytes;
      }
      long last = p.session.lastSegmentNs();
      if (last >= 0 && now - last > p.maxGapNs) {
        p.maxGapNs = now - last;
        p.maxGapStartNs = last;
      }
      PlayerModel m = p.session.player();
      m.advance(now);
      out.add(new Listener.Result(p.id, Listener.diff(p.connectStartNs, p.connectedNs),
          Listener.diff(p.requestSentNs, p.firstByteNs),
          Listener.diff(p.requestSentNs, p.firstAudioNs),
          m.underruns(), m.underrunNs(), p.bytes, p.audioBytes, p.windowStartAudio,
          p.windowEndAudio, p.failure, p.failureDetail, up, 0, 0,
          p.firstByteNs < 0 ? -1 : p.maxGapNs,
          p.maxGapStartNs < 0 ? Long.MIN_VALUE : p.maxGapStartNs - windowStartNs,
          m.started(), m.underrunNs(), m.underruns(),
          new Listener.Hls(p.requests, p.session.playlists(), p.session.segments(),
              p.session.outOfOrder(), p.session.skips())));
    }
    return out;
  }

  private void fail(Player p, Listener.Failure why, String detail, long now) {
    if (p.failure == null && !windowEnded) {
      p.failure = why;
      p.failureDetail = detail;
    }
    p.dead = true;
    close(p.playlist);
    close(p.segment);
  }

  private static void close(Exchange x) {
    if (x == null) {
      return;
    }
    if (x.key != null) {
      x.key.cancel();
    }
    if (x.channel != null) {
      try {
        x.channel.close();
      } catch (IOException e) {
        // Already gone.
      }
    }
  }

  @Override
  void closeAll() {
    for (Player p : players) {
      close(p.playlist);
      close(p.segment);
    }
  }
}
