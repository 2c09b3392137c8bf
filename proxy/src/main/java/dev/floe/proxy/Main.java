package dev.floe.proxy;

/** Entry point placeholder; replaced by the CLI. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("floe");
  }
}
