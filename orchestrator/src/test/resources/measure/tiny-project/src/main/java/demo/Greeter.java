package demo;

/** Greets people. */
public final class Greeter
{
    /**
     * @param name who.
     * @return the greeting.
     */
    public String greet(final String name)
    {
        if (name == null || name.isBlank())
        {
            return "Hello, stranger";
        }
        return "Hello, " + name;
    }

    /**
     * @param a first.
     * @param b second.
     * @return the larger.
     */
    public int max(final int a, final int b)
    {
        return a > b ? a : b;
    }
}
