package weft.examples.quickstart;

/**
 * A pancake, cooked by the {@link Cook} and sent to whoever ordered it: messages are immutable
 * records.
 *
 * @param number which pancake this is, counted by the cook that made it
 * @param done whether it is cooked through
 */
public record Pancake(int number, boolean done) {}
