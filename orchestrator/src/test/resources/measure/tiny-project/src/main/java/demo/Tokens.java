package demo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/** Deliberately insecure code for the measurement tests. */
public class Tokens
{
    private int unused;

    public String token()
    {
        return Long.toHexString(new Random().nextLong());
    }

    public byte[] digest(String text) throws NoSuchAlgorithmException
    {
        return MessageDigest.getInstance("MD5").digest(text.getBytes());
    }

    public ResultSet find(Connection connection, String name) throws SQLException
    {
        Statement statement = connection.createStatement();
        return statement.executeQuery("select * from users where name = '" + name + "'");
    }
}
