using System.Security.Cryptography;

namespace Ops.Console.Services;

/// <summary>The first password of a new local user: made by the console, shown once to the administrator, stored only as the tickets service's hash.</summary>
public static class Passwords
{
    /// <summary>No 0/O, 1/l/I: read aloud or copied from a screen without mistakes.</summary>
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>16 characters of 56: about 93 bits, well over the API's 12-character minimum.</summary>
    public const int Length = 16;

    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);
}
