namespace Ops.Contracts.Security;

/// <summary>
/// An administrator disabled a user: every service refuses the tokens issued to <paramref name="Subject"/>
/// (the token's <c>sub</c>, e.g. <c>user:wang.wei</c>) at or before <paramref name="At"/>.
/// </summary>
public sealed record UserDisabled(string Subject, DateTimeOffset At);
