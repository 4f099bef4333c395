package weft.examples.quickstart;

public final class Main {
  private Main() {}

  public static void main(String[] a) {
    System.out.println("hello " + Runtime.version());
  }
}
