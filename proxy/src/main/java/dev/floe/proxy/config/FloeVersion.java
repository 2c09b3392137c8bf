package dev.floe.proxy.config;

/** Floe's version, read once from the jar manifest. */
public final class FloeVersion {
  private static final String CURRENT = read();

  private FloeVersion() {}

  /**
   * The {@code Implementation-Version} of the packaged jar, or {@code dev} when running from
   * classes (tests, IDE).
   */
  public static String current() {
    return CURRENT;
  }

  private static String read() {
    String version = FloeVersion.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? "dev" : version;
  }
}
