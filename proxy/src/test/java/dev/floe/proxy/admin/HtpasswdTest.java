package dev.floe.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Icecast's htpasswd listener file: format, check, add/delete, edits by hand. */
class HtpasswdTest {
  @TempDir Path dir;

  @Test
  void writesIcecastsFormatAndChecksPasswords() throws Exception {
    Path file = dir.resolve("myauth");
    Htpasswd users = Htpasswd.of(file);
    assertThat(users.users()).isEmpty(); // a missing file has no users
    assertThat(users.check("foo", "bar")).isFalse();

    assertThat(users.add("foo", "bar")).isEqualTo(Htpasswd.Change.ADDED);
    assertThat(users.add("foo", "other")).isEqualTo(Htpasswd.Change.EXISTS);
    assertThat(users.add("b\u00e9", "p\u00e4ss")).isEqualTo(Htpasswd.Change.ADDED);

    // MD5("bar") in lower-case hex, as icecast2's auth_htpasswd writes it
    assertThat(Files.readString(file)).startsWith("foo:37b51d194a7513e45b56f6524f2d51f2\n");
    assertThat(users.check("foo", "bar")).isTrue();
    assertThat(users.check("foo", "baz")).isFalse();
    assertThat(users.check("foo", null)).isFalse();
    assertThat(users.check("b\u00e9", "p\u00e4ss")).isTrue();
    assertThat(users.users()).containsExactly("foo", "b\u00e9");
    assertThat(Htpasswd.of(dir.resolve("./myauth"))).isSameAs(users);

    assertThat(users.delete("foo")).isEqualTo(Htpasswd.Change.DELETED);
    assertThat(users.delete("foo")).isEqualTo(Htpasswd.Change.NOT_FOUND);
    assertThat(users.check("foo", "bar")).isFalse();
    assertThat(Files.readString(file)).doesNotContain("foo:");
  }

  @Test
  void refusesNamesThatBreakTheFormat() {
    Htpasswd users = Htpasswd.of(dir.resolve("u"));
    assertThatThrownBy(() -> users.add("a:b", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> users.add("a\nb", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> users.add("", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> users.add("a", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> users.add("a", "x\ny")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Files.exists(dir.resolve("u"))).isFalse();
  }

  @Test
  void anEditByHandTakesEffectAndJunkLinesAreSkipped() throws Exception {
    Path file = dir.resolve("edited");
    Htpasswd users = Htpasswd.of(file);
    Files.writeString(file, "alice:" + Htpasswd.hash("secret") + "\r\n# comment\nnocolon\n:x\n");
    assertThat(users.check("alice", "secret")).isTrue();
    assertThat(users.users()).containsExactly("alice");

    Files.writeString(file, "bob:" + Htpasswd.hash("pw") + "\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(users.check("alice", "secret")).isFalse();
    assertThat(users.check("bob", "pw")).isTrue();
  }

  @Test
  void aFileOverTheLimitHasNoUsers() throws Exception {
    Path file = dir.resolve("huge");
    Files.writeString(file, "a:" + Htpasswd.hash("b") + "\n"
        + "x".repeat((int) Htpasswd.MAX_BYTES));
    assertThat(Htpasswd.of(file).check("a", "b")).isFalse();
  }
}
