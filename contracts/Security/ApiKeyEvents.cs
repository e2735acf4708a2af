namespace Ops.Contracts.Security;

/// <summary>
/// An administrator issued an API key for a machine client. Only the key's SHA-256 hash travels, so
/// every service can recognise the key without ever holding it. <see cref="Contracts"/> and <see cref="Sites"/>
/// are the key's scope, space-separated codes; no contracts (as from a service that knew no scopes): every contract.
/// </summary>
public sealed record ApiKeyIssued(Guid KeyId, string Name, string Role, string KeyHash, DateTimeOffset At, string? Contracts = null, string? Sites = null);

/// <summary>An administrator revoked an API key; every service refuses it from now on.</summary>
public sealed record ApiKeyRevoked(Guid KeyId, DateTimeOffset At);
